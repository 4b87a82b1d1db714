import type { ExecutorContext } from '@nx/devkit';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerEngine } from '../../docker/docker-engine';
import { withStackDefaults } from '../../defaults';
import { MANIFESTS_DIR, manifestCopyPath, manifestPageName } from '../../pipeline/outputs';
import { ensureBuilt } from '../../pipeline/built-image';
import { allPlatforms, forEachPlatform, platformVariants } from '../../pipeline/platform-variants';
import { readStepResult, runImageStep, type ImageTask } from '../../pipeline/step';
import { renderManifestPage, type ManifestImage } from './manifest-page';
import { writePlatformPageData } from './platform-pages';
import type { ManifestExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: ManifestExecutorOptions) => withStackDefaults(options);

/** One image's (one platform's) part of the page: its info commands, run in one throw-away container, and its layers. */
async function describeImage(task: ImageTask, docker: DockerEngine, digest: string | undefined): Promise<ManifestImage> {
  const built = await ensureBuilt(task, docker);
  const commands = task.image.infoCmds.map((key) => ({ key, ...task.spec.infoCommands[key] }));
  const outputs = await docker.runCommands(
    task.reference,
    commands.map((command) => command.command),
    { 'io.datahub.stack.manifest': task.image.name },
  );
  return {
    digest: digest ?? '',
    imageId: built.imageId,
    history: await docker.history(task.reference),
    sections: commands.map((command, index) => ({ title: command.description, command: command.command, ...outputs[index] })),
  };
}

/**
 * Writes the image's manifest page (named after the full image name) to `manifests/` and the wiki folder
 * (`wikiDir`); `artifacts/<image>/manifest.md` keeps a copy under a fixed name for Nx's cache. A multi-platform
 * image's page shows every platform; a runner of one platform writes that platform's page.
 */
export default async function manifestExecutor(raw: ManifestExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  return runImageStep('manifest', options, context, async (task, docker) => {
    const pushed = readStepResult(task.workspaceRoot, task.image.name, 'push');
    const variants = platformVariants(task);
    // A runner of one platform (STACK_PLATFORM) writes that platform image's page, under its own name, and its
    // data for stack:merge-index's page of the index.
    const single = variants && !allPlatforms(task, variants) ? variants[0] : undefined;
    const described = single ?? task;
    const parent = task.parent ? `${task.parent.imageName}:${described.branchTag}` : null;
    let markdown: string;
    if (!variants) {
      markdown = renderManifestPage({ fullName: task.reference, parent, ...(await describeImage(task, docker, pushed?.digest)) });
    } else if (single) {
      const image = await describeImage(single, docker, pushed?.platforms?.[single.platform]?.digest);
      writePlatformPageData(task.workspaceRoot, single.reference, image);
      markdown = renderManifestPage({ fullName: single.reference, parent, ...image });
    } else {
      const platforms = await forEachPlatform(variants, (variant) => describeImage(variant, docker, pushed?.platforms?.[variant.platform]?.digest));
      const index = { digest: pushed?.digest ?? '', imageId: '', history: [], sections: [] };
      markdown = renderManifestPage({ fullName: task.reference, parent, ...index, platforms: Object.entries(platforms).map(([platform, part]) => ({ platform, ...part })) });
    }
    const page = manifestPageName(described.reference);
    const copy = join(task.workspaceRoot, manifestCopyPath(task.image.name));
    mkdirSync(join(copy, '..'), { recursive: true });
    writeFileSync(copy, markdown);
    const { wikiDir } = options;
    for (const folder of [MANIFESTS_DIR, wikiDir]) {
      mkdirSync(join(task.workspaceRoot, folder), { recursive: true });
      copyFileSync(copy, join(task.workspaceRoot, folder, page));
    }
    task.log.info(`wrote ${MANIFESTS_DIR}/${page} and ${wikiDir}/${page}`);
    return { fullName: described.reference, page, infoCommands: task.image.infoCmds };
  });
}
