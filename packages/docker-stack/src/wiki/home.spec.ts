import { homeRow, withHomeRow } from './home';
import { tableCells } from './markdown';

const repoUrl = 'https://github.com/ucsd-ets/datahub-docker-stack';
const row = (commit: string, references: string[]) => homeRow({ repoUrl, commit, references });

describe('Home.md', () => {
  it('writes the commit (7 characters), the references and a link per image', () => {
    const line = row('0123456789abcdef', ['ghcr.io/ucsd-ets/a:2026.3-stable', 'ghcr.io/ucsd-ets/b:2026.3-stable']);
    expect(tableCells(line)).toEqual([
      `[\`0123456\`](${repoUrl}/commit/0123456)`,
      '`ghcr.io/ucsd-ets/a:2026.3-stable`<br>`ghcr.io/ucsd-ets/b:2026.3-stable`',
      `[Link](${repoUrl}/wiki/ghcr-io-ucsd-ets-a-2026.3-stable)<br>[Link](${repoUrl}/wiki/ghcr-io-ucsd-ets-b-2026.3-stable)`,
    ]);
  });

  it('creates the page with a welcome line, then the table', () => {
    const lines = withHomeRow(undefined, row('abcdef0', ['x:1'])).split('\n');
    expect(lines[0]).toMatch(/^Welcome/);
    expect(lines.slice(1, 5)).toEqual(['', '| Commit | Image | Manifest |', '| :- | :- | :- |', row('abcdef0', ['x:1'])]);
  });

  it('inserts the row at the top of the table and keeps every other line as it was', () => {
    const home = ['# Stack', 'Some words.', '', '|Commit|Image|Manifest|', '|---|---|---|', '| old1 | a | b |', '| old2 | c | d |', '', 'Footer', ''].join('\n');
    const lines = withHomeRow(home, row('1111111', ['x:1'])).split('\n');
    expect(lines).toEqual(['# Stack', 'Some words.', '', '|Commit|Image|Manifest|', '|---|---|---|', row('1111111', ['x:1']), '| old1 | a | b |', '| old2 | c | d |', '', 'Footer', '']);
  });

  it('keeps a CRLF page CRLF', () => {
    const home = 'Hi\r\n\r\n| Commit | Image | Manifest |\r\n| :- | :- | :- |\r\n| old | a | b |\r\n';
    expect(withHomeRow(home, 'NEW')).toBe('Hi\r\n\r\n| Commit | Image | Manifest |\r\n| :- | :- | :- |\r\nNEW\r\n| old | a | b |\r\n');
  });

  it('starts the table below a page that has none, and refuses a header without a divider', () => {
    expect(withHomeRow('Welcome', 'NEW')).toBe('Welcome\n\n| Commit | Image | Manifest |\n| :- | :- | :- |\nNEW\n');
    expect(() => withHomeRow('x\n| Commit | Image | Manifest |\n| a | b | c |\n', 'NEW')).toThrow(/Home\.md line 3: .*divider/);
  });
});
