import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { currentTags } from '../../pipeline/current-tags';
import { readSources, sourceReference, targetReference, writeTags, type CheckedMove } from '../../promotion/sources';
import { withStackDefaults } from '../../defaults';
import type { TagUnchangedExecutorOptions } from './schema';

/** Whether the move's target tag already points at its source's manifest (an image this run pushed). */
async function alreadyTagged(move: CheckedMove): Promise<boolean> {
  const current = await move.client.getManifest(move.path, move.to);
  return current?.digest === move.manifest.digest;
}

/**
 * Points every image's branch tag at its content tag's manifest, by a copy in the registry. After `nx affected`
 * on main only the changed images were pushed; the others exist under their content tag from an earlier run and
 * need only the tag, so promotion of `<prefix>-<branch>` finds the whole stack.
 */
export default async function tagUnchangedExecutor(raw: TagUnchangedExecutorOptions, context: ExecutorContext) {
  const options = withStackDefaults(raw);
  try {
    const { spec, branchTag: tag, contentTags } = await currentTags(context.root, options.stackDir);
    const moves = spec.images.map((image) => ({ image: image.name, repository: image.imageName, from: contentTags[image.name], to: tag }));
    const toWrite: CheckedMove[] = [];
    for (const move of await readSources(moves)) {
      if (await alreadyTagged(move)) {
        logger.info(`${targetReference(move)} is already ${sourceReference(move)} (${move.manifest.digest})`);
      } else {
        logger.info(`tagging ${sourceReference(move)} -> ${targetReference(move)} (${move.manifest.digest})`);
        toWrite.push(move);
      }
    }
    await writeTags(toWrite);
    logger.info(`${toWrite.length} image(s) tagged ${tag} from their content tag; ${moves.length - toWrite.length} already had it.`);
    return { success: true };
  } catch (error) {
    logger.error(`stack:tag-unchanged failed: ${(error as Error).message}`);
    return { success: false };
  }
}
