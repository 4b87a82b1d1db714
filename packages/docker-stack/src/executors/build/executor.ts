import type { ExecutorContext } from '@nx/devkit';
import { buildImage } from '../../pipeline/built-image';
import { checkPlatformsBuildable } from '../../pipeline/platforms-built';
import { runImageStep } from '../../pipeline/step';
import { DEFAULT_BUILDER, withStackDefaults } from '../../defaults';
import type { BuildExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export function normalizeOptions(options: BuildExecutorOptions) {
  return {
    ...withStackDefaults(options),
    noCache: options.noCache ?? false,
    builder: options.builder ?? DEFAULT_BUILDER,
    secrets: options.secrets ?? {},
  };
}

export default async function buildExecutor(raw: BuildExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  const settings = { builder: options.builder, secrets: options.secrets };
  return runImageStep('build', options, context, async (task, docker) => {
    await checkPlatformsBuildable(task, docker);
    const built = await buildImage(task, docker, settings, options.noCache);
    // Under distributed execution this image's test, or a child's build, may run on another agent before push:
    // publish the content tag now so they pull this very image. Not fatal here (push fails later if the registry does).
    await docker.push(`${built.imageName}:${built.contentTag}`, (line) => task.log.info(line)).catch((error: Error) => task.log.info(`warning: ${error.message}`));
    return built;
  });
}
