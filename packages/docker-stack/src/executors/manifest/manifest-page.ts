import { formatBytes } from '../../util/format-bytes';

/** One layer of the image's history, newest first (as the engine lists it). */
export interface ManifestLayer {
  created: Date;
  createdBy: string;
  size: number;
}

export interface ManifestPage {
  fullName: string;
  digest: string;
  imageId: string;
  parent: string | null;
  history: ManifestLayer[];
  /** One section per info command, in the spec's order. */
  sections: { title: string; command: string; exitCode: number; output: string }[];
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

function section({ title, command, exitCode, output }: ManifestPage['sections'][number]): string {
  const lines = output.replace(/\s+$/, '').split('\n');
  const status = exitCode === 0 ? '' : `\n\n**Exited with code ${exitCode}.**`;
  const body =
    lines.length > FOLD_AFTER_LINES
      ? `<details><summary>${lines.length} lines</summary>\n\n${codeBlock(output)}\n\n</details>`
      : codeBlock(output);
  return `## ${title}\n\n\`${command.replace(/`/g, "'")}\`${status}\n\n${body}\n`;
}

/** The wiki page of one image: identity, layer history (oldest first, with cumulative size), info command outputs. */
export function renderManifestPage(page: ManifestPage): string {
  let cumulative = 0;
  const layers = [...page.history].reverse().map((entry) => {
    cumulative += entry.size;
    return `| ${entry.created.toISOString().replace('T', ' ').slice(0, 19)} | ${tableCell(entry.createdBy)} | ${formatBytes(entry.size)} | ${formatBytes(cumulative)} |`;
  });
  return [
    `# ${page.fullName}`,
    '',
    '| | |',
    '|---|---|',
    `| Image | \`${page.fullName}\` |`,
    `| Digest | \`${page.digest || 'not pushed'}\` |`,
    `| Image ID | \`${page.imageId}\` |`,
    `| Parent | ${page.parent ? `\`${page.parent}\`` : 'none (a root of the stack)'} |`,
    `| Size | ${formatBytes(cumulative)} |`,
    '',
    '## Layers',
    '',
    '| Created | Command | Size | Cumulative size |',
    '|---|---|---|---|',
    ...layers,
    '',
    ...page.sections.map(section),
  ].join('\n');
}
