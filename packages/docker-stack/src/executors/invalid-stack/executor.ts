import { logger, type ExecutorContext } from '@nx/devkit';
import { formatProblem, StackSpecError } from '../../stack/errors';
import { loadStack } from '../../stack/load';
import type { InvalidStackExecutorOptions } from './schema';

/** The target of a stack that does not load (see plugins/invalid-stack.ts): prints every problem and fails. */
export default async function invalidStackExecutor(options: InvalidStackExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  try {
    loadStack(context.root, options.stackDir);
  } catch (error) {
    if (!(error instanceof StackSpecError)) {
      throw error;
    }
    error.problems.forEach((problem) => logger.error(formatProblem(problem)));
    logger.error(`The stack in ${options.stackDir}/ does not load (${error.problems.length} problem(s) above): fix them, then run the command again.`);
    return { success: false };
  }
  logger.error(`The stack in ${options.stackDir}/ loads now, but Nx planned this run on a version that did not: run the command again.`);
  return { success: false };
}
