/**
 * The README's stack diagram is kept by the readme-diagram sync generator (nx.json `sync.globalGenerators`):
 * `nx sync:check` on this repository fails when README.md does not show images/spec.yml.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NX_CLI, nxEnvironment } from '../packages/docker-stack-e2e/src/support/workspace';

const root = join(__dirname, '..');

jest.setTimeout(180_000);

it('README.md shows the current stack: nx sync:check passes (fix: npx nx sync)', () => {
  const result = spawnSync(process.execPath, [NX_CLI, 'sync:check'], { cwd: root, env: nxEnvironment(), encoding: 'utf8' });
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
