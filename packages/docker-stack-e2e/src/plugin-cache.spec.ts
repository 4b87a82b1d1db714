/**
 * The plugin's inference cache (`.nx/workspace-data/docker-stack-*.hash`), through the nx CLI: a second
 * `nx show projects` with no change is served from it, and a change to spec.yml, change_ignore.json or a
 * Dockerfile infers again. To tell a hit from a fresh inference, the test marks the cached entry.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY } from './support/docker';
import { writeTinyStack } from './support/tiny-stack';
import { TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(300_000);

describe('the inference cache', () => {
  let ws: TempWorkspace;
  const repository = `${REGISTRY}/e2e-${uniqueId()}/cached-img`;
  const description = () => JSON.parse(ws.nxOk(['show', 'project', 'cached-img', '--json']).stdout).metadata.description as string;
  const cacheFiles = () => readdirSync(ws.path('.nx/workspace-data')).filter((name) => /^docker-stack-.*\.hash$/.test(name));
  /** Rewrites the description in every cached entry: only a projects list taken from the cache shows the mark. */
  const markCache = () => {
    for (const name of cacheFiles()) {
      const path = ws.path(join('.nx/workspace-data', name));
      writeFileSync(path, readFileSync(path, 'utf8').split(`Docker image ${repository}`).join('MARKED IN THE CACHE'));
    }
  };

  beforeAll(() => {
    ws = new TempWorkspace('plugin-cache');
    writeTinyStack(ws, { 'cached-img': repository });
    ws.commit('tiny stack');
  });

  afterAll(() => ws?.remove());

  it('serves a second nx show projects with no change from the cache', () => {
    expect(ws.nxOk(['show', 'projects']).stdout).toContain('cached-img');
    expect(cacheFiles()).toHaveLength(1);
    markCache();
    expect(ws.nxOk(['show', 'projects']).stdout).toContain('cached-img');
    expect(description()).toBe('MARKED IN THE CACHE, a root of the stack');
  });

  it.each([
    ['images/spec.yml', (text: string) => `${text}# a comment\n`],
    ['images/change_ignore.json', (text: string) => text.replace('"ChangeIgnore": [', '"ChangeIgnore": ["NOTES.md", ')],
    ['images/cached-img/Dockerfile', (text: string) => `${text}LABEL changed=yes\n`],
  ])('infers again after a change to %s', (file, change) => {
    markCache();
    expect(description()).toContain('MARKED IN THE CACHE');
    ws.write(file, change(ws.read(file)));
    expect(description()).toBe(`Docker image ${repository}, a root of the stack`);
  });
});
