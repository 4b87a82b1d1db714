import type { DockerEngine } from '../docker/docker-engine';
import { SPEC_FILE } from '../stack/model';
import type { ImageTask } from './step';

/**
 * Per-platform builds are not here yet (issue 24): an image whose `platforms` asks for anything but the engine's
 * own platform fails before anything is built, rather than being built, tested and pushed for the wrong one.
 */
export async function checkPlatformsBuildable(task: ImageTask, docker: DockerEngine): Promise<void> {
  const wanted = task.image.platforms;
  if (wanted.length === 0) {
    return;
  }
  const own = await docker.platform();
  const others = wanted.filter((platform) => platform !== own);
  if (others.length > 0) {
    throw new Error(
      `${task.spec.stackDir}/${SPEC_FILE}: image "${task.image.name}", key "platforms": ${others.join(', ')} cannot be built: ` +
        `this version builds only the engine's own platform (${own}). Remove "platforms", or set it to [${own}].`,
    );
  }
}
