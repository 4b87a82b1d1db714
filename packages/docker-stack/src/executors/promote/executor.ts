import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { join } from 'node:path';
import { planPromotion, type TagMove } from '../../promotion/plan';
import { RegistryClient, type Manifest } from '../../registry/client';
import { loadStack } from '../../stack/load';
import { appendHomeRow, copyManifestPage, writeStableTagPage } from '../../wiki/wiki';
import { withStackDefaults } from '../../defaults';
import type { PromoteExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export function normalizeOptions(options: PromoteExecutorOptions) {
  // Lossless for year.quarter prefixes: the CLI turns --tag=2026.3 into the number 2026.3.
  const tag = options.tag === undefined ? undefined : String(options.tag);
  return { ...withStackDefaults(options), tag, global: options.global ?? false, dryRun: options.dryRun ?? false };
}

interface CheckedMove extends TagMove {
  client: RegistryClient;
  path: string;
  manifest: Manifest;
}

/**
 * Promotes the whole stack or nothing: every source tag is read first, and only when all exist are the new tags
 * written, by copying each manifest in the registry (no layer is pulled or pushed).
 */
export default async function promoteExecutor(raw: PromoteExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  const { tag } = options;
  try {
    const { spec } = loadStack(context.root, options.stackDir);
    const plan = planPromotion(spec, tag, options.global);
    const checked: CheckedMove[] = [];
    const missing: string[] = [];
    for (const move of plan.moves) {
      const { client, path } = RegistryClient.forRepository(move.repository);
      const manifest = await client.getManifest(path, move.from);
      if (manifest) {
        checked.push({ ...move, client, path, manifest });
      } else {
        missing.push(`${move.image} (${move.repository}:${move.from})`);
      }
    }
    if (missing.length > 0) {
      throw new Error(`Nothing was tagged: the registry lacks ${missing.length} source tag(s):\n  - ${missing.join('\n  - ')}`);
    }
    for (const move of checked) {
      logger.info(`${options.dryRun ? 'would tag' : 'tagging'} ${move.repository}:${move.from} -> ${move.repository}:${move.to} (${move.manifest.digest})`);
    }
    if (options.dryRun) {
      logger.info(`Dry run: ${checked.length} tag(s) would be written; nothing was changed.`);
      return { success: true };
    }
    for (const move of checked) {
      const digest = await move.client.putManifest(move.path, move.to, move.manifest);
      if (digest !== move.manifest.digest) {
        throw new Error(`${move.repository}:${move.to} got digest ${digest}, expected ${move.manifest.digest}`);
      }
    }
    const wikiDir = join(context.root, options.wikiDir);
    const full = (move: TagMove, tag: string) => `${move.repository}:${tag}`;
    if (plan.global) {
      writeStableTagPage(
        wikiDir,
        plan.prefix,
        checked.map((move) => ({ image: move.image, stable: full(move, move.to), from: full(move, move.from), digest: move.manifest.digest })),
      );
    } else {
      for (const move of checked.filter((move) => !copyManifestPage(wikiDir, full(move, move.from), full(move, move.to)))) {
        logger.warn(`${move.image}: no manifest page for ${full(move, move.from)} in ${options.wikiDir}/, so none was copied for ${move.to}`);
      }
      appendHomeRow(wikiDir, `Promoted ${tag} to ${plan.prefix}-stable`, checked.map((move) => ({ fullName: full(move, move.to) })));
    }
    logger.info(`Promoted ${checked.length} image(s) to ${plan.global ? 'stable' : `${plan.prefix}-stable`}.`);
    return { success: true };
  } catch (error) {
    logger.error(`stack:promote failed: ${(error as Error).message}`);
    return { success: false };
  }
}
