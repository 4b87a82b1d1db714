import { useFakeDocker } from '../../../testing/fake-docker-engine';
import { BRANCH_TAG, useStepWorkspace } from '../../../testing/step-workspace';
import { integrationTestExecutor, testExecutor } from './executor';

const CHILD = `ghcr.io/org/child:${BRANCH_TAG}`;

describe('test and integration-test executors', () => {
  const workspace = useStepWorkspace();
  const fake = useFakeDocker();

  beforeEach(() => {
    workspace().recordBuild('child', 'ghcr.io/org/child', fake().addImage(['ghcr.io/org/child:earlier']));
    workspace().write('images/child/test/test_child.py', 'def test_ok():\n    pass\n');
  });

  const run = (executor: typeof testExecutor, python: string) => executor({ stackDir: 'images', python }, workspace().context('child', 'test'));

  it('runs pytest on tests_common and the image\'s test/ against the built image, and records a pass', async () => {
    expect(await run(testExecutor, workspace().fakePython(0, '3 passed in 0.1s'))).toEqual({ success: true });
    expect(fake().local.get(CHILD)).toBe(fake().local.get('ghcr.io/org/child:earlier')); // ensureBuilt tagged it for TEST_IMAGE
    expect(workspace().read('pytest-args.txt')).toBe(
      `${CHILD} -m pytest -v -p no:cacheprovider --junitxml=artifacts/child/test.xml images/tests_common images/child/test\n`,
    );
    expect(workspace().result('child', 'test')).toMatchObject({
      image: 'child',
      step: 'test',
      success: true,
      exitCode: 0,
      summary: '3 passed in 0.1s',
      paths: ['images/tests_common', 'images/child/test'],
    });
    expect(workspace().log('child', 'test')).toContain('===== 3 passed in 0.1s =====');
  });

  it('fails the step on failing tests, keeping the exit code and summary', async () => {
    expect(await run(testExecutor, workspace().fakePython(1, '1 failed, 2 passed in 0.2s'))).toEqual({ success: false });
    const result = workspace().result('child', 'test');
    expect(result).toMatchObject({ success: false, exitCode: 1, summary: '1 failed, 2 passed in 0.2s' });
    expect(result.messages).toContain('pytest failed (exit code 1): 1 failed, 2 passed in 0.2s');
  });

  it('passes with a warning when the integration_tests folder is missing, without running pytest', async () => {
    expect(await run(integrationTestExecutor, workspace().fakePython(1, 'never'))).toEqual({ success: true });
    const result = workspace().result('child', 'integration-test');
    expect(result).toMatchObject({ step: 'integration-test', success: true, exitCode: 5, summary: 'no test folder', paths: [] });
    expect(result.warnings).toEqual([`WARNING: no test folder found (looked for images/child/integration_tests); the step passes without testing ${CHILD}`]);
    expect(workspace().exists('pytest-args.txt')).toBe(false);
  });

  it('runs integration_tests only, and fails naming the image and step when the interpreter is missing', async () => {
    workspace().write('images/child/integration_tests/test_it.py', '');
    expect(await run(integrationTestExecutor, workspace().fakePython(0, '1 passed'))).toEqual({ success: true });
    expect(workspace().read('pytest-args.txt')).toMatch(/--junitxml=artifacts\/child\/integration-test.xml images\/child\/integration_tests\n$/);
    expect(await run(integrationTestExecutor, '/nonexistent/python3')).toEqual({ success: false });
    expect(workspace().result('child', 'integration-test').messages).toContain(
      'child:integration-test failed: Cannot run /nonexistent/python3: spawn /nonexistent/python3 ENOENT (set the "python" option to an interpreter with pytest)',
    );
  });

  it('fails without running pytest when the image was never built', async () => {
    const python = workspace().fakePython(0, '1 passed');
    expect(await testExecutor({ stackDir: 'images', python }, workspace().context('grandchild', 'test'))).toEqual({ success: false });
    expect(workspace().result('grandchild', 'test').messages).toEqual([expect.stringMatching(/^grandchild:test failed: No successful build of "grandchild"/)]);
    expect(workspace().exists('pytest-args.txt')).toBe(false);
  });
});
