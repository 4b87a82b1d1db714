import type { ExecutorContext } from '@nx/devkit';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerEngine } from '../../docker/docker-engine';
import { withStackDefaults } from '../../defaults';
import { MANIFESTS_DIR, manifestCopyPath, manifestPageName } from '../../pipeline/outputs';
import { ensureBuilt } from '../../pipeline/built-image';
import { forEachPlatform, platformVariants } from '../../pipeline/platform-variants';
import { readStepResult, runImageStep, type ImageTask } from '../../pipeline/step';
import { renderManifestPage, type ManifestImage } from './manifest-page';
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
 * image's page shows every platform.
 */
export default async function manifestExecutor(raw: ManifestExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  return runImageStep('manifest', options, context, async (task, docker) => {
    const pushed = readStepResult(task.workspaceRoot, task.image.name, 'push');
    const variants = platformVariants(task);
    const parent = task.parent ? `${task.parent.imageName}:${task.branchTag}` : null;
    let markdown: string;
    if (!variants) {
      markdown = renderManifestPage({ fullName: task.reference, parent, ...(await describeImage(task, docker, pushed?.digest)) });
    } else {
      const platforms = await forEachPlatform(variants, (variant) => describeImage(variant, docker, pushed?.platforms?.[variant.platform]?.digest));
      const index = { digest: pushed?.digest ?? '', imageId: '', history: [], sections: [] };
      markdown = renderManifestPage({ fullName: task.reference, parent, ...index, platforms: Object.entries(platforms).map(([platform, part]) => ({ platform, ...part })) });
    }
    const page = manifestPageName(task.reference);
    const copy = join(task.workspaceRoot, manifestCopyPath(task.image.name));
    mkdirSync(join(copy, '..'), { recursive: true });
    writeFileSync(copy, markdown);
    const { wikiDir } = options;
    for (const folder of [MANIFESTS_DIR, wikiDir]) {
      mkdirSync(join(task.workspaceRoot, folder), { recursive: true });
      copyFileSync(copy, join(task.workspaceRoot, folder, page));
    }
    task.log.info(`wrote ${MANIFESTS_DIR}/${page} and ${wikiDir}/${page}`);
    return { fullName: task.reference, page, infoCommands: task.image.infoCmds };
  });
}
