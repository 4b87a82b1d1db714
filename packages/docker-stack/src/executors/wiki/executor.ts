import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { manifestCopyPath, manifestPageName } from '../../pipeline/outputs';
import { readStepResult } from '../../pipeline/step';
import { loadStack } from '../../stack/load';
import { withStackDefaults } from '../../defaults';
import type { WikiExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: WikiExecutorOptions) => withStackDefaults(options);

/**
 * After a main-line build: puts each image's manifest page into the wiki checkout, from `artifacts/<image>/manifest.md`
 * (the manifest step writes it to the wiki itself, but not when Nx restored it from its cache). As in the former
 * pipeline a build adds no row to `Home.md`: only a promotion to `<prefix>-stable` does.
 */
export default async function wikiExecutor(raw: WikiExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  const { spec } = loadStack(context.root, options.stackDir);
  const wikiDir = options.wikiDir;
  const pages = spec.images.flatMap((image) => {
    const manifest = readStepResult(context.root, image.name, 'manifest');
    return manifest?.success ? [{ image: image.name, page: manifestPageName(manifest.fullName) }] : [];
  });
  if (pages.length === 0) {
    logger.error('No image has a manifest in artifacts/: run the manifest target first (npx nx run-many -t manifest).');
    return { success: false };
  }
  mkdirSync(join(context.root, wikiDir), { recursive: true });
  for (const { image, page } of pages) {
    // This build's page: it replaces an older page of the same tag.
    copyFileSync(join(context.root, manifestCopyPath(image)), join(context.root, wikiDir, page));
  }
  logger.info(`Put ${pages.length} manifest page(s) into ${wikiDir}/: ${pages.map(({ page }) => page).join(', ')}`);
  return { success: true };
}
