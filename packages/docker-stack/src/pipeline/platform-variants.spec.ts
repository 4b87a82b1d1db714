import { allPlatforms, platformVariants } from './platform-variants';
import { notThisRunner } from './stack-platform';
import { allPlatformsPassed } from './pytest';
import type { ImageTask } from './step';

const task = (platforms: string[]) =>
  ({ spec: { stackDir: 'images' }, image: { name: 'x', imageName: 'org/x', platforms }, branchTag: '2026.3-main', reference: 'org/x:2026.3-main' }) as unknown as ImageTask;

describe('platformVariants', () => {
  it('leaves an image without platforms alone, so it is built exactly as before platforms existed', () => {
    expect(platformVariants(task([]))).toBeUndefined();
  });

  it("gives each platform its own branch tag, which is also its children's BASE_TAG", () => {
    expect(platformVariants(task(['linux/amd64', 'linux/arm64']))?.map(({ platform, branchTag, reference }) => ({ platform, branchTag, reference }))).toEqual([
      { platform: 'linux/amd64', branchTag: '2026.3-main-linux-amd64', reference: 'org/x:2026.3-main-linux-amd64' },
      { platform: 'linux/arm64', branchTag: '2026.3-main-linux-arm64', reference: 'org/x:2026.3-main-linux-arm64' },
    ]);
  });
});

describe('platformVariants on a runner of one platform (STACK_PLATFORM)', () => {
  afterEach(() => delete process.env.STACK_PLATFORM);

  it('does only that platform of a multi-platform image, with the same tags as a runner of all of them', () => {
    process.env.STACK_PLATFORM = 'linux/arm64';
    const image = task(['linux/amd64', 'linux/arm64']);
    const variants = platformVariants(image) ?? [];
    expect(variants.map(({ platform, reference }) => ({ platform, reference }))).toEqual([{ platform: 'linux/arm64', reference: 'org/x:2026.3-main-linux-arm64' }]);
    expect(allPlatforms(image, variants)).toBe(false);
  });

  it('leaves an image narrowed to other platforms to their runners, and refuses one without platforms, naming the file, the image and the key', () => {
    process.env.STACK_PLATFORM = 'linux/arm64';
    expect(platformVariants(task(['linux/amd64']))).toEqual([]);
    expect(notThisRunner(task(['linux/amd64']).image)).toBe('x is not built for linux/arm64 (its platforms: linux/amd64): nothing to do on this runner (STACK_PLATFORM=linux/arm64)');
    expect(notThisRunner(task(['linux/amd64', 'linux/arm64']).image)).toBeUndefined();
    expect(() => platformVariants(task([]))).toThrow('STACK_PLATFORM=linux/arm64: images/spec.yml: image "x", key "platforms": it has none (the engine builds its own)');
    delete process.env.STACK_PLATFORM;
    expect(notThisRunner(task(['linux/amd64']).image)).toBeUndefined();
  });
});

describe('allPlatformsPassed', () => {
  const run = (success: boolean, summary: string) => ({ success, exitCode: success ? 0 : 1, summary, paths: ['images/x/test'] });

  it('passes only when every platform passed, and names the platform that failed', () => {
    const result = allPlatformsPassed({ 'linux/amd64': run(true, '2 passed in 1.0s'), 'linux/arm64': run(false, '1 failed, 1 passed in 3.0s') });
    expect(result).toMatchObject({ success: false, exitCode: 1, summary: 'failed on linux/arm64; linux/amd64: 2 passed in 1.0s; linux/arm64: 1 failed, 1 passed in 3.0s' });
    expect(allPlatformsPassed({ 'linux/amd64': run(true, '2 passed'), 'linux/arm64': run(true, '2 passed') })).toMatchObject({ success: true, exitCode: 0 });
  });
});
