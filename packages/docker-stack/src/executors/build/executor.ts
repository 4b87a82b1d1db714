import type { ExecutorContext } from '@nx/devkit';
import { buildImage, DEFAULT_BUILD_SETTINGS } from '../../pipeline/built-image';
import { runImageStep } from '../../pipeline/step';
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

export default async function buildExecutor(options: BuildExecutorOptions, context: ExecutorContext) {
  const settings = { builder: options.builder ?? DEFAULT_BUILD_SETTINGS.builder, secrets: options.secrets ?? DEFAULT_BUILD_SETTINGS.secrets };
  return runImageStep('build', options, context, async (task, docker) => {
    const built = await buildImage(task, docker, contentTag(taskHash(context)), settings, options.noCache ?? false);
    // Under distributed execution this image's test, or a child's build, may run on another agent before push:
    // publish the content tag now so they pull this very image. Not fatal here (push fails later if the registry does).
    await docker.push(`${built.imageName}:${built.contentTag}`, (line) => task.log.info(line)).catch((error: Error) => task.log.info(`warning: ${error.message}`));
    return built;
  });
}
