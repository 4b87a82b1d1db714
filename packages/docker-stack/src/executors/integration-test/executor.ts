import type { ExecutorContext } from '@nx/devkit';
import { junitPath } from '../../outputs';
import { ensureBuilt } from '../../pipeline/built-image';
import { runPytest } from '../../pipeline/pytest';
import { runImageStep } from '../../pipeline/step';
import type { TestExecutorOptions } from '../test/schema';

/** The image's `integration_tests/`, run after the push (the plugin infers this target only where the spec asks). */
export default async function integrationTestExecutor(options: TestExecutorOptions, context: ExecutorContext) {
  return runImageStep('integration-test', options, context, async (task, docker) => {
    await ensureBuilt(task, docker);
    return runPytest({
      python: options.python ?? 'python3',
      workspaceRoot: task.workspaceRoot,
      paths: [`${task.spec.stackDir}/${task.image.name}/integration_tests`],
      testImage: task.reference,
      junitXml: junitPath(task.image.name, 'integration-test'),
      log: task.log,
    });
  });
}
