/**
 * The main job end to end, through the nx CLI, on the example stack (4 images, 3 levels, built from the local
 * busybox base image) against the real Docker engine, the registry on 127.0.0.1:5000 and real pytest.
 * The steps share one workspace and run in order, as a maintainer's day would.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CacheServer } from './support/cache-server';
import { deleteFromRegistry, imageId, layers, referencesUnder, registryDigest, removeImagesUnder, REGISTRY } from './support/docker';
import { ranTasks, REPO_ROOT, TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(600_000);

const EXAMPLE = join(REPO_ROOT, 'tools/example-stack/images');
const IMAGES = ['example-base', 'example-python', 'example-ml', 'example-r'];
const PIPELINE = ['build', 'test', 'push', 'integration-test', 'manifest'];
const namespace = `e2e-${uniqueId()}`;
const repository = (image: string) => `${REGISTRY}/${namespace}/${image}`;
const reference = (image: string, tag: string) => `${repository(image)}:${tag}`;
/** Manifest pages are named after the full image name, with `/` and `:` made `-`. */
const page = (image: string, tag: string) => `${reference(image, tag).replace(/[/:]/g, '-')}`;

function buildIds(ws: TempWorkspace): Record<string, string> {
  return Object.fromEntries(
    IMAGES.map((image) => [image, JSON.parse(ws.read(`artifacts/${image}/build.json`)).imageId as string]),
  );
}

