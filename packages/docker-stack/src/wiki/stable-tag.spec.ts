import { tableCells } from './markdown';
import { stableTagPage } from './stable-tag';

describe('Stable_Tag.md', () => {
  it('is one table of a single row: the stable references, what they are based on, and their pages', () => {
    const repoUrl = 'https://github.com/o/r';
    const lines = stableTagPage(repoUrl, [
      { stable: 'ghcr.io/o/a:stable', basedOn: 'ghcr.io/o/a:2026.3-stable' },
      { stable: 'ghcr.io/o/b:stable', basedOn: 'ghcr.io/o/b:2026.3-stable' },
    ]).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('| Global-Stable Image | Based On | Manifest |');
    expect(lines[1]).toBe('| :- | :- | :- |');
    expect(tableCells(lines[2])).toEqual([
      '`ghcr.io/o/a:stable`<br>`ghcr.io/o/b:stable`',
      '`ghcr.io/o/a:2026.3-stable`<br>`ghcr.io/o/b:2026.3-stable`',
      `[Link](${repoUrl}/wiki/ghcr-io-o-a-stable)<br>[Link](${repoUrl}/wiki/ghcr-io-o-b-stable)`,
    ]);
  });
});
