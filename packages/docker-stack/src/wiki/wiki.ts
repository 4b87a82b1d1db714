import { appendFileSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestPageName } from '../pipeline/outputs';

export interface WikiImage {
  /** Full image name with tag; its manifest page is named after it. */
  fullName: string;
}

const HOME_HEADER = '# Image builds\n\n| Date | Event | Images |\n|---|---|---|\n';

/** A wiki link to the manifest page of an image (GitHub wikis link pages by name, without `.md`). */
export function manifestLink(fullName: string): string {
  return `[\`${fullName}\`](${manifestPageName(fullName).replace(/\.md$/, '')})`;
}

/** Adds one row to `Home.md`: the images of a build or a promotion, each linked to its manifest page. */
export function appendHomeRow(wikiDir: string, event: string, images: WikiImage[], date = new Date()): void {
  mkdirSync(wikiDir, { recursive: true });
  const home = join(wikiDir, 'Home.md');
  if (!existsSync(home)) {
    writeFileSync(home, HOME_HEADER);
  }
  const links = images.map((image) => manifestLink(image.fullName)).join('<br>');
  appendFileSync(home, `| ${date.toISOString().slice(0, 10)} | ${event.replace(/\|/g, '\\|')} | ${links} |\n`);
}

/** Copies the manifest page of `from` to the page of `to`; false when `from` has no page in the wiki. */
export function copyManifestPage(wikiDir: string, from: string, to: string): boolean {
  const source = join(wikiDir, manifestPageName(from));
  if (!existsSync(source)) {
    return false;
  }
  copyFileSync(source, join(wikiDir, manifestPageName(to)));
  return true;
}

export interface StableRow {
  image: string;
  stable: string;
  from: string;
  digest: string;
}

/** Rewrites `Stable_Tag.md`: the stack that `stable` points at now. */
export function writeStableTagPage(wikiDir: string, prefix: string, rows: StableRow[], date = new Date()): void {
  mkdirSync(wikiDir, { recursive: true });
  const lines = rows.map((row) => `| ${row.image} | \`${row.stable}\` | ${manifestLink(row.from)} | \`${row.digest}\` |`);
  writeFileSync(
    join(wikiDir, 'Stable_Tag.md'),
    [
      '# Stable images',
      '',
      `\`stable\` is the ${prefix} stack, promoted ${date.toISOString().slice(0, 10)}.`,
      '',
      '| Image | Stable tag | Promoted from (manifest) | Digest |',
      '|---|---|---|---|',
      ...lines,
      '',
    ].join('\n'),
  );
}
