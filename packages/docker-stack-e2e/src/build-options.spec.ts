/**
 * What `build` puts into and around the image, through the nx CLI on the example stack against the real engine
 * and registry: the OCI labels, `--noCache`, and the registry image it seeds the layer cache from (the same
 * tag, else `<prefix>-stable`). beforeAll builds, tests and pushes example-base and example-python on `main`;
 * each test works on a branch of its own.
 */
import { copyRegistryTag, docker, imageId, registryDigest } from './support/docker';
import { ExampleStack, MAIN_TAG } from './support/example-stack';
import type { TempWorkspace } from './support/workspace';

jest.setTimeout(300_000);

const ORIGIN = 'https://example.invalid/datahub/stack.git';

interface HistoryEntry {
  Id: string;
  CreatedBy: string;
}

/**
 * The ids of the image's Dockerfile steps above its base image, most recent first: the layers a build may take
 * from its cache. The LABEL steps the build adds last are left out: their values (created, revision) change.
 */
async function stepIds(reference: string, base: string): Promise<string[]> {
  const baseIds = new Set(((await docker.getImage(base).history()) as HistoryEntry[]).map((entry) => entry.Id));
  const entries = (await docker.getImage(reference).history()) as HistoryEntry[];
  return entries.filter((entry) => !baseIds.has(entry.Id) && !/#\(nop\)\s+LABEL /.test(entry.CreatedBy)).map((entry) => entry.Id);
}

describe('build on the example stack', () => {
  let stack: ExampleStack;
  let ws: TempWorkspace;
  let started: Date;

  beforeAll(() => {
    started = new Date(Date.now() - 1000);
    stack = new ExampleStack('build-options');
    ws = stack.ws;
    ws.git('remote', 'set-url', 'origin', ORIGIN);
    // These checks read the classic builder's log ("Using cache") and its per-step image ids; BuildKit's cache,
    // cache sources and labels are checked in buildkit.spec.ts.
    ws.write('nx.json', JSON.stringify({ ...JSON.parse(ws.read('nx.json')), targetDefaults: { build: { options: { builder: 'classic' } } } }, null, 2));
    ws.commit('the classic builder');
    ws.nxOk(['run-many', '-t', 'push', '-p', 'example-base', 'example-python']);
  });

  beforeEach(() => ws.git('checkout', '-q', '-f', 'main'));

  afterAll(async () => stack?.remove());

  it('labels the image with the OCI annotations, its parent and the stack label', async () => {
    const labels = (await docker.getImage(stack.reference('example-python')).inspect()).Config.Labels;
    expect(labels).toMatchObject({
      'org.opencontainers.image.title': 'example-python',
      'org.opencontainers.image.source': ORIGIN.replace(/\.git$/, ''), // as an https URL
      // The last commit that changed the image's inputs (the nx.json commit after it did not).
      'org.opencontainers.image.revision': ws.git('log', '-1', '--format=%H', 'main', '--', 'images'),
      'org.opencontainers.image.base.name': stack.reference('example-base'),
      'io.datahub.stack.image': stack.repository('example-python'),
    });
    const created = new Date(labels['org.opencontainers.image.created']);
    expect(created.getTime()).toBeGreaterThanOrEqual(started.getTime());
    expect(created.getTime()).toBeLessThanOrEqual(Date.now());
    const rootLabels = (await docker.getImage(stack.reference('example-base')).inspect()).Config.Labels;
    expect(rootLabels['org.opencontainers.image.base.name']).toBeUndefined();
    expect(rootLabels['io.datahub.stack.image']).toBe(stack.repository('example-base'));
  });

  it('--noCache runs every Dockerfile step again: no layer of an earlier build is reused', async () => {
    stack.branchWithChange('no-cache', 'example-base/files/no-cache.txt');
    const reference = stack.reference('example-base', '2026.3-no-cache');
    const base = 'datahub-example-base:busybox';
    // Control: the same build without the option reuses the cached steps of the build on main.
    ws.nxOk(['run', 'example-base:build']);
    expect(ws.read('logs/example-base/build.log')).toContain('Using cache');
    const cachedSteps = await stepIds(reference, base);
    expect(cachedSteps).toEqual(await stepIds(stack.reference('example-base'), base));
    expect(cachedSteps.length).toBeGreaterThanOrEqual(4);

    ws.nxOk(['run', 'example-base:build', '--noCache']);
    const log = ws.read('logs/example-base/build.log');
    expect(log).not.toContain('Using cache');
    expect(log).not.toContain('as build cache');
    const fresh = await stepIds(reference, base);
    expect(fresh).toHaveLength(cachedSteps.length);
    expect(fresh.filter((id) => cachedSteps.includes(id))).toEqual([]);
  });

  it('seeds the layer cache from <prefix>-stable when the registry has no image of the same tag', async () => {
    // Precondition: the registry has example-base as 2026.3-stable, and nothing of the branch's tag.
    await copyRegistryTag(stack.path('example-base'), MAIN_TAG, '2026.3-stable');
    stack.branchWithChange('prepull', 'example-base/files/prepull.txt');
    const branchReference = stack.reference('example-base', '2026.3-prepull');
    expect(await registryDigest(stack.path('example-base'), '2026.3-prepull')).toBeUndefined();
    expect(await registryDigest(stack.path('example-base'), '2026.3-stable')).toMatch(/^sha256:/);

    ws.nxOk(['run', 'example-base:build']);
    const log = ws.read('logs/example-base/build.log');
    expect(log).toContain(`${branchReference} not pulled`);
    expect(log).toContain(`using ${stack.reference('example-base', '2026.3-stable')} as build cache`);
    expect(log).toContain('Using cache');
  });

  it('seeds the layer cache from the image of the same tag when the registry has it', async () => {
    stack.branchWithChange('same-tag', 'example-base/files/same-tag.txt');
    ws.nxOk(['run', 'example-base:push']);
    const branchReference = stack.reference('example-base', '2026.3-same-tag');
    expect(await registryDigest(stack.path('example-base'), '2026.3-same-tag')).toMatch(/^sha256:/);
    expect(await imageId(branchReference)).toBeDefined();

    stack.branchWithChange('same-tag', 'example-base/files/same-tag.txt');
    ws.nxOk(['run', 'example-base:build']);
    const log = ws.read('logs/example-base/build.log');
    expect(log).toContain(`using ${branchReference} as build cache`);
    expect(log).not.toContain('2026.3-stable');
    expect(log).toContain('Using cache');
  });
});
