/**
 * The real DataHub stack of images/ through the nx CLI. Its images cannot be built here (no public registry),
 * so what guards them on these machines is inference and the static `lint` check.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, TempWorkspace } from './support/workspace';

jest.setTimeout(180_000);

const PARENTS: Record<string, string | undefined> = {
  'datascience-notebook': undefined,
  'scipy-ml-notebook': 'datascience-notebook',
  'rstudio-notebook': 'datascience-notebook',
};

describe('the DataHub stack in images/', () => {
  let ws: TempWorkspace;

  beforeAll(() => {
    ws = new TempWorkspace('datahub');
    ws.copyStack(join(REPO_ROOT, 'images'));
    ws.write('.nxignore', readFileSync(join(REPO_ROOT, '.nxignore'), 'utf8'));
    ws.commit('the DataHub stack');
  });

  afterAll(() => ws?.remove());

  it('has the three images, the two children under the root', () => {
    const graphFile = ws.path('graph.json');
    ws.nxOk(['graph', `--file=${graphFile}`]);
    const graph = JSON.parse(readFileSync(graphFile, 'utf8')).graph;
    for (const [image, parent] of Object.entries(PARENTS)) {
      expect(graph.nodes[image].data.metadata.dockerImage.parent).toBe(parent ?? null);
      expect(graph.dependencies[image].map((edge: { target: string }) => edge.target)).toEqual(parent ? [parent] : []);
    }
    expect(graph.nodes['scipy-ml-notebook'].data.targets['integration-test']).toBeUndefined();
    expect(graph.nodes['rstudio-notebook'].data.targets['integration-test']).toBeDefined();
    expect(graph.nodes['rstudio-notebook'].data.targets.prune).toBeDefined();
  });

  it('passes lint on every image', () => {
    const result = ws.nxOk(['run-many', '-t', 'lint', '--skip-nx-cache', '--output-style=static']);
    for (const image of Object.keys(PARENTS)) {
      expect(result.output).toMatch(new RegExp(`${image}: definition OK \\(\\d+ checks\\)`));
    }
  });

  it('fails lint on a child whose FROM names the wrong parent, saying which image and why', () => {
    const dockerfile = ws.path('images/scipy-ml-notebook/Dockerfile');
    const original = readFileSync(dockerfile, 'utf8');
    try {
      writeFileSync(dockerfile, original.replace('ghcr.io/ucsd-ets/datascience-notebook:${BASE_TAG}', 'ghcr.io/ucsd-ets/rstudio-notebook:${BASE_TAG}'));
      const result = ws.nx(['lint', 'scipy-ml-notebook', '--skip-nx-cache']);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain(
        'image "scipy-ml-notebook": FROM must be ghcr.io/ucsd-ets/datascience-notebook:${BASE_TAG} (the parent in images/spec.yml), found ghcr.io/ucsd-ets/rstudio-notebook:${BASE_TAG}',
      );
    } finally {
      writeFileSync(dockerfile, original);
    }
  });

  it('fails lint on a missing COPY source, naming the file and line', () => {
    const dockerfile = ws.path('images/rstudio-notebook/Dockerfile');
    const original = readFileSync(dockerfile, 'utf8');
    try {
      writeFileSync(dockerfile, `${original}\nCOPY rstudio/missing.conf /etc/rstudio/missing.conf\n`);
      const line = original.split('\n').length + 1;
      const result = ws.nx(['lint', 'rstudio-notebook', '--skip-nx-cache']);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain(`images/rstudio-notebook/Dockerfile:${line}: image "rstudio-notebook": COPY/ADD source "rstudio/missing.conf" does not exist`);
    } finally {
      writeFileSync(dockerfile, original);
    }
  });
});
