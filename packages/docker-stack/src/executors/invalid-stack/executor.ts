import { logger, type ExecutorContext } from '@nx/devkit';
import { formatProblem, StackSpecError } from '../../stack/errors';
import { loadStack } from '../../stack/load';
import { withStackDefaults } from '../../defaults';
import type { InvalidStackExecutorOptions } from './schema';

/** The target of a stack that does not load (see plugins/invalid-stack.ts): prints every problem and fails. */
/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: InvalidStackExecutorOptions) => withStackDefaults(options);

export default async function invalidStackExecutor(raw: InvalidStackExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const options = normalizeOptions(raw);
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
