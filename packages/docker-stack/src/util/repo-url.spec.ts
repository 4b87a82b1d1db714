import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpsUrlOfRemote, repositoryUrl } from './repo-url';

describe('the repository web address', () => {
  it.each([
    ['git@github.com:ucsd-ets/datahub-docker-stack.git', 'https://github.com/ucsd-ets/datahub-docker-stack'],
    ['github.com:ucsd-ets/datahub-docker-stack', 'https://github.com/ucsd-ets/datahub-docker-stack'],
    ['ssh://git@github.com:22/ucsd-ets/datahub-docker-stack.git', 'https://github.com/ucsd-ets/datahub-docker-stack'],
    ['https://github.com/ucsd-ets/datahub-docker-stack.git', 'https://github.com/ucsd-ets/datahub-docker-stack'],
    ['https://x-access-token:secret@github.com/ucsd-ets/datahub-docker-stack/', 'https://github.com/ucsd-ets/datahub-docker-stack'],
    ['https://git.example.org:8443/team/stack.git', 'https://git.example.org:8443/team/stack'],
    ['ssh://git@git.example.org:2222/group/sub/stack', 'https://git.example.org/group/sub/stack'],
  ])('%s -> %s', (remote, url) => {
    expect(httpsUrlOfRemote(remote)).toBe(url);
  });

  it.each(['/srv/git/stack.git', '../stack', 'file:///srv/git/stack.git', ''])('is not guessed from a local remote "%s"', (remote) => {
    expect(httpsUrlOfRemote(remote)).toBeUndefined();
  });

  describe('in a checkout', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'repo-url-'));
      execFileSync('git', ['init', '-q'], { cwd: dir });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('prefers GITHUB_SERVER_URL/GITHUB_REPOSITORY, else the origin remote', () => {
      execFileSync('git', ['remote', 'add', 'origin', 'git@github.com:o/from-remote.git'], { cwd: dir });
      expect(repositoryUrl({ GITHUB_SERVER_URL: 'https://github.com/', GITHUB_REPOSITORY: 'o/from-env' }, dir)).toBe('https://github.com/o/from-env');
      expect(repositoryUrl({}, dir)).toBe('https://github.com/o/from-remote');
    });

    it('says how to fix a checkout without an origin, and never prints a remote', () => {
      expect(() => repositoryUrl({}, dir)).toThrow(/set GITHUB_SERVER_URL and GITHUB_REPOSITORY, or add an "origin" remote/);
      execFileSync('git', ['remote', 'add', 'origin', '/srv/secret-path.git'], { cwd: dir });
      expect(() => repositoryUrl({}, dir)).toThrow(/^(?!.*secret-path).*neither an ssh nor an https URL/);
    });
  });
});
