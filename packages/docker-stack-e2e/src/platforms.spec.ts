/**
 * Multi-platform stacks through the nx CLI on the real engine and registry, with QEMU (tools/binfmt.sh): the
 * example stack's two-platform variant (tools/example-stack/two-platform: three images in a chain, linux/amd64
 * and linux/arm64, on a two-platform busybox base) is built, tested per platform (each test checks `uname -m`
 * against TEST_PLATFORM), pushed as one OCI index per tag, promoted all or nothing and garbage collected.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY, removeImagesUnder } from './support/docker';
import { REPO_ROOT, TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(900_000);

const STACK = join(REPO_ROOT, 'tools/example-stack/two-platform');
const BASE = `${REGISTRY}/datahub-example/base:busybox`;
const IMAGES = ['tp-base', 'tp-tools', 'tp-leaf'];
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

interface RegistryManifest {
  mediaType: string;
  digest: string;
  manifests?: { digest: string; platform: { os: string; architecture: string } }[];
  config?: { size: number };
  layers?: { digest: string; size: number }[];
}

/** A tag's (or digest's) manifest in the local registry, read as a pull would; undefined when it is not there. */
async function manifestOf(path: string, reference: string): Promise<RegistryManifest | undefined> {
  const response = await fetch(`http://${REGISTRY}/v2/${path}/manifests/${reference}`, { headers: { accept: ACCEPT } });
  if (response.status === 404) {
    return undefined;
  }
  expect(response.ok).toBe(true);
  return { ...((await response.json()) as object), mediaType: response.headers.get('content-type') ?? '', digest: response.headers.get('docker-content-digest') ?? '' };
}

const platformsOf = (index: RegistryManifest | undefined) => (index?.manifests ?? []).map(({ platform }) => `${platform.os}/${platform.architecture}`);

/** Each platform's image manifest of an index. */
async function platformImages(path: string, tag: string): Promise<Record<string, RegistryManifest>> {
  const index = await manifestOf(path, tag);
  const images: Record<string, RegistryManifest> = {};
  for (const entry of index?.manifests ?? []) {
    images[`${entry.platform.os}/${entry.platform.architecture}`] = (await manifestOf(path, entry.digest)) as RegistryManifest;
  }
  return images;
}

