import { STACK_LABEL } from '../../pipeline/oci-labels';
import { useFakeDocker } from '../../../testing/fake-docker-engine';
import { BRANCH_TAG, useStepWorkspace } from '../../../testing/step-workspace';
import buildExecutor from './executor';
import type { BuildExecutorOptions } from './schema';

const base = (tag: string) => `ghcr.io/org/base:${tag}`;

describe('build executor', () => {
  const workspace = useStepWorkspace();
  const fake = useFakeDocker();

  const build = (image = 'base', options: Partial<BuildExecutorOptions> = {}) =>
    buildExecutor({ stackDir: 'images', ...options }, workspace().context(image, 'build'));

  it('builds the root image under its branch and content tags, publishes the content tag and records build.json', async () => {
    expect(await build()).toEqual({ success: true });
    const imageId = fake().local.get(base(BRANCH_TAG));
    expect(workspace().result('base', 'build')).toMatchObject({
      image: 'base',
      step: 'build',
      success: true,
      imageName: 'ghcr.io/org/base',
      imageId,
      contentTag: expect.stringMatching(/^build-[0-9a-f]{40}$/),
      tags: [base(BRANCH_TAG), expect.stringMatching(/^ghcr\.io\/org\/base:build-[0-9a-f]{40}$/)],
      parent: null,
      buildArgs: { PYTHON_VERSION: 'python-3.11.8', PY_VER_SHORT: '3.11', WORKERS: '4', DEBUG: 'true' },
      steps: [{ step: 'Step 1/1 : RUN true', seconds: 0.5, cached: false }],
      builder: 'buildkit',
      secrets: {},
    });
    expect(fake().registry.get(base(workspace().result('base', 'build').contentTag ?? ''))).toBe(imageId);
    const [request] = fake().builds;
    expect(request.contextDir).toBe(`${workspace().root}/images/base`);
    // revision and created come from the last commit of the image's inputs: this workspace is no git checkout.
    expect(request.labels).toEqual({
      'org.opencontainers.image.title': 'base',
      'org.opencontainers.image.source': 'https://github.com/org/stack',
      'org.opencontainers.image.url': 'https://github.com/org/stack',
      'org.opencontainers.image.version': BRANCH_TAG,
      [STACK_LABEL]: 'ghcr.io/org/base',
    });
    expect(workspace().log('base', 'build')).toContain('Step 1/1 : RUN true\n');
  });

  it('builds a child on its parent\'s recorded image with BASE_TAG and the parent in its labels and build.json', async () => {
    await build();
    const parentId = fake().local.get(base(BRANCH_TAG));
    expect(await build('child')).toEqual({ success: true });
    expect(fake().builds[1].buildArgs).toEqual({ BASE_TAG: BRANCH_TAG });
    expect(fake().builds[1].labels['org.opencontainers.image.base.name']).toBe(base(BRANCH_TAG));
    expect(workspace().result('child', 'build').parent).toEqual({ image: 'base', reference: base(BRANCH_TAG), imageId: parentId });
  });

  it('takes the same tag as cache, else <prefix>-stable, else none; none with prepull off or --noCache', async () => {
    const cacheOf = async (image: string, options: Partial<BuildExecutorOptions> = {}) => {
      // An image the engine already holds for these inputs is reused, not built: forget the last build first.
      [...fake().local.keys()].filter((reference) => reference.startsWith(`ghcr.io/org/${image}:`)).forEach((reference) => fake().local.delete(reference));
      await build(image, options);
      return [fake().builds.at(-1)?.cacheFrom, fake().builds.at(-1)?.noCache];
    };
    expect(await cacheOf('base')).toEqual([[], false]);
    fake().registry.set(base('2026.3-stable'), 'sha256:stable');
    expect(await cacheOf('base')).toEqual([[base('2026.3-stable')], false]);
    fake().registry.set(base(BRANCH_TAG), 'sha256:same');
    expect(await cacheOf('base')).toEqual([[base(BRANCH_TAG)], false]);
    expect(await cacheOf('base', { noCache: true })).toEqual([[], true]);
    await build('child');
    fake().registry.set(`ghcr.io/org/grandchild:${BRANCH_TAG}`, 'sha256:same');
    expect(await cacheOf('grandchild')).toEqual([[], false]); // prepull: false in the spec
    expect(workspace().log('grandchild', 'build')).toContain('prepull is off for this image');
  });

  it('pulls the cache source with the classic builder, and records the settings', async () => {
    fake().registry.set(base('2026.3-stable'), fake().addImage([]));
    expect(await build('base', { builder: 'classic' })).toEqual({ success: true });
    expect(fake().calls).toContain(`pull ${base('2026.3-stable')}`);
    expect(fake().calls.some((call) => call.startsWith('inRegistry'))).toBe(false);
    expect(workspace().result('base', 'build')).toMatchObject({ builder: 'classic', secrets: {} });
  });

  it('gives the classic builder no registry cache on the containerd image store, saying so (the build would fail)', async () => {
    fake().registry.set(base('2026.3-stable'), fake().addImage([]));
    fake().store = 'containerd';
    expect(await build('base', { builder: 'classic' })).toEqual({ success: true });
    expect(fake().builds.at(-1)?.cacheFrom).toEqual([]);
    expect(fake().calls.some((call) => call.startsWith('pull'))).toBe(false);
    expect(workspace().log('base', 'build')).toContain('warning: the classic builder cannot use a registry cache on the containerd image store');
  });

  it('builds each platform of a multi-platform image on its parent\'s image of the same platform, recording the index', async () => {
    workspace().write('images/spec.yml', workspace().read('images/spec.yml').replace(/^tag:/m, 'platforms: [linux/amd64]\ntag:'));
    expect(await build('base')).toEqual({ success: true });
    expect(await build('child')).toEqual({ success: true });
    const [baseBuild, childBuild] = fake().builds.slice(-2);
    expect(baseBuild).toMatchObject({ platform: 'linux/amd64', tags: [base('2026.3-main-linux-amd64'), expect.stringMatching(/:build-[0-9a-f]{40}-linux-amd64$/)] });
    expect(childBuild.buildArgs.BASE_TAG).toBe('2026.3-main-linux-amd64');
    const result = workspace().result('base', 'build');
    expect(result.contentTag).toMatch(/^build-[0-9a-f]{40}$/);
    expect(result.platforms?.['linux/amd64'].contentTag).toBe(`${result.contentTag}-linux-amd64`);
    expect(result.tags).toEqual([base('2026.3-main'), base(result.contentTag as string)]);
  });

  it('refuses a platform it can neither build natively nor emulate, before building anything, naming the file, image and key', async () => {
    workspace().write('images/spec.yml', workspace().read('images/spec.yml').replace(/^tag:/m, 'platforms: [linux/amd64, linux/mips64le]\ntag:'));
    expect(await build('base')).toEqual({ success: false });
    expect(workspace().result('base', 'build').messages.at(-1)).toMatch(
      /^base:build failed: images\/spec.yml: image "base", key "platforms": linux\/mips64le cannot be built here: the engine is linux\/amd64 and no QEMU emulator for linux\/mips64le is registered with binfmt_misc\. Run tools\/binfmt.sh/,
    );
    expect(fake().builds).toEqual([]);
  });

  it('fails naming the image and the step with the daemon\'s message, and records no image', async () => {
    fake().failing.set('build', 'The command \'/bin/sh -c false\' returned a non-zero code: 1');
    expect(await build()).toEqual({ success: false });
    const result = workspace().result('base', 'build');
    expect(result.messages).toContain("base:build failed: The command '/bin/sh -c false' returned a non-zero code: 1");
    expect(result.imageId).toBeUndefined();
    expect(fake().registry.size).toBe(0);
  });

  it('fails a child whose parent has no recorded build, naming the parent', async () => {
    expect(await build('child')).toEqual({ success: false });
    expect(workspace().result('child', 'build').messages).toContain(
      'child:build failed: No successful build of "base" is recorded (artifacts/base/build.json): run "npx nx run base:build" first.',
    );
  });

  it('still succeeds when publishing the content tag fails, with a warning (push fails later)', async () => {
    fake().failing.set('push', 'connection refused');
    expect(await build()).toEqual({ success: true });
    expect(workspace().result('base', 'build').messages).toContain('warning: connection refused');
  });
});
