import { useFakeDocker } from '../../../testing/fake-docker-engine';
import { BRANCH_TAG, useStepWorkspace } from '../../../testing/step-workspace';
import pushExecutor from './executor';

const BRANCH = `ghcr.io/org/base:${BRANCH_TAG}`;
const CONTENT = 'ghcr.io/org/base:build-base-hash';

describe('push executor', () => {
  const workspace = useStepWorkspace();
  const fake = useFakeDocker();
  let imageId: string;

  beforeEach(() => {
    imageId = workspace().recordBuild('base', 'ghcr.io/org/base', fake().addImage(['ghcr.io/org/base:earlier'])).imageId; // neither the branch nor the content tag: push must tag both
  });

  const push = () => pushExecutor({ stackDir: 'images' }, workspace().context('base', 'push'));

  it('pushes the built image under its branch tag and its content tag, recording the last digest', async () => {
    expect(await push()).toEqual({ success: true });
    expect([fake().registry.get(BRANCH), fake().registry.get(CONTENT)]).toEqual([imageId, imageId]);
    const pushed = await fake().push(CONTENT);
    expect(workspace().result('base', 'push')).toMatchObject({ image: 'base', step: 'push', success: true, imageId, tags: [BRANCH, CONTENT], digest: pushed });
    expect(workspace().result('base', 'push').messages).toEqual([`pushed ${BRANCH} (${pushed})`, `pushed ${CONTENT} (${pushed})`]);
  });

  it('fails naming the image and the step when the registry refuses, and records no digest', async () => {
    fake().failing.set('push', 'unauthorized: authentication required (check the registry credentials for ghcr.io)');
    expect(await push()).toEqual({ success: false });
    const result = workspace().result('base', 'push');
    expect(result.messages).toEqual(['base:push failed: unauthorized: authentication required (check the registry credentials for ghcr.io)']);
    expect(result.digest).toBeUndefined();
  });

  it('pushes nothing when the build cannot be found or rebuilt', async () => {
    fake().failing.set('build', 'no space left on device');
    workspace().recordBuild('base', 'ghcr.io/org/base', 'sha256:gone');
    expect(await push()).toEqual({ success: false });
    expect(workspace().result('base', 'push').messages).toContain('base:push failed: no space left on device');
    expect(fake().registry.size).toBe(0);
  });
});
