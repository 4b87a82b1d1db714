import type { ExecutorContext } from '@nx/devkit';
import { formatBytes } from '../../util/format-bytes';
import { readBuildResult } from '../../pipeline/built-image';
import { STACK_LABEL } from '../../pipeline/oci-labels';
import { runImageStep } from '../../pipeline/step';
import { withStackDefaults } from '../../defaults';
import type { PruneExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: PruneExecutorOptions) => withStackDefaults(options);

/**
 * Frees the runner's disk once the image's pipeline is done (it is in the registry by then): removes the image's
 * tags and the earlier, now untagged builds of it, and reports the space reclaimed.
 */
export default async function pruneExecutor(options: PruneExecutorOptions, context: ExecutorContext) {
  return runImageStep('prune', normalizeOptions(options), context, async (task, docker) => {
    const built = readBuildResult(task.workspaceRoot, task.image.name);
    const before = await docker.layersSize();
    // A multi-platform image: every platform's tags too (the index tags are only in the registry, except the
    // engine's own platform's, which ensureBuilt may have tagged locally).
    const platformTags = Object.values(built.platforms ?? {}).flatMap((build) => build.tags);
    const removed = await docker.removeImages([task.reference, `${built.imageName}:${built.contentTag}`, ...platformTags]);
    await docker.pruneDangling(`${STACK_LABEL}=${task.image.imageName}`);
    const reclaimed = Math.max(0, before - (await docker.layersSize()));
    task.log.info(`removed ${removed.length ? removed.join(', ') : 'nothing'}; reclaimed ${formatBytes(reclaimed)}`);
    return { removed, reclaimedBytes: reclaimed };
  });
}
