import { formatBytes } from '../../util/format-bytes';

/** One layer of the image's history, newest first (as the engine lists it). */
export interface ManifestLayer {
  created: Date;
  createdBy: string;
  size: number;
}

/** One platform's image: what the page shows of it. */
export interface ManifestImage {
  digest: string;
  imageId: string;
  history: ManifestLayer[];
  /** One section per info command, in the spec's order. */
  sections: { title: string; command: string; exitCode: number; output: string }[];
}

export interface ManifestPage extends ManifestImage {
  fullName: string;
  parent: string | null;
  /** A multi-platform image: each platform's image, shown in turn (the fields above are then the index's). */
  platforms?: (ManifestImage & { platform: string })[];
}

/** Outputs longer than this many lines are folded into a <details> block. */
const FOLD_AFTER_LINES = 20;
const COMMAND_CELL_LENGTH = 120;

function tableCell(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').replace(/^\/bin\/sh -c (#\(nop\) )?/, '').trim();
  const short = oneLine.length > COMMAND_CELL_LENGTH ? `${oneLine.slice(0, COMMAND_CELL_LENGTH - 1)}…` : oneLine;
  return short.replace(/\|/g, '\\|').replace(/`/g, "'");
}

function codeBlock(text: string): string {
  const fence = text.includes('```') ? '~~~~' : '```';
  return `${fence}text\n${text.replace(/\s+$/, '')}\n${fence}`;
}

function section({ title, command, exitCode, output }: ManifestImage['sections'][number], heading: string): string {
  const lines = output.replace(/\s+$/, '').split('\n');
  const status = exitCode === 0 ? '' : `\n\n**Exited with code ${exitCode}.**`;
  const body =
    lines.length > FOLD_AFTER_LINES
      ? `<details><summary>${lines.length} lines</summary>\n\n${codeBlock(output)}\n\n</details>`
      : codeBlock(output);
  return `${heading} ${title}\n\n\`${command.replace(/`/g, "'")}\`${status}\n\n${body}\n`;
}

const layersSize = (history: ManifestLayer[]) => history.reduce((sum, entry) => sum + entry.size, 0);

/** Layer history (oldest first, with cumulative size) and info command outputs, under headings of `level`. */
function imageSections(image: ManifestImage, level: number): string[] {
  let cumulative = 0;
  const layers = [...image.history].reverse().map((entry) => {
    cumulative += entry.size;
    return `| ${entry.created.toISOString().replace('T', ' ').slice(0, 19)} | ${tableCell(entry.createdBy)} | ${formatBytes(entry.size)} | ${formatBytes(cumulative)} |`;
  });
  const heading = '#'.repeat(level);
  return [`${heading} Layers`, '', '| Created | Command | Size | Cumulative size |', '|---|---|---|---|', ...layers, '', ...image.sections.map((entry) => section(entry, heading))];
}

/**
 * The wiki page of one image: identity, layer history, info command outputs; for a multi-platform image the index,
 * then each platform's image with its own digest, size, layers and outputs.
 */
export function renderManifestPage(page: ManifestPage): string {
  const platforms = page.platforms ?? [];
  const header = [
    `# ${page.fullName}`,
    '',
    '| | |',
    '|---|---|',
    `| Image | \`${page.fullName}\` |`,
    `| Digest | \`${page.digest || 'not pushed'}\`${platforms.length ? ' (the index)' : ''} |`,
    ...(platforms.length ? [`| Platforms | ${platforms.map((image) => image.platform).join(', ')} |`] : [`| Image ID | \`${page.imageId}\` |`]),
    `| Parent | ${page.parent ? `\`${page.parent}\`` : 'none (a root of the stack)'} |`,
    ...(platforms.length ? [] : [`| Size | ${formatBytes(layersSize(page.history))} |`]),
    '',
  ];
  if (platforms.length === 0) {
    return [...header, ...imageSections(page, 2)].join('\n');
  }
  const perPlatform = platforms.flatMap((image) => [
    `## ${image.platform}`,
    '',
    `Digest \`${image.digest || 'not pushed'}\`, image ID \`${image.imageId}\`, size ${formatBytes(layersSize(image.history))}.`,
    '',
    ...imageSections(image, 3),
  ]);
  return [...header, ...perPlatform].join('\n');
}
