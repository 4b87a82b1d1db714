/**
 * A reader of the wiki's Markdown tables for the tests, written apart from the plugin's own code so that a
 * mistake there cannot hide itself here.
 */
export interface ParsedTable {
  /** The lines above the table. */
  before: string[];
  header: string[];
  divider: string;
  /** Each row's raw line and its cells. */
  rows: { line: string; cells: string[] }[];
  /** The lines below the table. */
  after: string[];
}

const cellsOf = (line: string) => line.trim().slice(1, -1).split('|').map((cell) => cell.trim());

/** The first table of a page (lines that start with `|`). */
export function parseTable(markdown: string): ParsedTable {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  if (start < 0) {
    throw new Error(`no table in:\n${markdown}`);
  }
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) {
    end++;
  }
  return {
    before: lines.slice(0, start),
    header: cellsOf(lines[start]),
    divider: lines[start + 1],
    rows: lines.slice(start + 2, end).map((line) => ({ line, cells: cellsOf(line) })),
    after: lines.slice(end),
  };
}

/** The items of a cell joined with `<br>`, each matched against `pattern`; its first group, or a failure naming the item. */
export function cellItems(cell: string, pattern: RegExp): string[] {
  return cell.split('<br>').map((item) => {
    const match = pattern.exec(item);
    if (!match) {
      throw new Error(`"${item}" does not match ${pattern}`);
    }
    return match[1];
  });
}

export const CODE = /^`([^`]+)`$/;
export const LINK = /^\[Link\]\(([^)\s]+)\)$/;
/** ``[`abc1234`](<repo>/commit/abc1234)``: the groups are the short sha and the repository URL. */
export const COMMIT = /^\[`([0-9a-f]{7})`\]\((\S+)\/commit\/\1\)$/;

/** The former page name rule, restated: `/` and `:` become `-`, `ghcr.io` is `ghcr-io`. */
export const formerPageName = (reference: string) => reference.replace(/ghcr\.io/g, 'ghcr-io').replace(/[/:]/g, '-');
