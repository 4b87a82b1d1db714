/**
 * The main job end to end, through the nx CLI, on the example stack (4 images, 3 levels, built from the local
 * busybox base image) against the real Docker engine, the registry on 127.0.0.1:5000 and real pytest.
 * beforeAll runs the whole pipeline once on `main`; every test starts from that `main` and makes its own
 * changes on a branch of its own, so `jest -t '<name>'` runs any test alone.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CacheServer } from './support/cache-server';
import { deleteFromRegistry, imageId, layers, referencesUnder, registryDigest, removeImagesUnder, REGISTRY } from './support/docker';
import { ExampleStack, IMAGES, MAIN_TAG, PIPELINE } from './support/example-stack';
import { cachedTasks, ranTasks, TempWorkspace, type NxResult } from './support/workspace';

jest.setTimeout(600_000);

describe('the main job on the example stack', () => {
  const cache = new CacheServer();
  let stack: ExampleStack;
  let ws: TempWorkspace;
  let first: NxResult;
  let firstIds: Record<string, string>;
  const reference = (image: string, tag?: string) => stack.reference(image, tag);
  const page = (image: string, tag?: string) => stack.page(image, tag);
  const digests = (tag: string) => Promise.all(IMAGES.map((image) => registryDigest(stack.path(image), tag)));

  beforeAll(async () => {
    await cache.start();
    stack = new ExampleStack('pipeline');
    ws = stack.ws;
    first = ws.nxOk(['run-many', '-t', ...PIPELINE, '--parallel=2'], cache.env());
    firstIds = stack.buildIds();
  });

  beforeEach(() => ws.git('checkout', '-q', '-f', 'main'));

  afterAll(async () => {
    await stack?.remove();
    await cache.stop();
  });

  it('builds, tests, pushes and documents every image, each child on its parent\'s new image', async () => {
    expect(ranTasks(first).filter((task) => task.endsWith(':build')).sort()).toEqual(IMAGES.map((i) => `${i}:build`).sort());

    for (const image of IMAGES) {
      expect(await imageId(reference(image))).toBeDefined();
      expect(await registryDigest(stack.path(image), MAIN_TAG)).toMatch(/^sha256:/);
    }
    // A child's layers start with all of its parent's layers: it sits on the image just built.
    for (const [child, parent] of [['example-python', 'example-base'], ['example-ml', 'example-python'], ['example-r', 'example-base']]) {
      const parentLayers = await layers(reference(parent));
      const childLayers = await layers(reference(child));
      expect(childLayers.slice(0, parentLayers.length)).toEqual(parentLayers);
      expect(childLayers.length).toBeGreaterThan(parentLayers.length);
      const build = stack.build(child);
      expect(build.parent.imageId).toBe(await imageId(reference(parent)));
      expect(build.buildArgs.BASE_TAG).toBe(MAIN_TAG);
    }

    const manifest = ws.read(`manifests/${page('example-base')}.md`);
    expect(manifest).toContain(`# ${reference('example-base')}`);
    expect(manifest).toContain('## Layers');
    expect(manifest).toMatch(/\| Digest \| `sha256:[0-9a-f]{64}` \|/);
    expect(manifest).toMatch(/## Stack files\n\n`ls -la \/opt\/stack`\n\n```text\n[^`]*example-base/);
    expect(existsSync(ws.path(`wiki/${page('example-ml')}.md`))).toBe(true);
    expect(JSON.parse(ws.read('artifacts/example-r/integration-test.json')).success).toBe(true);
    expect(ws.read('logs/example-base/build.log')).toMatch(/Step 1\/\d+ : FROM/);
    expect(ws.read('logs/example-base/test.log')).toMatch(/passed/);
  });

  it('rebuilds nothing when nothing changed', async () => {
    expect(ws.git('status', '--porcelain')).toBe('');
    const result = ws.nxOk(['run-many', '-t', 'build'], cache.env());
    expect(ranTasks(result)).toEqual([]);
    // Every build, and the parents' tests the builds depend on, came from the cache.
    const cached = cachedTasks(result);
    expect(cached).toEqual(expect.arrayContaining(IMAGES.map((image) => `${image}:build`)));
    expect(result.output).toMatch(new RegExp(`Cache: +${cached.length}/${cached.length} hit \\(100%\\)`));
    expect(stack.buildIds()).toEqual(firstIds);
    for (const image of IMAGES) {
      expect(await imageId(reference(image))).toBe(firstIds[image]);
    }
  });

  it('after a leaf changes, rebuilds that leaf alone', () => {
    stack.branchWithChange('leaf-change', 'example-ml/files/model.txt');
    const result = ws.nxOk(['affected', '-t', ...PIPELINE, '--base=main', '--head=HEAD'], cache.env());
    expect(ranTasks(result).filter((task) => task.endsWith(':build'))).toEqual(['example-ml:build']);
    const ids = stack.buildIds();
    expect(ids['example-ml']).not.toBe(firstIds['example-ml']);
    for (const image of ['example-base', 'example-python', 'example-r']) {
      expect(ids[image]).toBe(firstIds[image]);
    }
  });

  it('after the middle image changes, rebuilds it and its descendants only', () => {
    stack.branchWithChange('middle-change', 'example-python/files/version.txt');
    const result = ws.nxOk(['affected', '-t', ...PIPELINE, '--base=main', '--head=HEAD'], cache.env());
    expect(ranTasks(result).filter((task) => task.endsWith(':build')).sort()).toEqual(['example-ml:build', 'example-python:build']);
    const ids = stack.buildIds();
    expect(ids['example-base']).toBe(firstIds['example-base']);
    expect(ids['example-r']).toBe(firstIds['example-r']);
    expect(ids['example-python']).not.toBe(firstIds['example-python']);
  });

  it('a failing test stops that image and its descendants; its sibling goes on', async () => {
    ws.git('checkout', '-q', '-B', 'broken-tests', 'main');
    const testFile = readdirSync(ws.path('images/example-python/test')).find((file) => file.endsWith('.py'));
    writeFileSync(ws.path(`images/example-python/test/${testFile}`), `${ws.read(`images/example-python/test/${testFile}`)}\n\ndef test_fails_on_purpose():\n    assert False, "broken on purpose"\n`);
    writeFileSync(ws.path('images/example-r/files/extra.txt'), 'sibling change\n');
    ws.commit('break a test');
    const result = ws.nx(['run-many', '-t', 'build', 'test', 'push', '--parallel=2'], cache.env());
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('broken on purpose');
    const tag = '2026.3-broken-tests';
    expect(await registryDigest(stack.path('example-python'), tag)).toBeUndefined();
    expect(await imageId(reference('example-ml', tag))).toBeUndefined();
    expect(ranTasks(result)).not.toContain('example-ml:build');
    expect(await registryDigest(stack.path('example-r'), tag)).toMatch(/^sha256:/);
    expect(await registryDigest(stack.path('example-base'), tag)).toMatch(/^sha256:/);
  });

  it("a broken Dockerfile fails the build with the daemon's error, live and in the log", () => {
    ws.git('checkout', '-q', '-B', 'broken-build', 'main');
    ws.write('images/example-r/Dockerfile', `${ws.read('images/example-r/Dockerfile')}RUN echo about to fail && exit 3\n`);
    ws.commit('break the build');
    const result = ws.nx(['run', 'example-r:build', '--output-style=static']);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/ERROR: .*(returned a non-zero code|exit code): 3/);
    expect(result.output).toMatch(/Step \d+\/\d+ : RUN echo about to fail/);
    expect(stack.build('example-r').success).toBe(false);
    expect(ws.read('logs/example-r/build.log')).toContain('about to fail');
  });

  it('promotion fails as a whole when a source tag is missing, naming the image', async () => {
    // Precondition: of the tag to promote, the registry has example-base (an image of its own) and nothing else.
    stack.branchWithChange('partial', 'example-base/files/partial.txt');
    ws.nxOk(['run', 'example-base:push'], cache.env());
    const partial = await registryDigest(stack.path('example-base'), '2026.3-partial');
    expect(partial).toMatch(/^sha256:/);
    for (const image of IMAGES.slice(1)) {
      expect(await registryDigest(stack.path(image), '2026.3-partial')).toBeUndefined();
    }
    const stableBefore = await digests('2026.3-stable');
    expect(stableBefore[0]).not.toBe(partial);

    const result = ws.nx(['run', 'stack:promote', '--tag=2026.3-partial']);
    expect(result.status).not.toBe(0);
    for (const image of IMAGES.slice(1)) {
      expect(result.output).toContain(`${image} (${stack.repository(image)}:2026.3-partial)`);
    }
    expect(await digests('2026.3-stable')).toEqual(stableBefore);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const main = await digests(MAIN_TAG);
    const stableBefore = await digests('2026.3-stable');
    stableBefore.forEach((digest, index) => expect(digest).not.toBe(main[index]));
    const homeBefore = existsSync(ws.path('wiki/Home.md')) ? ws.read('wiki/Home.md') : undefined;

    const result = ws.nxOk(['run', 'stack:promote', `--tag=${MAIN_TAG}`, '--dry-run']);
    expect(result.output).toContain(`would tag ${reference('example-base')} -> ${reference('example-base', '2026.3-stable')}`);
    expect(await digests('2026.3-stable')).toEqual(stableBefore);
    expect(existsSync(ws.path('wiki/Home.md')) ? ws.read('wiki/Home.md') : undefined).toBe(homeBefore);
  });

  it('puts the main-line build\'s manifest pages into the wiki, adding no Home.md row (see wiki-compat.spec.ts)', () => {
    // As in CI: the wiki step reads the result files of the pipeline run just before it.
    ws.nxOk(['run-many', '-t', ...PIPELINE], cache.env());
    const homeBefore = existsSync(ws.path('wiki/Home.md')) ? ws.read('wiki/Home.md') : undefined;
    ws.nxOk(['run', 'stack:wiki']);
    expect(existsSync(ws.path('wiki/Home.md')) ? ws.read('wiki/Home.md') : undefined).toBe(homeBefore);
    for (const image of IMAGES) {
      expect(existsSync(ws.path(`wiki/${page(image)}.md`))).toBe(true);
    }
  });

  it('promotes <prefix>-main to <prefix>-stable and then stable in the registry, pulling no layer', async () => {
    rmSync(ws.path('wiki/Home.md'), { force: true });
    const localBefore = (await referencesUnder(`${REGISTRY}/${stack.namespace}/`)).sort();
    ws.nxOk(['run', 'stack:promote', `--tag=${MAIN_TAG}`]);
    ws.nxOk(['run', 'stack:promote', '--tag=2026.3', '--global']);
    for (const image of IMAGES) {
      const main = await registryDigest(stack.path(image), MAIN_TAG);
      expect(main).toMatch(/^sha256:/);
      expect(await registryDigest(stack.path(image), '2026.3-stable')).toBe(main);
      expect(await registryDigest(stack.path(image), 'stable')).toBe(main);
      expect(ws.read(`wiki/${page(image, '2026.3-stable')}.md`)).toBe(ws.read(`wiki/${page(image)}.md`));
    }
    expect((await referencesUnder(`${REGISTRY}/${stack.namespace}/`)).sort()).toEqual(localBefore);
    // A wiki without Home.md gets one: a welcome line, then the table (its rules: wiki-compat.spec.ts).
    const home = ws.read('wiki/Home.md').split('\n');
    expect(home.slice(1, 4)).toEqual(['', '| Commit | Image | Manifest |', '| :- | :- | :- |']);
    const stablePage = ws.read('wiki/Stable_Tag.md');
    for (const image of IMAGES) {
      expect(home[4]).toContain(`\`${reference(image, '2026.3-stable')}\``);
      expect(stablePage).toContain(`\`${reference(image, 'stable')}\``);
    }
  });

  it('on a fresh runner sharing only the registry and the remote cache, rebuilds nothing, then only a changed leaf', async () => {
    await removeImagesUnder(`${REGISTRY}/${stack.namespace}/`);
    const fresh = new TempWorkspace('fresh-runner');
    try {
      fresh.git('fetch', '-q', ws.root, 'main');
      fresh.git('checkout', '-q', '-f', '-B', 'main', 'FETCH_HEAD');
      const unchanged = fresh.nxOk(['run-many', '-t', ...PIPELINE], cache.env());
      expect(ranTasks(unchanged)).toEqual([]);
      expect(await referencesUnder(`${REGISTRY}/${stack.namespace}/`)).toEqual([]);

      writeFileSync(fresh.path('images/example-r/files/extra.txt'), 'changed on the fresh runner\n');
      fresh.commit('change a leaf on the fresh runner');
      const leaf = fresh.nxOk(['affected', '-t', ...PIPELINE, '--base=HEAD~1', '--head=HEAD'], cache.env());
      expect(ranTasks(leaf).filter((task) => task.endsWith(':build'))).toEqual(['example-r:build']);
      // The parent came from the registry by its content tag: the very image the first runner built.
      const parentBuild = JSON.parse(readFileSync(fresh.path('artifacts/example-base/build.json'), 'utf8'));
      expect(await imageId(reference('example-base'))).toBe(parentBuild.imageId);
      expect(parentBuild.imageId).toBe(firstIds['example-base']);

      // A build the cache vouches for, whose image no engine holds and no registry has (never pushed, say its
      // tests failed then): a test-only change re-runs the tests on it, so it is built again from the same inputs.
      const leafBuild = JSON.parse(fresh.read('artifacts/example-r/build.json'));
      await deleteFromRegistry(stack.path('example-r'), leafBuild.contentTag);
      await removeImagesUnder(stack.repository('example-r'));
      writeFileSync(fresh.path('images/example-r/test/test_more.py'), 'def test_one_more(container):\n    assert container.run("true")[0] == 0\n');
      fresh.commit('a test-only change');
      const retest = fresh.nxOk(['affected', '-t', 'test', '--base=HEAD~1', '--head=HEAD'], cache.env());
      expect(ranTasks(retest)).toEqual(['example-r:test']);
      expect(fresh.read('logs/example-r/test.log')).toContain('is not in the registry either (it was never pushed): building it again from the same inputs');
      expect(await imageId(reference('example-r'))).toBe(JSON.parse(fresh.read('artifacts/example-r/build.json')).imageId);
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
