/**
 * The push-wiki composite action, run for real with bash and git against a bare "remote" wiki: it commits as the
 * github-actions bot, does nothing when nothing changed, and rebases when another run pushed first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { git, loadAction, runScript, tmpDir, type Step } from './support/workflows';

describe('.github/actions/push-wiki', () => {
  const action = loadAction('push-wiki');
  const step = action.runs.steps.find((s) => s.run) as Step;

  /** A bare "remote" wiki with one page, and a clone of it. */
  function wikiClone() {
    const dir = tmpDir('wiki');
    const remote = path.join(dir, 'remote.git');
    const seed = path.join(dir, 'seed');
    git(dir, 'init', '-q', '--bare', remote);
    git(dir, 'clone', '-q', remote, seed);
    fs.writeFileSync(path.join(seed, 'Home.md'), '# Home\n');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'init');
    git(seed, 'push', '-q', 'origin', 'HEAD');
    const clone = path.join(dir, 'wiki');
    git(dir, 'clone', '-q', remote, clone);
    return { dir, remote, seed, clone };
  }

  it('commits the changes as the github-actions bot and pushes them', () => {
    const { remote, clone } = wikiClone();
    fs.appendFileSync(path.join(clone, 'Home.md'), '| 2026.3-main | ok |\n');
    fs.writeFileSync(path.join(clone, 'Stable_Tag.md'), 'stable\n');
    const res = runScript(step.run as string, { COMMIT_MESSAGE: 'Build $(touch pwned)' }, { cwd: clone });
    expect(res.status).toBe(0);
    expect(git(remote, 'log', '-1', '--format=%an|%s')).toBe('github-actions[bot]|Build $(touch pwned)');
    expect(git(remote, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'Home.md',
      'Stable_Tag.md',
    ]);
    expect(fs.existsSync(path.join(clone, 'pwned'))).toBe(false);
  });

  it('does nothing when the wiki is unchanged', () => {
    const { remote, clone } = wikiClone();
    const before = git(remote, 'rev-parse', 'HEAD');
    const res = runScript(step.run as string, { COMMIT_MESSAGE: 'nothing' }, { cwd: clone });
    expect(res.status).toBe(0);
    expect(git(remote, 'rev-parse', 'HEAD')).toBe(before);
  });

  it('rebases onto a wiki that another run pushed in the meantime', () => {
    const { remote, seed, clone } = wikiClone();
    fs.writeFileSync(path.join(seed, 'Other.md'), 'other\n');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'other run');
    git(seed, 'push', '-q', 'origin', 'HEAD');
    fs.appendFileSync(path.join(clone, 'Home.md'), 'row\n');
    const res = runScript(step.run as string, { COMMIT_MESSAGE: 'mine' }, { cwd: clone });
    expect(res.status).toBe(0);
    expect(git(remote, 'log', '--format=%s').split('\n')).toEqual(['mine', 'other run', 'init']);
  }, 30_000);
});
