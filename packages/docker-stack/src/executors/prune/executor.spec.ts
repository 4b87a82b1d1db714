import { STACK_LABEL } from '../../pipeline/oci-labels';
import { FAKE_IMAGE_SIZE, useFakeDocker } from '../../../testing/fake-docker-engine';
import { BRANCH_TAG, useStepWorkspace } from '../../../testing/step-workspace';
import pruneExecutor from './executor';

const BRANCH = `ghcr.io/org/base:${BRANCH_TAG}`;
const CONTENT = 'ghcr.io/org/base:build-base-hash';

describe('prune executor', () => {
  const workspace = useStepWorkspace();
  const fake = useFakeDocker();

  const prune = (image = 'base') => pruneExecutor({ stackDir: 'images' }, workspace().context(image, 'prune'));

  it('removes the branch and content tags and the earlier builds of the image, and reports the bytes reclaimed', async () => {
    const label = { [STACK_LABEL]: 'ghcr.io/org/base' };
    fake().addImage([], label); // an earlier build, untagged since
    const other = fake().addImage([], { [STACK_LABEL]: 'ghcr.io/org/child' }); // another image's: kept
    const id = fake().addImage([BRANCH, CONTENT], label);
    workspace().recordBuild('base', 'ghcr.io/org/base', id);
    expect(await prune()).toEqual({ success: true });
    expect(workspace().result('base', 'prune')).toMatchObject({ image: 'base', step: 'prune', success: true, removed: [BRANCH, CONTENT], reclaimedBytes: 2 * FAKE_IMAGE_SIZE });
    expect([...fake().images.keys()]).toEqual([other]);
    expect(fake().calls).toContain(`pruneDangling ${STACK_LABEL}=ghcr.io/org/base`);
    expect(workspace().result('base', 'prune').messages).toEqual([`removed ${BRANCH}, ${CONTENT}; reclaimed 2.0 KB`]);
  });

  it('reports nothing removed when the engine holds nothing of the image', async () => {
    workspace().recordBuild('base', 'ghcr.io/org/base', 'sha256:elsewhere');
    expect(await prune()).toEqual({ success: true });
    expect(workspace().result('base', 'prune')).toMatchObject({ removed: [], reclaimedBytes: 0, messages: ['removed nothing; reclaimed 0 B'] });
  });

  it('fails naming the image and the step without a recorded build, or when the engine refuses', async () => {
    expect(await prune('child')).toEqual({ success: false });
    expect(workspace().result('child', 'prune').messages).toEqual([expect.stringMatching(/^child:prune failed: No successful build of "child"/)]);
    workspace().recordBuild('base', 'ghcr.io/org/base', fake().addImage([BRANCH]));
    fake().failing.set('removeImages', 'conflict: unable to remove repository reference (must force) - container abc is using its referenced image');
    expect(await prune()).toEqual({ success: false });
    expect(workspace().result('base', 'prune').messages).toEqual([expect.stringMatching(/^base:prune failed: conflict: unable to remove/)]);
  });
});
