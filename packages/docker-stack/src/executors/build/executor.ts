import type { ExecutorContext } from '@nx/devkit';
import type { DockerEngine } from '../../docker/docker-engine';
import { buildImage, multiPlatformBuild } from '../../pipeline/built-image';
import { forEachPlatform, platformVariants } from '../../pipeline/platform-variants';
import { checkPlatformsBuildable } from '../../pipeline/platforms-built';
import { runImageStep, type ImageTask } from '../../pipeline/step';
import type { BuildSettings } from '../../pipeline/step-results';
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

/**
 * Builds one image (one platform's, for a multi-platform image). Under distributed execution this image's test,
 * or a child's build, may run on another agent before push: the content tag is published now so that they pull
 * this very image. Not fatal here (push fails later if the registry does).
 */
async function buildAndPublish(task: ImageTask, docker: DockerEngine, settings: BuildSettings, noCache: boolean) {
  const built = await buildImage(task, docker, settings, noCache);
  await docker.push(`${built.imageName}:${built.contentTag}`, (line) => task.log.info(line)).catch((error: Error) => task.log.info(`warning: ${error.message}`));
  return built;
}

export default async function buildExecutor(raw: BuildExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  const settings = { builder: options.builder, secrets: options.secrets };
  return runImageStep('build', options, context, async (task, docker) => {
    const variants = platformVariants(task);
    if (!variants) {
      return buildAndPublish(task, docker, settings, options.noCache);
    }
    await checkPlatformsBuildable(task, variants.map((variant) => variant.platform), docker);
    const builds = await forEachPlatform(variants, (variant) => buildAndPublish(variant, docker, settings, options.noCache));
    return multiPlatformBuild(task, builds, await docker.platform());
  });
}
