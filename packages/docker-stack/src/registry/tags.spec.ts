import { branchTag, currentBranch } from './tags';

describe('branchTag', () => {
  it('joins prefix and branch', () => {
    expect(branchTag('2026.3', 'main')).toBe('2026.3-main');
  });

  it('turns characters Docker refuses into dashes and trims leading dots and dashes', () => {
    expect(branchTag('2026.3', 'feature/new image#2')).toBe('2026.3-feature-new-image-2');
    expect(branchTag('2026.3', '.-hidden')).toBe('2026.3-hidden');
  });

  it('keeps the whole tag within 128 characters', () => {
    const tag = branchTag('2026.3', 'x'.repeat(300));
    expect(tag.length).toBe(128);
    expect(tag.startsWith('2026.3-xxx')).toBe(true);
  });

  it.each(['stable', 'Stable', 'latest', '/stable'])('refuses the branch %s, whose tag promotion owns', (branch) => {
    expect(() => branchTag('2026.3', branch)).toThrow(/only promotion may write/);
  });

  it('refuses a branch that leaves nothing usable', () => {
    expect(() => branchTag('2026.3', '///')).toThrow(/no usable Docker tag/);
  });
});

describe('currentBranch', () => {
  it('prefers the pull request head, then the pushed ref', () => {
    expect(currentBranch({ GITHUB_HEAD_REF: 'pr-branch', GITHUB_REF_NAME: '12/merge' }, '/')).toBe('pr-branch');
    expect(currentBranch({ GITHUB_REF_NAME: 'main' }, '/')).toBe('main');
  });

  it('says why when there is no git checkout to ask', () => {
    expect(() => currentBranch({}, '/')).toThrow(/not a git checkout/);
  });
});
