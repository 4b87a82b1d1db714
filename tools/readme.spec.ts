/** The stack diagram in README.md must be the one generated from images/spec.yml. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStack, stackDiagram, withDiagram } from '@datahub/docker-stack';

const root = join(__dirname, '..');

it('README.md shows the current stack (regenerate: npx nx g @datahub/docker-stack:readme-diagram)', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const { spec } = loadStack(root, 'images');
  expect(withDiagram(readme, stackDiagram(spec))).toBe(readme);
  expect(readme).toContain('datascience_notebook --> scipy_ml_notebook');
});

it('the README quick start names the commands CI and users run', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  expect(readme).toContain('npm run demo');
  expect(readme).toContain('npm test');
  expect(readFileSync(join(root, '.ci/run'), 'utf8')).toContain('npm test');
});
