import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { join, relative } from 'node:path';
import { git } from '../../util/git';
import { ARTIFACTS_DIR, MANIFESTS_DIR } from '../../pipeline/outputs';
import { planPromotion } from '../../promotion/plan';
import { checkPlatformSets } from '../../promotion/platform-sets';
import { promotedRevision } from '../../promotion/revision';
import { readSources, sourceReference, targetReference, writeTags } from '../../promotion/sources';
import { applyWikiChanges, planWikiChanges, writePromotionArtifacts } from '../../promotion/wiki-changes';
import { loadStack } from '../../stack/load';
import { repositoryUrl } from '../../util/repo-url';
import { withStackDefaults } from '../../defaults';
import type { PromoteExecutorOptions } from './schema';

/** Where every promotion, dry run or not, leaves its source and target lists and its wiki page for reviewers. */
export const PROMOTION_ARTIFACTS = `${ARTIFACTS_DIR}/promotion`;

/** The options with their defaults: the one place this executor applies them. */
export function normalizeOptions(options: PromoteExecutorOptions) {
  // Lossless for year.quarter prefixes: the CLI turns --tag=2026.3 into the number 2026.3.
  const tag = options.tag === undefined ? undefined : String(options.tag);
  return { ...withStackDefaults(options), tag, global: options.global ?? false, dryRun: options.dryRun ?? false };
}

/**
 * Promotes the whole stack or nothing: every source tag (every platform of a multi-platform image) and manifest page is checked and the wiki change worked
 * out first; only then are the new tags written, by copying each manifest in the registry (no layer is pulled or
 * pushed), and the wiki updated. A dry run stops before writing to the registry or the wiki.
 */
export default async function promoteExecutor(raw: PromoteExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  const { tag } = options;
  try {
    const { spec } = loadStack(context.root, options.stackDir);
    const plan = planPromotion(spec, tag, options.global);
    await checkPlatformSets(spec, plan.moves);
    const checked = await readSources(plan.moves);
    const wikiDir = join(context.root, options.wikiDir);
    const commit = plan.global
      ? undefined
      : await promotedRevision(checked, () => process.env.GITHUB_SHA || git(context.root, 'rev-parse', 'HEAD'));
    const changes = planWikiChanges(plan, checked, {
      workspaceRoot: context.root,
      wikiDir,
      manifestsDir: join(context.root, MANIFESTS_DIR),
      repoUrl: repositoryUrl(process.env, context.root),
      commit,
    });
    for (const move of checked) {
      logger.info(`${options.dryRun ? 'would tag' : 'tagging'} ${sourceReference(move)} -> ${targetReference(move)} (${move.manifest.digest})`);
    }
    const written = writePromotionArtifacts(join(context.root, PROMOTION_ARTIFACTS), checked, changes);
    logger.info(`Wrote ${written.map((file) => relative(context.root, file)).join(', ')}`);
    if (options.dryRun) {
      logger.info(`Dry run: ${checked.length} tag(s) would be written; nothing was changed in the registry or ${options.wikiDir}/.`);
      return { success: true };
    }
    await writeTags(checked);
    applyWikiChanges(wikiDir, changes);
    logger.info(`Promoted ${checked.length} image(s) to ${plan.global ? 'stable' : `${plan.prefix}-stable`}; updated ${options.wikiDir}/${changes.page.name}.`);
    return { success: true };
  } catch (error) {
    logger.error(`stack:promote failed: ${(error as Error).message}`);
    return { success: false };
  }
}