describe('the main job on the example stack', () => {
  const cache = new CacheServer();
  let ws: TempWorkspace;
  let firstIds: Record<string, string>;

  beforeAll(async () => {
    await cache.start();
    ws = new TempWorkspace('pipeline');
    ws.copyStack(EXAMPLE, [[`${REGISTRY}/datahub-example/`, `${REGISTRY}/${namespace}/`]]);
    ws.commit('example stack');
  });

  afterAll(async () => {
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    await cache.stop();
    ws?.remove();
  });

  it('builds, tests, pushes and documents every image, each child on its parent\'s new image', async () => {
    const result = ws.nxOk(['run-many', '-t', ...PIPELINE, '--parallel=2'], cache.env());
    expect(ranTasks(result).filter((task) => task.endsWith(':build')).sort()).toEqual(IMAGES.map((i) => `${i}:build`).sort());

    for (const image of IMAGES) {
      expect(await imageId(reference(image, '2026.3-main'))).toBeDefined();
      expect(await registryDigest(`${namespace}/${image}`, '2026.3-main')).toMatch(/^sha256:/);
    }
    // A child's layers start with all of its parent's layers: it sits on the image just built.
    for (const [child, parent] of [['example-python', 'example-base'], ['example-ml', 'example-python'], ['example-r', 'example-base']]) {
      const parentLayers = await layers(reference(parent, '2026.3-main'));
      const childLayers = await layers(reference(child, '2026.3-main'));
      expect(childLayers.slice(0, parentLayers.length)).toEqual(parentLayers);
      expect(childLayers.length).toBeGreaterThan(parentLayers.length);
      const build = JSON.parse(ws.read(`artifacts/${child}/build.json`));
      expect(build.parent.imageId).toBe(await imageId(reference(parent, '2026.3-main')));
      expect(build.buildArgs.BASE_TAG).toBe('2026.3-main');
    }

    const manifest = ws.read(`manifests/${page('example-base', '2026.3-main')}.md`);
    expect(manifest).toContain(`# ${reference('example-base', '2026.3-main')}`);
    expect(manifest).toContain('## Layers');
    expect(manifest).toMatch(/\| Digest \| `sha256:[0-9a-f]{64}` \|/);
    expect(manifest).toMatch(/## Stack files\n\n`ls -la \/opt\/stack`\n\n```text\n[^`]*example-base/);
    expect(existsSync(ws.path(`wiki/${page('example-ml', '2026.3-main')}.md`))).toBe(true);
    expect(JSON.parse(ws.read('artifacts/example-r/integration-test.json')).success).toBe(true);
    expect(ws.read('logs/example-base/build.log')).toMatch(/Step 1\/\d+ : FROM/);
    expect(ws.read('logs/example-base/test.log')).toMatch(/passed/);
    firstIds = buildIds(ws);
  });

  it('rebuilds nothing when nothing changed', () => {
    ws.commit('no change');
    const result = ws.nxOk(['affected', '-t', 'build', '--base=HEAD~1', '--head=HEAD'], cache.env());
    expect(ranTasks(result)).toEqual([]);
  });

  it('after a leaf changes, rebuilds that leaf alone', () => {
    writeFileSync(ws.path('images/example-ml/files/model.txt'), 'model v2\n');
    ws.commit('change the leaf');
    const result = ws.nxOk(['affected', '-t', ...PIPELINE, '--base=HEAD~1', '--head=HEAD'], cache.env());
    expect(ranTasks(result).filter((task) => task.endsWith(':build'))).toEqual(['example-ml:build']);
    const ids = buildIds(ws);
    expect(ids['example-ml']).not.toBe(firstIds['example-ml']);
    for (const image of ['example-base', 'example-python', 'example-r']) {
      expect(ids[image]).toBe(firstIds[image]);
    }
  });

  it('after the middle image changes, rebuilds it and its descendants only', () => {
    const before = buildIds(ws);
    writeFileSync(ws.path('images/example-python/files/version.txt'), 'python v2\n');
    ws.commit('change the middle image');
    const result = ws.nxOk(['affected', '-t', ...PIPELINE, '--base=HEAD~1', '--head=HEAD'], cache.env());
    expect(ranTasks(result).filter((task) => task.endsWith(':build')).sort()).toEqual(['example-ml:build', 'example-python:build']);
    const ids = buildIds(ws);
    expect(ids['example-base']).toBe(before['example-base']);
    expect(ids['example-r']).toBe(before['example-r']);
    expect(ids['example-python']).not.toBe(before['example-python']);
  });

  it('a failing test stops that image and its descendants; its sibling goes on', async () => {
    ws.git('checkout', '-q', '-b', 'broken-tests');
    const testFile = readdirSync(ws.path('images/example-python/test')).find((file) => file.endsWith('.py'));
    writeFileSync(ws.path(`images/example-python/test/${testFile}`), `${ws.read(`images/example-python/test/${testFile}`)}\n\ndef test_fails_on_purpose():\n    assert False, "broken on purpose"\n`);
    writeFileSync(ws.path('images/example-r/files/extra.txt'), 'sibling change\n');
    ws.commit('break a test');
    const result = ws.nx(['run-many', '-t', 'build', 'test', 'push', '--parallel=2'], cache.env());
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('broken on purpose');
    const tag = '2026.3-broken-tests';
    expect(await registryDigest(`${namespace}/example-python`, tag)).toBeUndefined();
    expect(await imageId(reference('example-ml', tag))).toBeUndefined();
    expect(ranTasks(result)).not.toContain('example-ml:build');
    expect(await registryDigest(`${namespace}/example-r`, tag)).toMatch(/^sha256:/);
    expect(await registryDigest(`${namespace}/example-base`, tag)).toMatch(/^sha256:/);
  });

  it("a broken Dockerfile fails the build with the daemon's error, live and in the log", () => {
    ws.write('images/example-r/Dockerfile', `${ws.read('images/example-r/Dockerfile')}RUN echo about to fail && exit 3\n`);
    ws.commit('break the build');
    const result = ws.nx(['run', 'example-r:build', '--output-style=static']);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/ERROR: .*returned a non-zero code: 3/);
    expect(result.output).toMatch(/Step \d+\/\d+ : RUN echo about to fail/);
    expect(JSON.parse(ws.read('artifacts/example-r/build.json')).success).toBe(false);
    expect(ws.read('logs/example-r/build.log')).toContain('about to fail');
  });

  it('promotion fails as a whole when a source tag is missing, naming the image', async () => {
    const result = ws.nx(['run', 'stack:promote', '--tag=2026.3-broken-tests']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`example-python (${repository('example-python')}:2026.3-broken-tests)`);
    for (const image of IMAGES) {
      expect(await registryDigest(`${namespace}/${image}`, '2026.3-stable')).toBeUndefined();
    }
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    ws.git('checkout', '-q', 'main');
    const result = ws.nxOk(['run', 'stack:promote', '--tag=2026.3-main', '--dry-run']);
    expect(result.output).toContain(`would tag ${reference('example-base', '2026.3-main')} -> ${reference('example-base', '2026.3-stable')}`);
    for (const image of IMAGES) {
      expect(await registryDigest(`${namespace}/${image}`, '2026.3-stable')).toBeUndefined();
    }
    expect(existsSync(ws.path('wiki/Home.md'))).toBe(false);
  });

  it('records the main-line build in wiki/Home.md', () => {
    ws.nxOk(['run', 'stack:wiki']);
    const home = ws.read('wiki/Home.md');
    for (const image of IMAGES) {
      expect(home).toContain(`[\`${reference(image, '2026.3-main')}\`](${page(image, '2026.3-main')})`);
    }
  });

  it('promotes <prefix>-main to <prefix>-stable and then stable in the registry, pulling no layer', async () => {
    const localBefore = (await referencesUnder(`${REGISTRY}/${namespace}/`)).sort();
    ws.nxOk(['run', 'stack:promote', '--tag=2026.3-main']);
    ws.nxOk(['run', 'stack:promote', '--tag=2026.3', '--global']);
    for (const image of IMAGES) {
      const main = await registryDigest(`${namespace}/${image}`, '2026.3-main');
      expect(await registryDigest(`${namespace}/${image}`, '2026.3-stable')).toBe(main);
      expect(await registryDigest(`${namespace}/${image}`, 'stable')).toBe(main);
      expect(ws.read(`wiki/${page(image, '2026.3-stable')}.md`)).toBe(ws.read(`wiki/${page(image, '2026.3-main')}.md`));
    }
    expect((await referencesUnder(`${REGISTRY}/${namespace}/`)).sort()).toEqual(localBefore);
    expect(ws.read('wiki/Home.md')).toContain('Promoted 2026.3-main to 2026.3-stable');
    const stablePage = ws.read('wiki/Stable_Tag.md');
    for (const image of IMAGES) {
      expect(stablePage).toContain(`| ${image} | \`${reference(image, 'stable')}\` |`);
    }
  });

  it('prunes an image with prune: true once its pipeline is done, reporting the space reclaimed', async () => {
    expect(await imageId(reference('example-ml', '2026.3-main'))).toBeDefined();
    const result = ws.nxOk(['run', 'example-ml:prune']);
    expect(result.output).toMatch(/removed .*example-ml:2026\.3-main.*; reclaimed [\d.]+ [KMG]?B/);
    expect(await imageId(reference('example-ml', '2026.3-main'))).toBeUndefined();
    expect(await imageId(reference('example-python', '2026.3-main'))).toBeDefined();
    expect(JSON.parse(ws.read('artifacts/example-ml/prune.json')).reclaimedBytes).toBeGreaterThanOrEqual(0);
  });

  it('on a fresh runner sharing only the registry and the remote cache, rebuilds nothing, then only a changed leaf', async () => {
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    const fresh = new TempWorkspace('fresh-runner');
    try {
      fresh.git('fetch', '-q', ws.root, 'main');
      fresh.git('checkout', '-q', '-f', '-B', 'main', 'FETCH_HEAD');
      const unchanged = fresh.nxOk(['run-many', '-t', ...PIPELINE], cache.env());
      expect(ranTasks(unchanged)).toEqual([]);
      expect(await referencesUnder(`${REGISTRY}/${namespace}/`)).toEqual([]);

      writeFileSync(fresh.path('images/example-r/files/extra.txt'), 'changed on the fresh runner\n');
      fresh.commit('change a leaf on the fresh runner');
      const leaf = fresh.nxOk(['affected', '-t', ...PIPELINE, '--base=HEAD~1', '--head=HEAD'], cache.env());
      expect(ranTasks(leaf).filter((task) => task.endsWith(':build'))).toEqual(['example-r:build']);
      // The parent came from the registry by its content tag: the very image the first runner built.
      const parentBuild = JSON.parse(readFileSync(fresh.path('artifacts/example-base/build.json'), 'utf8'));
      expect(await imageId(reference('example-base', '2026.3-main'))).toBe(parentBuild.imageId);
      expect(parentBuild.imageId).toBe(firstIds['example-base']);

      // A build the cache vouches for, whose image no engine holds and no registry has (never pushed, say its
      // tests failed then): a test-only change re-runs the tests on it, so it is built again from the same inputs.
      const leafBuild = JSON.parse(fresh.read('artifacts/example-r/build.json'));
      await deleteFromRegistry(`${namespace}/example-r`, leafBuild.contentTag);
      await removeImagesUnder(repository('example-r'));
      writeFileSync(fresh.path('images/example-r/test/test_more.py'), 'def test_one_more(container):\n    assert container.run("true")[0] == 0\n');
      fresh.commit('a test-only change');
      const retest = fresh.nxOk(['affected', '-t', 'test', '--base=HEAD~1', '--head=HEAD'], cache.env());
      expect(ranTasks(retest)).toEqual(['example-r:test']);
      expect(fresh.read('logs/example-r/test.log')).toContain('is not in the registry either (it was never pushed): building it again from the same inputs');
      expect(await imageId(reference('example-r', '2026.3-main'))).toBe(JSON.parse(fresh.read('artifacts/example-r/build.json')).imageId);
    } finally {
      fresh.remove();
    }
  });

  it('says clearly when the Docker engine is not running', () => {
    const result = ws.nx(['run', 'example-base:build', '--skip-nx-cache'], { DOCKER_HOST: 'unix:///tmp/no-docker-here.sock' });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('The Docker engine is not running or not reachable at unix:///tmp/no-docker-here.sock');
    expect(result.output).toMatch(/Start it/);
  });
});
