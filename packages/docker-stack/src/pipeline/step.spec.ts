import { DockerEngine } from '../docker/docker-engine';
import { FakeDockerEngine } from '../../testing/fake-docker-engine';
import { BRANCH_TAG, useStepWorkspace } from '../../testing/step-workspace';
import { runImageStep } from './step';
import type { PushDetails } from './step-results';

const PUSHED: PushDetails = { imageId: 'sha256:1', tags: ['ghcr.io/org/child:2026.3-main'], digest: 'sha256:d' };

describe('runImageStep', () => {
  const workspace = useStepWorkspace();

  it('hands the work the image, its parent and tags, times it, and writes the typed result file', async () => {
    const fake = new FakeDockerEngine().install();
    jest.spyOn(Date, 'now').mockReturnValueOnce(Date.parse('2026-07-01T10:00:00Z')).mockReturnValue(Date.parse('2026-07-01T10:00:02.5Z'));
    const outcome = await runImageStep('push', { stackDir: 'images' }, workspace().context('child'), async (task, docker) => {
      expect(docker).toBe(fake);
      expect([task.image.name, task.parent?.name, task.branchTag, task.reference]).toEqual(['child', 'base', BRANCH_TAG, `ghcr.io/org/child:${BRANCH_TAG}`]);
      task.log.info('pushed it');
      return PUSHED;
    });
    expect(outcome).toEqual({ success: true });
    expect(workspace().result('child', 'push')).toEqual({
      image: 'child',
      step: 'push',
      success: true,
      startedAt: '2026-07-01T10:00:00.000Z',
      seconds: 2.5,
      messages: ['pushed it'],
      ...PUSHED,
    });
    expect(DockerEngine.connect).toHaveBeenCalledWith(['ghcr.io/org/base', 'ghcr.io/org/child', 'ghcr.io/org/grandchild']);
  });

  it('turns an error into a failed step naming the image and the step, and still writes the result file', async () => {
    new FakeDockerEngine().install();
    const outcome = await runImageStep('push', { stackDir: 'images' }, workspace().context('child'), async () => {
      throw new Error('registry said no');
    });
    expect(outcome).toEqual({ success: false });
    expect(workspace().result('child', 'push')).toMatchObject({ image: 'child', step: 'push', success: false, messages: ['child:push failed: registry said no'] });
  });

  it('fails the step on success: false in the details, keeping them', async () => {
    new FakeDockerEngine().install();
    const details = { success: false, exitCode: 1, summary: '1 failed', paths: ['images/tests_common'] };
    expect(await runImageStep('test', { stackDir: 'images' }, workspace().context('base'), async () => details)).toEqual({ success: false });
    expect(workspace().result('base', 'test')).toMatchObject({ ...details, image: 'base', step: 'test' });
  });

  it('fails, with a result file, when Docker is not reachable or the image is not in the stack', async () => {
    jest.spyOn(DockerEngine, 'connect').mockRejectedValue(new Error('The Docker engine is not running'));
    const work = jest.fn();
    expect(await runImageStep('push', { stackDir: 'images' }, workspace().context('base'), work)).toEqual({ success: false });
    expect(workspace().result('base', 'push').messages).toEqual(['base:push failed: The Docker engine is not running']);
    expect(await runImageStep('push', { stackDir: 'images' }, workspace().context('nope'), work)).toEqual({ success: false });
    expect(workspace().result('nope', 'push').messages).toEqual([expect.stringMatching(/^nope:push failed: .*"nope"/)]);
    expect(work).not.toHaveBeenCalled();
  });

  it('keeps a log file of raw output and messages for steps that have one, and none for the others', async () => {
    new FakeDockerEngine().install();
    await runImageStep('build', { stackDir: 'images' }, workspace().context('base'), async (task) => {
      task.log.write('Step 1/1 : RUN true\n');
      throw new Error('boom');
    });
    expect(workspace().log('base', 'build')).toBe('Step 1/1 : RUN true\nbase:build failed: boom\n');
    expect(workspace().result('base', 'build').messages).toEqual(['base:build failed: boom']);
    await runImageStep('push', { stackDir: 'images' }, workspace().context('base'), async () => PUSHED);
    expect(workspace().exists('logs/base/push.log')).toBe(false);
  });
});
