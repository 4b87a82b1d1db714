import { platformTag } from '../registry/tags';
import type { ImageTask } from './step';

/** One platform's task of a multi-platform image. */
export type PlatformTask = ImageTask & { platform: string };

/**
 * The image's task once per platform of a multi-platform image (`platforms` in spec.yml): each with the platform's
 * own branch tag `<prefix>-<branch>-<os>-<arch>`, so its parent's image of the same platform is `BASE_TAG` and the
 * engine keeps one image per tag. Undefined for an image without `platforms`, which is built as before.
 */
export function platformVariants(task: ImageTask): PlatformTask[] | undefined {
  if (task.image.platforms.length === 0) {
    return undefined;
  }
  return task.image.platforms.map((platform) => {
    const branchTag = platformTag(task.branchTag, platform);
    return { ...task, platform, branchTag, reference: `${task.image.imageName}:${branchTag}` };
  });
}

/** Runs `work` for each platform in turn: a step of a multi-platform image is done only when every platform is. */
export async function forEachPlatform<T>(variants: PlatformTask[], work: (variant: PlatformTask) => Promise<T>): Promise<Record<string, T>> {
  const results: Record<string, T> = {};
  for (const variant of variants) {
    variant.log.info(`-- ${variant.platform} --`);
    results[variant.platform] = await work(variant);
  }
  return results;
}
