import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { manifestPageName } from '../pipeline/outputs';
import { HOME_PAGE, homeRow, withHomeRow } from '../wiki/home';
import { STABLE_TAG_PAGE, stableTagPage } from '../wiki/stable-tag';
import type { PromotionPlan, TagMove } from './plan';
import { sourceReference, targetReference } from './sources';

/** What a promotion does to the wiki, worked out before anything is written so a dry run can show it. */
export interface WikiChanges {
  /** Manifest pages (absolute paths): the source tag's page copied to the target tag's page in the wiki. */
  copies: { from: string; to: string }[];
  /** `Home.md` with its new row, or the new `Stable_Tag.md`. */
  page: { name: string; text: string };
}

export interface WikiContext {
  workspaceRoot: string;
  wikiDir: string;
  /** Where the manifest step leaves pages too: a source page missing from the wiki checkout is taken from here. */
  manifestsDir: string;
  repoUrl: string;
  /** The commit being promoted from; needed for a `Home.md` row (not for the global promotion). */
  commit?: string;
}

/** The page copies and the page text; fails, naming each one, when a source image has no manifest page. */
export function planWikiChanges(plan: PromotionPlan, moves: TagMove[], context: WikiContext): WikiChanges {
  const missing: string[] = [];
  const copies = moves.flatMap((move) => {
    const name = manifestPageName(sourceReference(move));
    const from = [context.wikiDir, context.manifestsDir].map((dir) => join(dir, name)).find((path) => existsSync(path));
    if (!from) {
      missing.push(`${move.image} (${name})`);
      return [];
    }
    return [{ from, to: join(context.wikiDir, manifestPageName(targetReference(move))) }];
  });
  if (missing.length > 0) {
    const dirs = [context.wikiDir, context.manifestsDir].map((dir) => `${relative(context.workspaceRoot, dir)}/`).join(' or ');
    throw new Error(`Nothing was tagged: ${missing.length} source image(s) have no manifest page in ${dirs}:\n  - ${missing.join('\n  - ')}`);
  }
  if (plan.global) {
    const images = moves.map((move) => ({ stable: targetReference(move), basedOn: sourceReference(move) }));
    return { copies, page: { name: STABLE_TAG_PAGE, text: stableTagPage(context.repoUrl, images) } };
  }
  if (!context.commit) {
    throw new Error('A promotion to <prefix>-stable needs the commit it promotes, for its Home.md row');
  }
  const homePath = join(context.wikiDir, HOME_PAGE);
  const home = existsSync(homePath) ? readFileSync(homePath, 'utf8') : undefined;
  const row = homeRow({ repoUrl: context.repoUrl, commit: context.commit, references: moves.map(targetReference) });
  return { copies, page: { name: HOME_PAGE, text: withHomeRow(home, row) } };
}

export function applyWikiChanges(wikiDir: string, changes: WikiChanges): void {
  mkdirSync(wikiDir, { recursive: true });
  for (const copy of changes.copies) {
    copyFileSync(copy.from, copy.to);
  }
  writeFileSync(join(wikiDir, changes.page.name), changes.page.text);
}

export const PROMOTION_SOURCES = 'sources.txt';
export const PROMOTION_TARGETS = 'targets.txt';

/**
 * For reviewers, dry run or not: the source and target references, one per line, and the page as the wiki gets
 * it. Only this promotion's files are replaced (the folder may hold an image's artifacts if one is named so).
 */
export function writePromotionArtifacts(dir: string, moves: TagMove[], changes: WikiChanges): string[] {
  mkdirSync(dir, { recursive: true });
  for (const name of [PROMOTION_SOURCES, PROMOTION_TARGETS, HOME_PAGE, STABLE_TAG_PAGE]) {
    rmSync(join(dir, name), { force: true });
  }
  const files: [string, string][] = [
    [PROMOTION_SOURCES, moves.map(sourceReference).join('\n')],
    [PROMOTION_TARGETS, moves.map(targetReference).join('\n')],
    [changes.page.name, changes.page.text],
  ];
  for (const [name, text] of files) {
    writeFileSync(join(dir, name), text.endsWith('\n') ? text : `${text}\n`);
  }
  return files.map(([name]) => join(dir, name));
}
