import type { ExecutorContext } from '@nx/devkit';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withStackDefaults } from '../../defaults';
import { MANIFESTS_DIR, manifestCopyPath, manifestPageName } from '../../pipeline/outputs';
import { ensureBuilt } from '../../pipeline/built-image';
import { readStepResult, runImageStep } from '../../pipeline/step';
import { renderManifestPage } from './manifest-page';
import type { ManifestExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: ManifestExecutorOptions) => withStackDefaults(options);

/**
 * Runs the image's info commands in a throw-away container and writes its manifest page (named after the full
 * image name) to `manifests/` and the wiki folder (`wikiDir`); `artifacts/<image>/manifest.md` keeps a copy under a
 * fixed name for Nx's cache.
 */
export default async function manifestExecutor(raw: ManifestExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  return runImageStep('manifest', options, context, async (task, docker) => {
    const built = await ensureBuilt(task, docker);
    const commands = task.image.infoCmds.map((key) => ({ key, ...task.spec.infoCommands[key] }));
    const outputs = await docker.runCommands(
      task.reference,
      commands.map((command) => command.command),
      { 'io.datahub.stack.manifest': task.image.name },
    );
    const markdown = renderManifestPage({
      fullName: task.reference,
      digest: readStepResult(task.workspaceRoot, task.image.name, 'push')?.digest ?? '',
      imageId: built.imageId,
      parent: built.parent?.reference ?? null,
      history: await docker.history(task.reference),
      sections: commands.map((command, index) => ({ title: command.description, command: command.command, ...outputs[index] })),
    });
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
    return { fullName: task.reference, page, infoCommands: commands.map((command) => command.key) };
  });
}
