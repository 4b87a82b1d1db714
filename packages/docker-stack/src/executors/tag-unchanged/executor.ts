import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { DockerEngine } from '../../docker/docker-engine';
import { stackContentTags } from '../../pipeline/build-inputs';
import { engineImages, readRebuildInputs } from '../../pipeline/rebuild-inputs';
import { readSources, sourceReference, targetReference, writeTags, type CheckedMove } from '../../promotion/sources';
import { branchTag, currentBranch } from '../../registry/tags';
import { loadStack } from '../../stack/load';
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
    const { spec } = loadStack(context.root, options.stackDir);
    const tag = branchTag(spec.tagPrefix, currentBranch(process.env, context.root));
    const docker = await DockerEngine.connect(spec.images.map((image) => image.imageName));
    const rebuild = await readRebuildInputs(context.root, spec, engineImages(docker), (line) => logger.warn(line));
    const contentTags = stackContentTags(context.root, spec, rebuild);
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
