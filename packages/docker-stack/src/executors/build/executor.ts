import type { ExecutorContext } from '@nx/devkit';
import { buildImage } from '../../pipeline/built-image';
import { runImageStep } from '../../pipeline/step';
import type { BuildExecutorOptions } from './schema';

export default async function buildExecutor(options: BuildExecutorOptions, context: ExecutorContext) {
  return runImageStep('build', options, context, (task, docker) => buildImage(task, docker, options.noCache ?? false));
}
