import { dividerLine, findHeader, isDivider, linksCell, referencesCell, tableLine } from './markdown';

export const HOME_PAGE = 'Home.md';
export const HOME_HEADER = ['Commit', 'Image', 'Manifest'];
const WELCOME = 'Welcome to the image stack wiki! Each promotion to a `<prefix>-stable` tag adds a row at the top of this table.';

export interface HomeRow {
  repoUrl: string;
  /** The commit the promoted images were built from; written with 7 characters. */
  commit: string;
  /** Every promoted reference (`<image_name>:<prefix>-stable`). */
  references: string[];
}

/** The row a promotion adds: the commit, the promoted references and a link to each one's manifest page. */
export function homeRow({ repoUrl, commit, references }: HomeRow): string {
  const short = commit.slice(0, 7);
  return tableLine([`[\`${short}\`](${repoUrl}/commit/${short})`, referencesCell(references), linksCell(repoUrl, references)]);
}

/**
 * `Home.md` with `row` inserted at the top of its table, right under the header and divider; every other line is
 * kept byte for byte (CRLF files stay CRLF). Without a page, a new one: a welcome line, then the table.
 */
export function withHomeRow(home: string | undefined, row: string): string {
  const table = [tableLine(HOME_HEADER), dividerLine(HOME_HEADER.length), row];
  if (home === undefined) {
    return [WELCOME, '', ...table, ''].join('\n');
  }
  const lines = home.split('\n');
  const header = findHeader(lines, HOME_HEADER);
  if (header < 0) {
    // A page without the table yet: keep what is there and start the table below it.
    return `${home}${home === '' || home.endsWith('\n') ? '' : '\n'}\n${table.join('\n')}\n`;
  }
  if (!isDivider(lines[header + 1] ?? '')) {
    throw new Error(`${HOME_PAGE} line ${header + 2}: the table header "${tableLine(HOME_HEADER)}" must be followed by a divider such as "${dividerLine(3)}"`);
  }
  const eol = lines[header].endsWith('\r') ? '\r' : '';
  lines.splice(header + 2, 0, `${row}${eol}`);
  return lines.join('\n');
}
