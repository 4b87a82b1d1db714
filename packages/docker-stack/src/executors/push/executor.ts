import type { ExecutorContext } from '@nx/devkit';
import type { DockerEngine } from '../../docker/docker-engine';
import { ensureBuilt, readBuildResult } from '../../pipeline/built-image';
import { allPlatforms, forEachPlatform, platformVariants } from '../../pipeline/platform-variants';
import { STACK_PLATFORM } from '../../pipeline/stack-platform';
import { runImageStep, type ImageTask } from '../../pipeline/step';
import type { PushDetails } from '../../pipeline/step-results';
import { writeIndex } from '../../registry/image-index';
import { withStackDefaults } from '../../defaults';
import type { PushExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: PushExecutorOptions) => withStackDefaults(options);

/** Pushes one image (one platform's, for a multi-platform image) under its branch tag and its content tag. */
async function pushImage(task: ImageTask, docker: DockerEngine): Promise<PushDetails> {
  // ensureBuilt tagged the branch reference; the content tag may be gone (pruned, or pulled by id).
  const built = await ensureBuilt(task, docker);
  const contentReference = `${built.imageName}:${built.contentTag}`;
  await docker.tag(built.imageId, contentReference);
  const tags = [task.reference, contentReference];
  let digest = '';
  for (const reference of tags) {
    digest = await docker.push(reference, (line) => task.log.info(line));
    task.log.info(`pushed ${reference}${digest ? ` (${digest})` : ''}`);
  }
  return { imageId: built.imageId, tags, digest };
}

/**
 * Pushes the tested image as `<prefix>-<branch>` and as its content tag `build-<hash>`, which lets a runner that
 * has the build only from Nx's cache pull exactly this image. A multi-platform image: every platform's image
 * under both tags plus `-<os>-<arch>`, then one OCI index under the plain tags, written in the registry by digest.
 * The index is written only when every platform's image is there, so a pull never gets a partial set; a runner of
 * one platform (STACK_PLATFORM) leaves it to `stack:merge-index`.
 * Credentials: see registry/credentials.ts.
 */
export default async function pushExecutor(options: PushExecutorOptions, context: ExecutorContext) {
  return runImageStep('push', normalizeOptions(options), context, async (task, docker) => {
    const variants = platformVariants(task);
    if (!variants) {
      return pushImage(task, docker);
    }
    const pushed = await forEachPlatform(variants, (variant) => pushImage(variant, docker));
    const built = readBuildResult(task.workspaceRoot, task.image.name);
    if (!allPlatforms(task, variants)) {
      task.log.info(`${STACK_PLATFORM}: pushed ${variants.map(({ platform }) => platform).join(', ')} only; "nx run stack:merge-index" writes the index once every platform's runner has pushed`);
      const [only] = Object.values(pushed);
      return { imageId: only.imageId, tags: only.tags, digest: only.digest, platforms: pushed };
    }
    const repositories = task.spec.images.map((image) => image.imageName);
    const platforms = variants.map((variant) => ({ platform: variant.platform, tag: variant.branchTag }));
    const digest = await writeIndex(task.image.imageName, [task.branchTag, built.contentTag], platforms, repositories);
    const tags = built.tags;
    task.log.info(`wrote the index of ${platforms.map(({ platform }) => platform).join(', ')} as ${tags.join(' and ')} (${digest})`);
    return { imageId: built.imageId, tags, digest, platforms: pushed };
  });
}
