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

  describe('pins (versions.yml) through nx lint', () => {
    const lineIn = (file: string, needle: string) => ws.read(file).split('\n').findIndex((line) => line.includes(needle)) + 1;

    /** Lints `image` with `file` changed by `edit`, then puts the file back. */
    function lintWith(image: string, file: string, edit: (text: string) => string) {
      const original = ws.read(file);
      try {
        ws.write(file, edit(original));
        return ws.nx(['lint', image, '--skip-nx-cache']);
      } finally {
        ws.write(file, original);
      }
    }

    it('fails a pinned package installed at another version, at the Dockerfile line', () => {
      const dockerfile = 'images/datascience-notebook/Dockerfile';
      const line = lineIn(dockerfile, 'pinned uv pip install --system jupyterhub');
      const result = lintWith('datascience-notebook', dockerfile, (text) => text.replace('install --system jupyterhub ', 'install --system jupyterhub==2.2.0 '));
      expect(result.status).not.toBe(0);
      const pin = lineIn('images/datascience-notebook/versions.yml', '  jupyterhub:');
      expect(result.output).toContain(
        `${dockerfile}:${line}: image "datascience-notebook": installs jupyterhub==2.2.0 but images/datascience-notebook/versions.yml:${pin} pins 4.1.5`,
      );
    });

    it('fails an unpinned install, at its line', () => {
      const dockerfile = 'images/datascience-notebook/Dockerfile';
      let line = 0;
      const result = lintWith('datascience-notebook', dockerfile, (text) => {
        line = text.split('\n').length;
        return `${text.replace(/\n$/, '')}\nRUN uv pip install --system pandas\n`;
      });
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(new RegExp(`${dockerfile}:${line}: image "datascience-notebook": installs pandas unpinned`));
    });

    it('fails an info command missing from spec.yml, naming both files', () => {
      const spec = 'images/spec.yml';
      const line = lineIn(spec, 'info_cmds: [PY_VER, PIP_LIST, CONDA_INFO, CONDA_LIST, APT_PKG_LIST]');
      const result = lintWith('datascience-notebook', spec, (text) => text.replace('CONDA_INFO, CONDA_LIST, APT_PKG_LIST]', 'CONDA_INFO, APT_PKG_LIST]'));
      expect(result.status).not.toBe(0);
      const expected = lineIn('images/datascience-notebook/versions.yml', 'info_cmds:');
      expect(result.output).toContain(
        `${spec}:${line}: image "datascience-notebook": info_cmds lacks CONDA_LIST, which images/datascience-notebook/versions.yml:${expected} expects`,
      );
    });

    it('bump changes one line of one versions.yml, which affects that image and its descendants', () => {
      const versions = 'images/datascience-notebook/versions.yml';
      const before = ws.read(versions).split('\n');
      ws.nxOk(['g', '@datahub/docker-stack:bump', 'pandas', '3.0.4', '--no-interactive']);
      const after = ws.read(versions).split('\n');
      const changed = after.map((line, index) => [before[index], line]).filter(([old, now]) => old !== now);
      expect(changed).toEqual([[expect.stringMatching(/^ {2}pandas: "3\.0\.3"/), expect.stringMatching(/^ {2}pandas: "3\.0\.4"/)]]);
      expect(ws.git('status', '--porcelain', '--', 'images')).toBe(`M ${versions}`);
      ws.commit('bump pandas');
      try {
        const affected = ws.nxOk(['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD']).stdout.split('\n').filter(Boolean).sort();
        expect(affected).toEqual(['datascience-notebook', 'rstudio-notebook', 'scipy-ml-notebook']);
        ws.nxOk(['lint', 'datascience-notebook', '--skip-nx-cache']);
      } finally {
        ws.git('reset', '-q', '--hard', 'HEAD~1');
      }
    });
  });
});
