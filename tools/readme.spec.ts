/**
 * The README's stack diagram is kept by the readme-diagram sync generator (nx.json `sync.globalGenerators`):
 * `nx sync:check` on this repository fails when README.md does not show images/spec.yml.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

jest.setTimeout(180_000);

it('README.md shows the current stack: nx sync:check passes (fix: npx nx sync)', () => {
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' };
  const result = spawnSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'sync:check'], { cwd: root, env, encoding: 'utf8' });
  expect(`${result.stdout}${result.stderr}`).toContain('[@datahub/docker-stack:readme-diagram]: All files are up to date.');
  expect(result.status).toBe(0);
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('datascience_notebook --> scipy_ml_notebook');
});

it('the README quick start names the commands CI and users run', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  expect(readme).toContain('npm run demo');
  expect(readme).toContain('npm test');
  expect(readFileSync(join(root, '.ci/run'), 'utf8')).toContain('npm test');
});
