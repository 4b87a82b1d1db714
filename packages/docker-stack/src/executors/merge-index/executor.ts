import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { currentTags } from '../../pipeline/current-tags';
import { RegistryClient, type Manifest } from '../../registry/client';
import { composeIndex, putIndex } from '../../registry/image-index';
import { platformTag } from '../../registry/tags';
import { withStackDefaults } from '../../defaults';
import { findImage, type ImageSpec, type StackSpec } from '../../stack/model';
import { MANIFESTS_DIR } from '../../pipeline/outputs';
import { writeIndexPage } from '../manifest/platform-pages';
import type { MergeIndexExecutorOptions } from './schema';

/** One multi-platform image's index, composed from its platforms' content tags, and the tags it goes under. */
interface MergedIndex {
  image: ImageSpec;
  client: RegistryClient;
  path: string;
  tags: string[];
  index: Manifest;
}

/** The index's manifest page, from the platform runners' page data in manifests/ (a warning when some is missing). */
function writeIndexPageOf(workspaceRoot: string, spec: StackSpec, image: ImageSpec, tag: string, digest: string): void {
  const reference = (entry: ImageSpec, platform?: string) => `${entry.imageName}:${platform ? platformTag(tag, platform) : tag}`;
  const parent = image.dependOn ? findImage(spec, image.dependOn) : undefined;
  const platforms = image.platforms.map((platform) => ({ platform, reference: reference(image, platform) }));
  const written = writeIndexPage(workspaceRoot, { fullName: reference(image), digest, parent: parent ? reference(parent) : null, platforms });
  if ('page' in written) {
    logger.info(`${image.name}: wrote ${MANIFESTS_DIR}/${written.page}`);
  } else {
    logger.warn(`${image.name}: no manifest page for the index: the page data of ${written.missing.join(', ')} is not in ${MANIFESTS_DIR}/ (bring in that runner's manifests/ first; promotion needs the page)`);
  }
}

/**
 * Writes each multi-platform image's OCI index when one runner per platform (STACK_PLATFORM) did the stack: from
 * the platforms' content tags `build-<identity>-<os>-<arch>`, which only a passed and pushed build of today's files
 * has, to the image's content tag and `<prefix>-<branch>`. Every index is composed before any is written: if one
 * platform's image of one image is missing (its runner failed or is not done), nothing is written and the error
 * names each image and platform. Images without `platforms` are left alone. With every platform runner's
 * `manifests/` brought in, it also writes each index's manifest page there (promotion needs it).
 */
export default async function mergeIndexExecutor(raw: MergeIndexExecutorOptions, context: ExecutorContext) {
  const options = withStackDefaults(raw);
  try {
    const { spec, branchTag: tag, contentTags } = await currentTags(context.root, options.stackDir);
    const repositories = spec.images.map((image) => image.imageName);
    const merged: MergedIndex[] = [];
    const missing: string[] = [];
    for (const image of spec.images.filter((entry) => entry.platforms.length > 0)) {
      const { client, path } = RegistryClient.forRepository(image.imageName, repositories);
      const platforms = image.platforms.map((platform) => ({ platform, tag: platformTag(contentTags[image.name], platform) }));
      try {
        merged.push({ image, client, path, tags: [contentTags[image.name], tag], index: await composeIndex(client, path, platforms) });
      } catch (error) {
        missing.push(`${image.name}: ${(error as Error).message}`);
      }
    }
    if (missing.length > 0) {
      throw new Error(`Nothing was written: not every platform of every image is in the registry:\n  - ${missing.join('\n  - ')}`);
    }
    for (const { image, client, path, tags, index } of merged) {
      await putIndex(client, path, tags, index);
      logger.info(`${image.name}: wrote the index of ${image.platforms.join(', ')} as ${tags.join(' and ')} (${index.digest})`);
      writeIndexPageOf(context.root, spec, image, tag, index.digest);
    }
    logger.info(`${merged.length} index(es) written.`);
    return { success: true };
  } catch (error) {
    logger.error(`stack:merge-index failed: ${(error as Error).message}`);
    return { success: false };
  }
}
