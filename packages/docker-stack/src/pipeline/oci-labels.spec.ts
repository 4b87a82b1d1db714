import { repositoryUrl } from './oci-labels';

describe('repositoryUrl', () => {
  it.each([
    ['git@github.com:ucsd-ets/datahub-docker-stack.git', 'https://github.com/ucsd-ets/datahub-docker-stack'],
    ['ssh://git@github.com/ucsd-ets/stack.git', 'https://github.com/ucsd-ets/stack'],
    ['ssh://git@git.example.org:2222/group/sub/stack', 'https://git.example.org/group/sub/stack'],
    ['https://github.com/ucsd-ets/stack.git', 'https://github.com/ucsd-ets/stack'],
    ['https://token@github.com/ucsd-ets/stack/', 'https://github.com/ucsd-ets/stack'],
  ])('%s is %s', (remote, url) => {
    expect(repositoryUrl(remote)).toBe(url);
  });

  it.each(['/work/main', '../stack', 'file:///srv/git/stack.git', ''])('a local remote "%s" is no URL', (remote) => {
    expect(repositoryUrl(remote)).toBeUndefined();
  });

  it('no remote is no URL', () => {
    expect(repositoryUrl(undefined)).toBeUndefined();
  });
});