describe('a two-platform stack', () => {
  const namespace = `e2e-tp-${uniqueId()}`;
  const path = (image: string) => `${namespace}/${image}`;
  let ws: TempWorkspace;
  const contentTag = (image: string) => JSON.parse(ws.read(`artifacts/${image}/build.json`)).contentTag as string;

  beforeAll(() => {
    execFileSync(join(REPO_ROOT, 'tools/binfmt.sh'), PLATFORMS, { stdio: 'inherit' });
    execFileSync(join(REPO_ROOT, 'tools/make-base-image.sh'), ['--platforms', PLATFORMS.join(','), BASE], { stdio: 'inherit' });
    ws = new TempWorkspace('two-platform');
    ws.copyStack(STACK, [[`${REGISTRY}/datahub-example/tp-`, `${REGISTRY}/${namespace}/tp-`]]);
    ws.git('remote', 'add', 'origin', 'https://github.com/ucsd-ets/datahub-docker-stack.git'); // the wiki links' address
    ws.commit('a two-platform stack');
  });

  afterAll(async () => {
    ws?.remove();
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
  });

  it('builds and tests every image on both platforms and pushes one index per tag, each child on its parent of the same platform', async () => {
    ws.nxOk(['run-many', '-t', 'build', 'test', 'push', 'manifest']);
    expect(ws.read('logs/tp-leaf/test.log')).toMatch(/TEST_PLATFORM=linux\/amd64[\s\S]*passed[\s\S]*TEST_PLATFORM=linux\/arm64[\s\S]*passed/);
    for (const image of IMAGES) {
      const index = await manifestOf(path(image), '2026.3-main');
      expect(index?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(platformsOf(index).sort()).toEqual(PLATFORMS);
      expect((await manifestOf(path(image), contentTag(image)))?.digest).toBe(index?.digest);
      for (const platform of PLATFORMS) {
        const junit = `artifacts/${image}/test-${platform.replace('/', '-')}.xml`;
        expect(existsSync(ws.path(junit)) && ws.read(junit)).toMatch(/<testsuite[^>]* failures="0"/);
      }
      expect(ws.read(`artifacts/${image}/manifest.md`)).toMatch(/## linux\/arm64[\s\S]*aarch64/);
    }
    for (const [child, parent] of [['tp-tools', 'tp-base'], ['tp-leaf', 'tp-tools']]) {
      const [children, parents] = [await platformImages(path(child), '2026.3-main'), await platformImages(path(parent), '2026.3-main')];
      for (const platform of PLATFORMS) {
        const parentLayers = (parents[platform].layers ?? []).map((layer) => layer.digest);
        expect((children[platform].layers ?? []).slice(0, parentLayers.length).map((layer) => layer.digest)).toEqual(parentLayers);
      }
      expect(children['linux/amd64'].layers?.[0].digest).not.toBe(children['linux/arm64'].layers?.[0].digest);
    }
    // The summary: each platform's registry size (layers plus config of its image manifest), to the rounding shown.
    const summary = ws.nxOk(['run', 'stack:summary']).output;
    const leafImages = await platformImages(path('tp-leaf'), '2026.3-main');
    for (const platform of PLATFORMS) {
      const image = leafImages[platform];
      const bytes = (image.layers ?? []).reduce((sum, layer) => sum + layer.size, image.config?.size ?? 0);
      const shown = new RegExp(`\\| tp-leaf \\|[^\\n]*${platform} ([\\d.]+) (KB|MB)`).exec(summary);
      expect(shown).not.toBeNull();
      const unit = shown?.[2] === 'MB' ? 1e6 : 1e3;
      expect(Math.abs(Number(shown?.[1]) * unit - bytes)).toBeLessThanOrEqual(unit * 0.05);
    }
    // What a laptop of either platform pulls from the one tag.
    const pulled = `${REGISTRY}/${path('tp-leaf')}:2026.3-main`;
    execFileSync('docker', ['pull', '-q', '--platform', 'linux/arm64', pulled], { stdio: 'ignore' });
    // Run, not inspected: the containerd image store's inspect shows the engine's own platform of a name.
    expect(execFileSync('docker', ['run', '--rm', '--platform', 'linux/arm64', pulled, 'uname', '-m'], { encoding: 'utf8' }).trim()).toBe('aarch64');
  });

  it('promotes the indexes, and stack:gc keeps every platform image that a kept index lists', async () => {
    ws.nxOk(['run', 'stack:promote', '--tag=2026.3-main']);
    const promoted = await Promise.all(IMAGES.map((image) => manifestOf(path(image), '2026.3-stable')));
    expect(promoted.map((index) => platformsOf(index).sort())).toEqual(IMAGES.map(() => PLATFORMS));
    // Two more root changes: the first one's images are then referenced by no tag but content tags (garbage);
    // the promoted images' platform manifests are referenced only by the stable index and their content tags.
    const superseded: string[] = [];
    for (const revision of ['two', 'three']) {
      ws.write('images/tp-base/Dockerfile', `${ws.read('images/tp-base/Dockerfile')}RUN echo ${revision} > /opt/stack/revision\n`);
      ws.commit(`root ${revision}`);
      ws.nxOk(['run-many', '-t', 'build', 'test', 'push']);
      if (revision === 'two') {
        for (const image of IMAGES) {
          superseded.push(...(await manifestOf(path(image), '2026.3-main'))!.manifests!.map((entry) => `${image}@${entry.digest}`));
        }
      }
    }
    ws.nxOk(['run', 'stack:gc', '--keep-days=0', '--yes']);
    for (const [index, image] of IMAGES.entries()) {
      for (const entry of promoted[index]?.manifests ?? []) {
        expect(await manifestOf(path(image), entry.digest)).toBeDefined();
      }
    }
    for (const entry of superseded) {
      const [image, digest] = entry.split('@');
      expect(await manifestOf(path(image), digest)).toBeUndefined();
    }
  });

  it('stops at a failure on arm64 alone: the image and its descendants are not pushed, and promotion tags nothing, naming them', async () => {
    ws.git('checkout', '-q', '-b', 'arm-fails');
    ws.write('images/tp-tools/test/test_arm64_only.py', 'import os\n\n\ndef test_not_on_arm64():\n    assert os.environ["TEST_PLATFORM"] != "linux/arm64", "broken on arm64"\n');
    ws.commit('a test that fails on arm64');
    const run = ws.nx(['run-many', '-t', 'build', 'test', 'push']);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/failed on linux\/arm64; linux\/amd64: .*passed.*; linux\/arm64: .*1 failed/);
    expect(await manifestOf(path('tp-base'), '2026.3-arm-fails')).toBeDefined();
    expect(await manifestOf(path('tp-tools'), '2026.3-arm-fails')).toBeUndefined();
    expect(await manifestOf(path('tp-leaf'), '2026.3-arm-fails')).toBeUndefined();
    const stableBefore = (await manifestOf(path('tp-base'), '2026.3-stable'))?.digest;
    const promote = ws.nx(['run', 'stack:promote', '--tag=2026.3-arm-fails']);
    expect(promote.status).not.toBe(0);
    expect(promote.output).toContain('Nothing was tagged: not every platform of every image is there');
    expect(promote.output).toMatch(/tp-tools \(\S+:2026\.3-arm-fails\): no index; not pushed for linux\/amd64, linux\/arm64/);
    expect((await manifestOf(path('tp-base'), '2026.3-stable'))?.digest).toBe(stableBefore);
  });
});

/**
 * One runner per platform (STACK_PLATFORM), as main.yml's `platformRunners` does: two workspaces of the same
 * commit that share only the registry (and this engine, as two runners would share nothing else of note), each
 * building its platform natively or with QEMU; `stack:merge-index` writes the indexes once both have pushed.
 */
describe('a two-platform stack split over one runner per platform', () => {
  const namespace = `e2e-tps-${uniqueId()}`;
  const path = (image: string) => `${namespace}/${image}`;
  const runners: Record<string, TempWorkspace> = {};
  const only = (platform: string) => ({ STACK_PLATFORM: platform });

  beforeAll(() => {
    execFileSync(join(REPO_ROOT, 'tools/binfmt.sh'), PLATFORMS, { stdio: 'inherit' });
    execFileSync(join(REPO_ROOT, 'tools/make-base-image.sh'), ['--platforms', PLATFORMS.join(','), BASE], { stdio: 'inherit' });
    for (const platform of PLATFORMS) {
      const ws = new TempWorkspace(`runner-${platform.replace('/', '-')}`);
      ws.copyStack(STACK, [[`${REGISTRY}/datahub-example/tp-`, `${REGISTRY}/${namespace}/tp-`]]);
      ws.git('remote', 'add', 'origin', 'https://github.com/ucsd-ets/datahub-docker-stack.git'); // the wiki links' address
      // An image narrowed to amd64: the arm64 runner leaves it alone, and its index lists amd64 only.
      ws.write('images/tp-amd64/Dockerfile', ws.read('images/tp-leaf/Dockerfile').replace('tp-leaf.arch', 'tp-amd64.arch'));
      ws.write('images/tp-amd64/test/test_tp_amd64.py', ws.read('images/tp-leaf/test/test_tp_leaf.py'));
      ws.write('images/spec.yml', ws.read('images/spec.yml').replace('tag:\n', `  tp-amd64:\n    image_name: ${REGISTRY}/${namespace}/tp-amd64\n    depend_on: tp-tools\n    platforms: [linux/amd64]\n    info_cmds: [ARCH]\ntag:\n`));
      ws.commit('a two-platform stack');
      runners[platform] = ws;
    }
  });

  afterAll(async () => {
    Object.values(runners).forEach((ws) => ws.remove());
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
  });

  it('each runner builds, tests and pushes its platform only; the indexes wait for stack:merge-index, which writes nothing until every platform is there', async () => {
    const arm = runners['linux/arm64'];
    arm.nxOk(['run-many', '-t', 'build', 'test', 'push', 'manifest'], only('linux/arm64'));
    expect(arm.read('logs/tp-leaf/test.log')).toContain('TEST_PLATFORM=linux/arm64');
    expect(arm.read('logs/tp-leaf/test.log')).not.toContain('TEST_PLATFORM=linux/amd64');
    const built = JSON.parse(arm.read('artifacts/tp-leaf/build.json'));
    expect(Object.keys(built.platforms)).toEqual(['linux/arm64']);
    expect(arm.read('artifacts/tp-leaf/manifest.md')).toContain(`${path('tp-leaf')}:2026.3-main-linux-arm64`);
    for (const image of IMAGES) {
      expect((await manifestOf(path(image), `${JSON.parse(arm.read(`artifacts/${image}/build.json`)).contentTag}-linux-arm64`))?.digest).toBeTruthy();
      expect(await manifestOf(path(image), '2026.3-main')).toBeUndefined();
    }

    const narrowed = JSON.parse(arm.read('artifacts/tp-amd64/build.json'));
    expect(narrowed).toMatchObject({ success: true, skipped: true });
    expect(narrowed.messages).toContain('tp-amd64 is not built for linux/arm64 (its platforms: linux/amd64): nothing to do on this runner (STACK_PLATFORM=linux/arm64)');

    // Before the amd64 runner is done: nothing is written, and the error names each image and the platform.
    const early = arm.nx(['run', 'stack:merge-index']);
    expect(early.status).not.toBe(0);
    expect(early.output).toContain('Nothing was written: not every platform of every image is in the registry');
    expect(early.output).toMatch(/tp-base: \S+:build-\w+-linux-amd64 is not in the registry: the linux\/amd64 image was not pushed/);
    expect(await manifestOf(path('tp-base'), '2026.3-main')).toBeUndefined();

    const amd = runners['linux/amd64'];
    amd.nxOk(['run-many', '-t', 'build', 'test', 'push', 'manifest'], only('linux/amd64'));
    expect(amd.read('logs/tp-leaf/test.log')).not.toContain('TEST_PLATFORM=linux/arm64');
    // Both runners worked out the same identities from the same files.
    for (const image of IMAGES) {
      expect(JSON.parse(amd.read(`artifacts/${image}/build.json`)).contentTag).toBe(JSON.parse(arm.read(`artifacts/${image}/build.json`)).contentTag);
    }

    // As main.yml's merge-index job downloads every platform runner's results: their manifests/ side by side.
    cpSync(arm.path('manifests'), amd.path('manifests'), { recursive: true });
    amd.nxOk(['run', 'stack:merge-index']);
    for (const image of IMAGES) {
      const page = amd.read(`manifests/127.0.0.1-5000-${namespace}-${image}-2026.3-main.md`);
      expect(page).toMatch(/\| Platforms \| linux\/amd64, linux\/arm64 \|[\s\S]*## linux\/amd64[\s\S]*x86_64[\s\S]*## linux\/arm64[\s\S]*aarch64/);
      const index = await manifestOf(path(image), '2026.3-main');
      expect(page).toContain(`| Digest | \`${index?.digest}\` (the index) |`);
      expect(platformsOf(index).sort()).toEqual(PLATFORMS);
      expect((await manifestOf(path(image), JSON.parse(amd.read(`artifacts/${image}/build.json`)).contentTag))?.digest).toBe(index?.digest);
    }
    for (const [child, parent] of [['tp-tools', 'tp-base'], ['tp-leaf', 'tp-tools']]) {
      const [children, parents] = [await platformImages(path(child), '2026.3-main'), await platformImages(path(parent), '2026.3-main')];
      for (const platform of PLATFORMS) {
        const parentLayers = (parents[platform].layers ?? []).map((layer) => layer.digest);
        expect((children[platform].layers ?? []).slice(0, parentLayers.length).map((layer) => layer.digest)).toEqual(parentLayers);
      }
    }
    const amd64Only = JSON.parse(amd.read('artifacts/tp-amd64/build.json')).contentTag;
    expect(await manifestOf(path('tp-amd64'), `${amd64Only}-linux-arm64`)).toBeUndefined();
    expect(platformsOf(await manifestOf(path('tp-amd64'), '2026.3-main'))).toEqual(['linux/amd64']);
    amd.nxOk(['run', 'stack:promote', '--tag=2026.3-main']);
    expect(platformsOf(await manifestOf(path('tp-leaf'), '2026.3-stable')).sort()).toEqual(PLATFORMS);
    expect(platformsOf(await manifestOf(path('tp-amd64'), '2026.3-stable'))).toEqual(['linux/amd64']);
  });

  it('does not restore one platform runner\'s steps from the Nx cache on a runner of the other platform', () => {
    const amd = runners['linux/amd64'];
    amd.nxOk(['run', 'tp-base:build'], only('linux/amd64'));
    const run = amd.nxOk(['run', 'tp-base:build'], only('linux/arm64'));
    expect(run.output).not.toMatch(/existing outputs match the cache|local cache/);
    expect(Object.keys(JSON.parse(amd.read('artifacts/tp-base/build.json')).platforms)).toEqual(['linux/arm64']);
  });
});
