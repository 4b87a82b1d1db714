import { captureLogger } from '../../../testing/capture-logger';
import { useStepWorkspace } from '../../../testing/step-workspace';
import lintExecutor from './executor';

describe('lint executor', () => {
  const workspace = useStepWorkspace();
  let logged: string[];

  beforeEach(() => {
    logged = captureLogger();
  });

  const lint = (image: string) => lintExecutor({ stackDir: 'images', python: 'python3' }, workspace().context(image, 'lint'));

  it('passes a consistent image definition and says how many checks ran', async () => {
    expect(await lint('child')).toEqual({ success: true });
    expect(logged).toEqual([expect.stringMatching(/^info: child: definition OK \(\d+ checks\)$/)]);
  });

  it('fails on a test file that does not compile, naming the file and the image', async () => {
    workspace().write('images/child/test/test_broken.py', 'def test_x(:\n');
    expect(await lint('child')).toEqual({ success: false });
    expect(logged).toContainEqual(expect.stringMatching(/^error: images\/child\/test\/test_broken\.py:1: image "child".*/));
    expect(logged.at(-1)).toMatch(/^error: child: 1 problem in the image definition \(\d+ checks\)$/);
  });

  it('reports a stack that does not load as problems of the linted image', async () => {
    workspace().write('images/spec.yml', 'images:\n  base:\n    image_name: ghcr.io/org/base\n    depend_on: nowhere\ntag:\n  prefix: "2026.3"\n');
    expect(await lint('base')).toEqual({ success: false });
    expect(logged).toContainEqual(expect.stringMatching(/^error: images\/spec\.yml:\d+: image "base": key "depend_on" names "nowhere"/));
  });
});
