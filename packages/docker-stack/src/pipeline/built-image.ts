import type { DockerEngine } from '../docker/docker-engine';
import { readStepResult, type ImageTask, type StepLog, type StepResult } from './step';

/** What `build` records about the image it made: enough for any later step, on any runner, to find it again. */
export interface BuildResult extends StepResult {
  imageName: string;
  imageId: string;
  /** `build-<Nx task hash>`: names this content in the registry, whatever the branch. */
  contentTag: string;
  tags: string[];
  parent: { image: string; reference: string; imageId: string } | null;
}

export function readBuildResult(workspaceRoot: string, image: string): BuildResult {
  const result = readStepResult<BuildResult>(workspaceRoot, image, 'build');
  if (!result?.success) {
    throw new Error(`No successful build of "${image}" is recorded (artifacts/${image}/build.json): run "npx nx run ${image}:build" first.`);
  }
  return result;
}

/**
 * Makes sure the engine holds the built image and that `reference` points at it. Nx may have restored the build
 * from its cache on a runner that never built it: then the image is pulled by its content tag, which push wrote.
 */
export async function ensureImage(docker: DockerEngine, built: BuildResult, reference: string, log: StepLog): Promise<void> {
  if (!(await docker.inspect(built.imageId))) {
    const byContent = `${built.imageName}:${built.contentTag}`;
    log.info(`${built.image}: image ${built.imageId.slice(0, 19)} is not in the local engine (build restored from the Nx cache); pulling ${byContent}`);
    if (!(await docker.pull(byContent, (line) => log.info(line)))) {
      throw new Error(
        `The build of "${built.image}" came from the Nx cache, but its image is neither in the local engine nor in the registry as ${byContent}. ` +
          `Rebuild it with "npx nx run ${built.image}:build --skip-nx-cache".`,
      );
    }
    const pulled = await docker.inspect(byContent);
    if (pulled?.Id !== built.imageId) {
      throw new Error(`${byContent} in the registry is ${pulled?.Id}, not the recorded build ${built.imageId}: the registry tag was overwritten.`);
    }
  }
  await docker.tag(built.imageId, reference);
}

/** The image a per-image step works on, present in the engine under the branch tag. */
export async function builtImageOf(task: ImageTask, docker: DockerEngine): Promise<BuildResult> {
  const built = readBuildResult(task.workspaceRoot, task.image.name);
  await ensureImage(docker, built, task.reference, task.log);
  return built;
}
