import type { ExecutorContext } from '@nx/devkit';
import { ensureBuilt } from '../../pipeline/built-image';
import { runImageStep } from '../../pipeline/step';
import { withStackDefaults } from '../../defaults';
import type { PushExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: PushExecutorOptions) => withStackDefaults(options);

/**
 * Pushes the tested image as `<prefix>-<branch>` and as its content tag `build-<hash>`, which lets a runner that
 * has the build only from Nx's cache pull exactly this image. Credentials: see registry/credentials.ts.
 */
export default async function pushExecutor(options: PushExecutorOptions, context: ExecutorContext) {
  return runImageStep('push', normalizeOptions(options), context, async (task, docker) => {
    // ensureBuilt tagged the branch reference; the content tag may be gone (pruned, or pulled by id).
    const built = await ensureBuilt(task, docker);
    const contentReference = `${built.imageName}:${built.contentTag}`;
    await docker.tag(built.imageId, contentReference);
    const tags = [task.reference, contentReference];
    let digest = '';
    for (const reference of tags) {
      digest = await docker.push(reference, (line) => task.log.info(line));
      task.log.info(`pushed ${reference}${digest ? ` (${digest})` : ''}`);
    }
    return { imageId: built.imageId, tags, digest };
  });
}
