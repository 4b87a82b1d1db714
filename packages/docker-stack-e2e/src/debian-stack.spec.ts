/**
 * The Debian notebook stack (tools/debian-stack) through the whole pipeline and the nx CLI, on the real engine, the
 * registry on 127.0.0.1:5000 and real pytest: Jupyter servers that answer, notebooks run by nbconvert, the R kernel,
 * torch and scikit-learn training, an R Markdown document knitted, hundreds of megabytes pushed, manifest pages with
 * real `pip list` and `apt list`, promotion to <prefix>-stable, and `nx serve` giving a URL whose token answers.
 * Minutes per image, so it runs only when DEBIAN_STACK=1 (jest.config.js; `.ci/run` does, once).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { docker, layers, registryDigest, removeImagesUnder, REGISTRY } from './support/docker';
import { REPO_ROOT, startNx, TempWorkspace, uniqueId, waitForOutput } from './support/workspace';

jest.setTimeout(3_600_000);

const IMAGES = ['datascience-notebook', 'scipy-ml-notebook', 'rstudio-notebook'];
const MAIN_TAG = '2026.3-main';
const namespace = `e2e-debian-${uniqueId()}`;
const repository = (image: string) => `${REGISTRY}/${namespace}/${image}`;
const step = (ws: TempWorkspace, image: string, name: string) => JSON.parse(ws.read(`artifacts/${image}/${name}.json`));

describe('the Debian notebook stack, end to end', () => {
  let ws: TempWorkspace;
  let serve: ChildProcess | undefined;

  beforeAll(() => {
    execFileSync(join(REPO_ROOT, 'tools/debian-stack/make-base.sh'), { stdio: 'inherit' });
    ws = new TempWorkspace('debian');
    ws.copyStack(join(REPO_ROOT, 'tools/debian-stack/images'), [[`${REGISTRY}/datahub-debian/`, `${REGISTRY}/${namespace}/`]]);
    ws.commit('the Debian notebook stack');
  });

  afterAll(async () => {
    if (serve?.exitCode === null && serve.pid) {
      process.kill(-serve.pid, 'SIGKILL');
    }
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    ws?.remove();
  });

  it('builds, tests, pushes, runs the integration test and writes manifests with real package lists', async () => {
    ws.nxOk(['run-many', '-t', 'build', 'test', 'push', 'integration-test', 'manifest', '--parallel=1']);
    for (const image of IMAGES) {
      expect(await registryDigest(`${namespace}/${image}`, MAIN_TAG)).toMatch(/^sha256:/);
      // Every acceptance test ran and passed: JUnit's counts, not only the exit code.
      expect(ws.read(`artifacts/${image}/test.xml`)).toMatch(/<testsuite [^>]*errors="0" failures="0" skipped="0" tests="[1-9]\d*"/);
    }
    for (const child of ['scipy-ml-notebook', 'rstudio-notebook']) {
      const parentLayers = await layers(`${repository('datascience-notebook')}:${MAIN_TAG}`);
      expect((await layers(`${repository(child)}:${MAIN_TAG}`)).slice(0, parentLayers.length)).toEqual(parentLayers);
    }
    expect(step(ws, 'rstudio-notebook', 'integration-test').success).toBe(true);
    expect(ws.read('artifacts/rstudio-notebook/integration-test.xml')).toContain('test_knits_the_rmd_to_html_with_its_table_and_plot');

    const page = (image: string) => ws.read(`manifests/${`${repository(image)}:${MAIN_TAG}`.replace(/[/:]/g, '-')}.md`);
    expect(page('datascience-notebook')).toMatch(/## Python packages\n[\s\S]*\bnotebook\s+6\.4\.12\b/);
    expect(page('datascience-notebook')).toMatch(/## Debian packages\n[\s\S]*\bjupyter-notebook\/[^\s]+ 6\.4\.12-\S+ all \[installed[^\]]*\]/);
    expect(page('datascience-notebook')).toMatch(/## Jupyter kernels\n[\s\S]*\bir\s+\/usr\/share\/jupyter\/kernels\/ir/);
    expect(page('scipy-ml-notebook')).toMatch(/\bpython3-torch\/\S+ 1\.13\.1\+dfsg-\S+ amd64 \[installed[^\]]*\]/);
    expect(page('rstudio-notebook')).toMatch(/## R version\n[\s\S]*R version 4\.2\.2/);
    // Hundreds of megabytes: what a notebook stack really pushes.
    const [, size, unit] = /\| Size \| ([\d.]+) (MB|GB) \|/.exec(page('scipy-ml-notebook')) ?? [];
    expect(Number(size) * (unit === 'GB' ? 1000 : 1)).toBeGreaterThan(300);
  });

  it('promotes the whole stack to <prefix>-stable and writes the wiki and the summary', async () => {
    ws.nxOk(['run', 'stack:wiki']);
    // The wiki's links name the repository the images were built from, as on GitHub.
    ws.nxOk(['run', 'stack:promote', `--tag=${MAIN_TAG}`], { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'ucsd-ets/datahub-docker-stack' });
    for (const image of IMAGES) {
      expect(await registryDigest(`${namespace}/${image}`, '2026.3-stable')).toBe(await registryDigest(`${namespace}/${image}`, MAIN_TAG));
    }
    const summary = ws.nxOk(['run', 'stack:summary']);
    for (const image of IMAGES) {
      // Each image's pushed size, read from the registry (compressed layers), not the engine's.
      expect(summary.output).toMatch(new RegExp(`\\| ${image} \\|[^\\n]*\\| \\d+(\\.\\d)? (MB|GB) \\|`));
    }
    expect(summary.output).not.toContain('(local)');
  });

  it('nx serve datascience-notebook prints a URL whose token opens the notebook server', async () => {
    const run = startNx(ws, ['serve', 'datascience-notebook'], {}, { detached: true });
    serve = run.child;
    const [, url, token] = await waitForOutput(serve, /is serving at (http:\/\/127\.0\.0\.1:\d+\/)\?token=(\w+)/, 600);
    expect((await fetch(`${url}api/contents`)).status).toBe(403);
    const listing = await fetch(`${url}api/contents?token=${token}`);
    expect(listing.status).toBe(200);
    expect(((await listing.json()) as { type: string }).type).toBe('directory');
    process.kill(-(serve.pid as number), 'SIGINT');
    await run.result;
  });

  it('prunes rstudio-notebook from the engine and frees what it says', async () => {
    const layersSize = async () => ((await docker.df()) as { LayersSize: number }).LayersSize;
    const before = await layersSize();
    ws.nxOk(['run', 'rstudio-notebook:prune']);
    const freed = before - (await layersSize());
    const { reclaimedBytes, removed } = step(ws, 'rstudio-notebook', 'prune');
    expect(removed).toContain(`${repository('rstudio-notebook')}:${MAIN_TAG}`);
    // Its own layers (R Markdown, knitr and their R packages): tens of megabytes at least, and exactly what the engine lost.
    expect(reclaimedBytes).toBeGreaterThan(20_000_000);
    expect(Math.abs(reclaimedBytes - freed)).toBeLessThan(1_000_000);
  });
});
