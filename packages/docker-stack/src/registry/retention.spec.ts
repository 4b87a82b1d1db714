import { ageInDays, isOlderThan, unreferencedContent } from './retention';

describe('unreferencedContent', () => {
  it('keeps every digest a non-content tag points to, whatever that tag is', () => {
    const garbage = unreferencedContent([
      { tag: 'build-aaa', digest: 'sha256:1' },
      { tag: '2026.3-main', digest: 'sha256:1' },
      { tag: 'build-bbb', digest: 'sha256:2' },
      { tag: '2026.3-stable', digest: 'sha256:2' },
      { tag: 'build-ccc', digest: 'sha256:3' },
      { tag: 'stable', digest: 'sha256:3' },
      { tag: 'build-ddd', digest: 'sha256:4' },
      { tag: 'hand-pushed', digest: 'sha256:4' },
      { tag: 'build-eee', digest: 'sha256:5' },
      { tag: 'build-fff', digest: 'sha256:5' },
      { tag: 'build-ggg', digest: 'sha256:6' },
    ]);
    expect(Object.fromEntries(garbage)).toEqual({ 'sha256:5': ['build-eee', 'build-fff'], 'sha256:6': ['build-ggg'] });
  });

  it('has nothing to offer when every content tag is referenced', () => {
    expect(unreferencedContent([{ tag: 'build-a', digest: 'd' }, { tag: 'stable', digest: 'd' }]).size).toBe(0);
  });
});

describe('age', () => {
  const now = new Date('2026-11-29T12:00:00Z');

  it('counts whole days and keeps what is exactly --keep-days old', () => {
    expect(ageInDays(new Date('2026-10-29T11:00:00Z'), now)).toBe(31);
    expect(isOlderThan(new Date('2026-10-30T12:00:00Z'), 30, now)).toBe(false);
    expect(isOlderThan(new Date('2026-10-30T11:59:59Z'), 30, now)).toBe(true);
    expect(isOlderThan(new Date('2026-11-29T11:59:00Z'), 0, now)).toBe(true);
  });
});
