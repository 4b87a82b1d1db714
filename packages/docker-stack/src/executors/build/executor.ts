import type { ExecutorContext } from '@nx/devkit';
import { buildImage } from '../../pipeline/built-image';
import { runImageStep } from '../../pipeline/step';
import { withStackDefaults } from '../../defaults';
import { contentTag } from '../../registry/tags';
import type { BuildExecutorOptions } from './schema';

/** The Nx hash of this build task: a digest of the image's inputs and its ancestors', so it names the content. */
function taskHash(context: ExecutorContext): string {
  const task = Object.values(context.taskGraph?.tasks ?? {}).find(
    (candidate) => candidate.target.project === context.projectName && candidate.target.target === context.targetName,
  );
  const hash = process.env.NX_TASK_HASH || task?.hash;
  if (!hash) {
    throw new Error('Nx gave this task no hash: run the build through nx ("npx nx run <image>:build").');
  }
  return hash;
}

/** The options with their defaults: the one place this executor applies them. */
export function normalizeOptions(options: BuildExecutorOptions) {
  return { ...withStackDefaults(options), noCache: options.noCache ?? false };
}

export default async function buildExecutor(raw: BuildExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  return runImageStep('build', options, context, (task, docker) => buildImage(task, docker, contentTag(taskHash(context)), options.noCache));
}
