import type { ExecutorContext } from '@nx/devkit';
import { junitPath } from '../../pipeline/outputs';
import { ensureBuilt } from '../../pipeline/built-image';
import { runPytest } from '../../pipeline/pytest';
import { runImageStep, type ImageTask } from '../../pipeline/step';
import { withStackDefaults } from '../../defaults';
import type { ImageTestsExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: ImageTestsExecutorOptions) => withStackDefaults(options);

/** One pytest step against the image: `test` and `integration-test` differ only in their folders. */
function pytestExecutor(step: 'test' | 'integration-test', folders: (task: ImageTask) => string[]) {
  return (raw: ImageTestsExecutorOptions, context: ExecutorContext) => {
    const options = normalizeOptions(raw);
    return runImageStep(step, options, context, async (task, docker) => {
      await ensureBuilt(task, docker);
      return runPytest({
        python: options.python,
        workspaceRoot: task.workspaceRoot,
        paths: folders(task),
        testImage: task.reference,
        junitXml: junitPath(task.image.name, step),
        log: task.log,
      });
    });
  };
}

/** The acceptance suites: the stack's `tests_common` and the image's own `test/`, against the built image. */
export const testExecutor = pytestExecutor('test', (task) => [`${task.spec.stackDir}/tests_common`, `${task.spec.stackDir}/${task.image.name}/test`]);

/** The image's `integration_tests/`, run after the push (the plugin infers this target only where the spec asks). */
export const integrationTestExecutor = pytestExecutor('integration-test', (task) => [`${task.spec.stackDir}/${task.image.name}/integration_tests`]);
