import { captureLogger } from '../../../testing/capture-logger';
import { useStepWorkspace } from '../../../testing/step-workspace';
import invalidStackExecutor from './executor';

describe('invalid-stack executor', () => {
  const workspace = useStepWorkspace();

  it('prints every problem of the stack (file, line, image, key) and fails', async () => {
    const logged = captureLogger();
    workspace().write('images/spec.yml', 'images:\n  base:\n    image_name: ghcr.io/org/base\n    depend_on: nowhere\ntag:\n  prefix: 2026.3\n');
    expect(await invalidStackExecutor({ stackDir: 'images' }, workspace().context('stack', 'build'))).toEqual({ success: false });
    expect(logged).toContainEqual(expect.stringMatching(/^error: images\/spec\.yml:4: image "base" key "depend_on" names "nowhere"/));
    expect(logged).toContainEqual(expect.stringMatching(/^error: images\/spec\.yml:6: key "tag\.prefix" must be a quoted string/));
    expect(logged.at(-1)).toMatch(/^error: The stack in images\/ does not load \(\d+ problem\(s\) above\): fix them, then run the command again\.$/);
  });

  it('still fails when the stack loads by now, saying to run the command again', async () => {
    const logged = captureLogger();
    expect(await invalidStackExecutor({ stackDir: 'images' }, workspace().context('stack', 'build'))).toEqual({ success: false });
    expect(logged).toEqual(['error: The stack in images/ loads now, but Nx planned this run on a version that did not: run the command again.']);
  });

});
