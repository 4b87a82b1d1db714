import { useFakeDocker } from '../../testing/fake-docker-engine';
import { BRANCH_TAG, useStepWorkspace } from '../../testing/step-workspace';
import { ensureBuilt } from './built-image';
import { runImageStep, type ImageTask } from './step';
import type { DockerEngine } from '../docker/docker-engine';

const REFERENCE = `ghcr.io/org/base:${BRANCH_TAG}`;
const BY_CONTENT = 'ghcr.io/org/base:build-base-hash';

describe('ensureBuilt', () => {
  const workspace = useStepWorkspace();
  const fake = useFakeDocker();

  /** ensureBuilt inside a step (the way push, test and manifest call it), returning what it returned. */
  async function ensure(image = 'base'): Promise<{ imageId: string; contentTag: string } | undefined> {
    let built: { imageId: string; contentTag: string } | undefined;
    await runImageStep('push', { stackDir: 'images' }, workspace().context(image), async (task: ImageTask, docker: DockerEngine) => {
      built = await ensureBuilt(task, docker);
      return { imageId: built.imageId, tags: [], digest: '' };
    });
    return built;
  }

  it('uses the image the engine holds, pulling nothing', async () => {
    const id = fake().addImage(['ghcr.io/org/base:old-tag']);
    workspace().recordBuild('base', 'ghcr.io/org/base', id);
    expect(await ensure()).toMatchObject({ imageId: id });
    expect(fake().calls.filter((call) => /^(pull|build)/.test(call))).toEqual([]);
    expect(fake().local.get(REFERENCE)).toBe(id);
  });

  it('pulls a build restored from the Nx cache by its content tag, keeping build.json when the id is the same', async () => {
    const id = fake().addImage([]);
    fake().registry.set(BY_CONTENT, id);
    fake().images.delete(id); // pushed by another runner, not here
    workspace().recordBuild('base', 'ghcr.io/org/base', id);
    const before = workspace().read('artifacts/base/build.json');
    expect(await ensure()).toMatchObject({ imageId: id });
    expect(fake().calls).toContain(`pull ${BY_CONTENT}`);
    expect(fake().local.get(REFERENCE)).toBe(id);
    expect(workspace().read('artifacts/base/build.json')).toBe(before);
  });

  it('takes a later build of the same inputs, with another id, and records that id', async () => {
    const later = fake().addImage([]);
    fake().registry.set(BY_CONTENT, later);
    fake().images.delete(later);
    workspace().recordBuild('base', 'ghcr.io/org/base', 'sha256:earlier');
    expect(await ensure()).toMatchObject({ imageId: later, contentTag: 'build-base-hash' });
    expect(workspace().result('base', 'build')).toMatchObject({ success: true, imageId: later, contentTag: 'build-base-hash' });
    expect(fake().local.get(REFERENCE)).toBe(later);
    expect(workspace().result('base', 'push').messages).toContain(`${BY_CONTENT} is ${later}, a later build of the same inputs; using it`);
  });

  it('builds again from the same inputs when the registry never got the image, keeping the content tag', async () => {
    workspace().recordBuild('base', 'ghcr.io/org/base', 'sha256:lost');
    const rebuilt = await ensure();
    // The same inputs give the same identity: the content tag is computed again from them, not copied.
    const identity = expect.stringMatching(/^build-[0-9a-f]{40}$/);
    expect(fake().builds.map((build) => build.tags)).toEqual([[REFERENCE, expect.stringMatching(/^ghcr\.io\/org\/base:build-[0-9a-f]{40}$/)]]);
    expect(rebuilt?.imageId).toBe(fake().local.get(REFERENCE));
    expect(workspace().result('base', 'build')).toMatchObject({ imageId: rebuilt?.imageId, contentTag: identity, builder: 'buildkit' });
  });

  it('makes sure of the parent first when rebuilding a child, rebuilding it too when it is lost', async () => {
    workspace().recordBuild('base', 'ghcr.io/org/base', 'sha256:lost-base');
    workspace().recordBuild('child', 'ghcr.io/org/child', 'sha256:lost-child');
    await ensure('child');
    expect(fake().builds.map((build) => [build.tags[0], build.buildArgs.BASE_TAG])).toEqual([
      [REFERENCE, undefined],
      [`ghcr.io/org/child:${BRANCH_TAG}`, BRANCH_TAG],
    ]);
    expect(workspace().result('child', 'build').parent).toEqual({ image: 'base', reference: REFERENCE, imageId: fake().local.get(REFERENCE) });
  });

  it('names the image and the command to run when no build is recorded', async () => {
    await ensure('child');
    expect(workspace().result('child', 'push').messages).toEqual([
      'child:push failed: No successful build of "child" is recorded (artifacts/child/build.json): run "npx nx run child:build" first.',
    ]);
  });
});
