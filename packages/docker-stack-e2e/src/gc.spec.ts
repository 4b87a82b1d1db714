/**
 * `stack:gc` end to end through the nx CLI, on two registries of the test's own (Debian's docker-registry on
 * loopback): one with deletes enabled, one with deletes disabled. Images are written through the registry API
 * with chosen creation dates, since the age of an image is its config's `created`, which a build sets to now.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PrivateRegistry } from './support/private-registry';
import { writeTinyStack } from './support/tiny-stack';
import { TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(300_000);

const DAY_MS = 24 * 60 * 60 * 1000;
const MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Puts an image (a config blob and a layer-less manifest) made `daysOld` days ago under every tag; returns its digest. */
async function putImage(registry: PrivateRegistry, path: string, tags: string[], daysOld: number): Promise<string> {
  const created = new Date(Date.now() - daysOld * DAY_MS).toISOString();
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created, config: { Labels: { tags: tags.join(',') } }, rootfs: { type: 'layers', diff_ids: [] } }));
  const upload = await fetch(`http://${registry.host}/v2/${path}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(upload.headers.get('location')!, `http://${registry.host}`);
  location.searchParams.set('digest', sha256(config));
  expect((await fetch(location, { method: 'PUT', body: config })).status).toBe(201);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha256(config) },
      layers: [],
    }),
  );
  for (const tag of tags) {
    const put = await fetch(`http://${registry.host}/v2/${path}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': MANIFEST_TYPE } });
    expect(put.status).toBe(201);
  }
  return sha256(manifest);
}

/**
 * One repository as a stack leaves it after a while: digests that a branch tag, `<prefix>-stable`, `stable` or a
 * hand-pushed tag points to (with their content tags), an old digest only content tags point to, and a young one.
 */
async function fillRepository(registry: PrivateRegistry, path: string): Promise<void> {
  await putImage(registry, path, ['build-h1', '2026.3-main'], 60);
  await putImage(registry, path, ['build-h2', '2026.3-stable'], 90);
  await putImage(registry, path, ['build-h3', 'stable'], 120);
  await putImage(registry, path, ['build-h4', 'hand-pushed'], 60);
  await putImage(registry, path, ['build-h5', 'build-h5b'], 45); // old garbage: only content tags
  await putImage(registry, path, ['build-h6'], 2); // young garbage
}

describe('stack:gc', () => {
  const id = uniqueId();
  let kept: PrivateRegistry;
  let noDeletes: PrivateRegistry;
  let ws: TempWorkspace;
  const pathA = `gc-${id}/gc-a`;
  const pathB = `gc-${id}/gc-b`;
  let before: { a: Map<string, string>; b: Map<string, string> };
  const snapshot = async () => ({ a: await kept.tagDigests(`gc-${id}`), b: await noDeletes.tagDigests(`gc-${id}`) });

  beforeAll(async () => {
    kept = await PrivateRegistry.start();
    noDeletes = await PrivateRegistry.start(undefined, { deletes: false });
    await fillRepository(kept, pathA);
    await fillRepository(noDeletes, pathB);
    ws = new TempWorkspace('gc');
    writeTinyStack(ws, { 'gc-a': `${kept.host}/${pathA}`, 'gc-b': `${noDeletes.host}/${pathB}` });
    ws.commit('two images on two registries');
    before = await snapshot();
  });

  afterAll(async () => {
    await kept?.stop();
    await noDeletes?.stop();
    ws?.remove();
  });

  it('dry run by default: lists old content tags no kept tag points to, and changes nothing', async () => {
    const result = ws.nxOk(['run', 'stack:gc']);
    const listed = [...result.output.matchAll(/would delete: (\S+?)(?:,| \()/g)].map((match) => match[1]);
    expect(listed).toEqual([`${kept.host}/${pathA}:build-h5`, `${noDeletes.host}/${pathB}:build-h5`]);
    expect(result.output).toContain(`${kept.host}/${pathA}:build-h5, ${kept.host}/${pathA}:build-h5b (sha256:`);
    expect(result.output).toContain('45 days old');
    expect(result.output).toContain(`${kept.host}/${pathA}: 1 unreferenced content tag(s) younger than 30 days kept`);
    expect(result.output).toContain('Dry run: nothing was deleted. Run with --yes to delete them.');
    expect(await snapshot()).toEqual(before);
  });

  it('--keep-days sets the age', async () => {
    const result = ws.nxOk(['run', 'stack:gc', '--keep-days=1']);
    expect(result.output).toContain(`would delete: ${kept.host}/${pathA}:build-h6 (`);
    expect(ws.nxOk(['run', 'stack:gc', '--keep-days=50']).output).toContain('0 digest(s) with 0 content tag(s)');
  });

  it('--yes on a stack with a registry that has deletes disabled reports it and deletes nothing anywhere', async () => {
    const result = ws.nx(['run', 'stack:gc', '--yes', '--keep-days=1']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`the registry ${noDeletes.host} has deletes disabled (HTTP 405 UNSUPPORTED); nothing was deleted`);
    expect(await snapshot()).toEqual(before);
  });

  it('--yes deletes exactly the old unreferenced digests; every kept tag keeps its digest', async () => {
    rmSync(ws.path('images/gc-b'), { recursive: true });
    writeTinyStack(ws, { 'gc-a': `${kept.host}/${pathA}` });
    const result = ws.nxOk(['run', 'stack:gc', '--yes', '--keep-days=1']);
    expect(result.output).toContain('Deleted 2 digest(s)');
    const after = await kept.tagDigests(`gc-${id}`);
    const expected = new Map([...before.a].filter(([reference]) => !/:build-h[56]b?$/.test(reference)));
    expect(after).toEqual(expected);
    expect(after.size).toBe(8);
    expect(ws.nxOk(['run', 'stack:gc', '--yes', '--keep-days=0']).output).toContain('Nothing to delete.');
  });
});
