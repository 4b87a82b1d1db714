import type { ExecutorContext } from '@nx/devkit';
import { junitPath } from '../../outputs';
import { ensureBuilt } from '../../pipeline/built-image';
import { runPytest } from '../../pipeline/pytest';
import { runImageStep } from '../../pipeline/step';
import type { TestExecutorOptions } from './schema';

/** The acceptance suites: the stack's `tests_common` and the image's own `test/`, against the built image. */
export default async function testExecutor(options: TestExecutorOptions, context: ExecutorContext) {
  return runImageStep('test', options, context, async (task, docker) => {
    await ensureBuilt(task, docker);
    const stack = task.spec.stackDir;
    return runPytest({
      python: options.python ?? 'python3',
      workspaceRoot: task.workspaceRoot,
      paths: [`${stack}/tests_common`, `${stack}/${task.image.name}/test`],
      testImage: task.reference,
      junitXml: junitPath(task.image.name, 'test'),
      log: task.log,
    });
  });
}
