import { dividerLine, findHeader, isDivider, linksCell, pageUrl, referencesCell, tableCells, tableLine } from './markdown';

describe('Markdown tables', () => {
  it('splits a table line into trimmed cells, keeping escaped pipes', () => {
    expect(tableCells('| [`abc1234`](u/commit/abc1234) | `a:b`<br>`c:d` | x \\| y |')).toEqual([
      '[`abc1234`](u/commit/abc1234)',
      '`a:b`<br>`c:d`',
      'x \\| y',
    ]);
    expect(tableCells(tableLine(['a', 'b']))).toEqual(['a', 'b']);
  });

  it('recognises dividers, and finds a header whatever its spacing', () => {
    expect(dividerLine(3)).toBe('| :- | :- | :- |');
    for (const divider of ['| :- | :- | :- |', '|---|---|---|', '| :---: | --- | ---: |']) {
      expect(isDivider(divider)).toBe(true);
    }
    expect(isDivider('| a | b |')).toBe(false);
    expect(findHeader(['intro', '|Commit|Image |  Manifest|', '|-|-|-|'], ['Commit', 'Image', 'Manifest'])).toBe(1);
    expect(findHeader(['| Commit | Image |'], ['Commit', 'Image', 'Manifest'])).toBe(-1);
  });

  it('links each reference to its wiki page and lists references in backticks', () => {
    const repo = 'https://github.com/ucsd-ets/datahub-docker-stack';
    expect(pageUrl(repo, 'ghcr.io/ucsd-ets/rstudio-notebook:2026.3-stable')).toBe(`${repo}/wiki/ghcr-io-ucsd-ets-rstudio-notebook-2026.3-stable`);
    expect(linksCell(repo, ['a/b:1', 'c:2'])).toBe(`[Link](${repo}/wiki/a-b-1)<br>[Link](${repo}/wiki/c-2)`);
    expect(referencesCell(['a/b:1', 'c:2'])).toBe('`a/b:1`<br>`c:2`');
  });
});
