import { logger, type ExecutorContext } from '@nx/devkit';
import { formatLintProblem, lintImage, specErrorProblems, type LintResult } from '../../lint/lint-image';
import { pythonCompiler } from '../../lint/test-files';
import { StackSpecError } from '../../stack/errors';
import { nodeFileView } from '../../stack/files';
import { readStack } from '../../stack/load';
import { withStackDefaults } from '../../defaults';
import type { LintExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: LintExecutorOptions) => withStackDefaults(options);

/** Checks the image's definition against the spec without building it; needs no Docker. */
export default async function lintExecutor(raw: LintExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const options = normalizeOptions(raw);
  const image = context.projectName ?? '';
  const files = nodeFileView(context.root);
  let result: LintResult;
  try {
    result = lintImage(readStack(files, options.stackDir), image, files, pythonCompiler(options.python, context.root), options.strictBuildArgs);
  } catch (error) {
    if (!(error instanceof StackSpecError)) {
      throw error;
    }
    result = { checks: 1, problems: specErrorProblems(error, image) };
  }
  result.problems.forEach((problem) => (problem.warning ? logger.warn : logger.error)(formatLintProblem(problem)));
  const errors = result.problems.filter((problem) => !problem.warning).length;
  if (errors > 0) {
    logger.error(`${image}: ${errors} problem${errors === 1 ? '' : 's'} in the image definition (${result.checks} checks)`);
    return { success: false };
  }
  const warnings = result.problems.length;
  logger.info(`${image}: definition OK (${result.checks} checks${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''})`);
  return { success: true };
}
