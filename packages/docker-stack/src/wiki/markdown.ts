import { manifestPageName } from '../pipeline/outputs';

/** The cells of a Markdown table line `| a | b |`: outer pipes dropped, cells trimmed, `\|` kept inside a cell. */
export function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

export const tableLine = (cells: string[]) => `| ${cells.join(' | ')} |`;

/** The divider the former pipeline wrote under each header: left-aligned columns. */
export const dividerLine = (columns: number) => tableLine(Array<string>(columns).fill(':-'));

export const isDivider = (line: string) => /^\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$/.test(line);

/** The index of the line that is a table header with exactly these cells (case and spacing aside), or -1. */
export function findHeader(lines: string[], header: string[]): number {
  const wanted = header.map((cell) => cell.toLowerCase()).join('|');
  return lines.findIndex((line) => line.trim().startsWith('|') && tableCells(line).map((cell) => cell.toLowerCase()).join('|') === wanted);
}

/** The wiki address of an image's manifest page (GitHub wikis address pages by name, without `.md`). */
export const pageUrl = (repoUrl: string, fullName: string) => `${repoUrl}/wiki/${manifestPageName(fullName).replace(/\.md$/, '')}`;

/** References in backticks, one per line of the cell. */
export const referencesCell = (references: string[]) => references.map((reference) => `\`${reference}\``).join('<br>');

/** One `[Link]` to each reference's manifest page, one per line of the cell. */
export const linksCell = (repoUrl: string, references: string[]) =>
  references.map((reference) => `[Link](${pageUrl(repoUrl, reference)})`).join('<br>');
