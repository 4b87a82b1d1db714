import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../../git';
import { manifestCopyPath, manifestPageName } from '../../pipeline/outputs';
import { readStepResult } from '../../pipeline/step';
import { loadStack } from '../../stack/load';
import { appendHomeRow } from '../../wiki/wiki';
import { withStackDefaults } from '../../defaults';
import type { WikiExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: WikiExecutorOptions) => withStackDefaults(options);

/**
 * Records a main-line build in `wiki/Home.md`: one row with every image whose manifest step succeeded in this
 * workspace (run or restored from Nx's cache), each linked to its page, which is put in the wiki if missing.
 */
export default async function wikiExecutor(raw: WikiExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  const { spec } = loadStack(context.root, options.stackDir);
  const wikiDir = join(context.root, options.wikiDir);
  const images = spec.images.flatMap((image) => {
    const manifest = readStepResult(context.root, image.name, 'manifest');
    return manifest?.success ? [{ image: image.name, fullName: manifest.fullName }] : [];
  });
  if (images.length === 0) {
    logger.error('No image has a manifest in artifacts/: run the manifest target first (npx nx run-many -t manifest).');
    return { success: false };
  }
  mkdirSync(wikiDir, { recursive: true });
  for (const { image, fullName } of images) {
    const page = join(wikiDir, manifestPageName(fullName));
    if (!existsSync(page)) {
      copyFileSync(join(context.root, manifestCopyPath(image)), page);
    }
  }
  const revision = process.env.GITHUB_SHA ?? git(context.root, 'rev-parse', 'HEAD') ?? 'unknown';
  appendHomeRow(wikiDir, `Build ${revision.slice(0, 7)}`, images);
  logger.info(`Added a row for ${images.length} image(s) to ${options.wikiDir}/Home.md`);
  return { success: true };
}
