import { platformTag } from '../registry/tags';
import { SPEC_FILE } from '../stack/model';
import { runnerPlatform, runnerPlatforms, STACK_PLATFORM } from './stack-platform';
import type { ImageTask } from './step';

/** One platform's task of a multi-platform image. */
export type PlatformTask = ImageTask & { platform: string };

/** An image without `platforms` has no runner of its own: a runner of one platform refuses it. */
function refuseWithoutPlatforms(task: ImageTask): void {
  const only = runnerPlatform();
  if (only && task.image.platforms.length === 0) {
    throw new Error(
      `${STACK_PLATFORM}=${only}: ${task.spec.stackDir}/${SPEC_FILE}: image "${task.image.name}", key "platforms": it has none (the engine builds its own), ` +
        `so no runner of one platform may do it: give it platforms, or run it on a runner without ${STACK_PLATFORM}.`,
    );
  }
}

/**
 * The image's task once per platform of a multi-platform image (`platforms` in spec.yml) that this runner does:
 * each with the platform's own branch tag `<prefix>-<branch>-<os>-<arch>`, so its parent's image of the same
 * platform is `BASE_TAG` and the engine keeps one image per tag. Undefined for an image without `platforms`,
 * which is built as before; empty on a runner whose platform the image lacks (runImageStep skips it there).
 */
export function platformVariants(task: ImageTask): PlatformTask[] | undefined {
  refuseWithoutPlatforms(task);
  if (task.image.platforms.length === 0) {
    return undefined;
  }
  return runnerPlatforms(task.image).map((platform) => {
    const branchTag = platformTag(task.branchTag, platform);
    return { ...task, platform, branchTag, reference: `${task.image.imageName}:${branchTag}` };
  });
}

/** Whether the variants are every platform of the image (not one runner's share of them). */
export const allPlatforms = (task: ImageTask, variants: PlatformTask[]) => variants.length === task.image.platforms.length;

/** Runs `work` for each platform in turn: a step of a multi-platform image is done only when every platform is. */
export async function forEachPlatform<T>(variants: PlatformTask[], work: (variant: PlatformTask) => Promise<T>): Promise<Record<string, T>> {
  const results: Record<string, T> = {};
  for (const variant of variants) {
    variant.log.info(`-- ${variant.platform} --`);
    results[variant.platform] = await work(variant);
  }
  return results;
}
