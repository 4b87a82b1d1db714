/**
 * Multi-platform stacks through the nx CLI on the real engine and registry, with QEMU (tools/binfmt.sh): the
 * example stack's two-platform variant (tools/example-stack/two-platform: three images in a chain, linux/amd64
 * and linux/arm64, on a two-platform busybox base) is built, tested per platform (each test checks `uname -m`
 * against TEST_PLATFORM), pushed as one OCI index per tag, promoted all or nothing and garbage collected.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { docker, REGISTRY, removeImagesUnder } from './support/docker';
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
  layers?: { digest: string }[];
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
    // What a laptop of either platform pulls from the one tag.
    const pulled = `${REGISTRY}/${path('tp-leaf')}:2026.3-main`;
    execFileSync('docker', ['pull', '-q', '--platform', 'linux/arm64', pulled], { stdio: 'ignore' });
    expect((await docker.getImage(pulled).inspect()).Architecture).toBe('arm64');
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
