/**
 * `platforms` in spec.yml through the nx CLI on the real engine and registry: until per-platform builds land
 * (issue 24), a platform other than the engine's own fails the build before anything is built or pushed, naming
 * the file, the image and the key; the engine's own platform builds as if `platforms` were absent.
 */
import { docker, referencesUnder, registryDigest, REGISTRY } from './support/docker';
import { writeTinyStack } from './support/tiny-stack';
import { TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(300_000);

describe('platforms in spec.yml', () => {
  const namespace = `e2e-platforms-${uniqueId()}`;
  let ws: TempWorkspace;
  let own: string;
  let other: string;

  beforeAll(async () => {
    const { Os, Arch } = await docker.version();
    own = `${Os}/${Arch}`;
    other = Arch === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    ws = new TempWorkspace('platforms');
    writeTinyStack(ws, { 'plat-img': `${REGISTRY}/${namespace}/plat-img` });
  });

  afterAll(() => ws?.remove());

  const withPlatforms = (list: string) => ws.write('images/spec.yml', ws.read('images/spec.yml').replace(/^(platforms: .*\n)?tag:/m, `platforms: ${list}\ntag:`));

  it('fails a platform the engine cannot build, before anything is built or pushed', async () => {
    withPlatforms(`[${own}, ${other}]`);
    ws.commit('two platforms');
    const result = ws.nx(['run-many', '-t', 'build', 'test', 'push']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      `plat-img:build failed: images/spec.yml: image "plat-img", key "platforms": ${other} cannot be built: ` +
        `this version builds only the engine's own platform (${own}). Remove "platforms", or set it to [${own}].`,
    );
    expect(await referencesUnder(`${REGISTRY}/${namespace}/`)).toEqual([]);
    expect(await registryDigest(`${namespace}/plat-img`, '2026.3-main')).toBeUndefined();
  });

  it("builds, tests and pushes for the engine's own platform", async () => {
    withPlatforms(`[${own}]`);
    ws.commit('the engine platform');
    ws.nxOk(['run-many', '-t', 'build', 'test', 'push']);
    expect(await registryDigest(`${namespace}/plat-img`, '2026.3-main')).toMatch(/^sha256:/);
  });
});
