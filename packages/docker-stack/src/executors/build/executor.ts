import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import type { DockerEngine } from '../../docker/docker-engine';
import { git } from '../../git';
import { ensureImage, readBuildResult, type BuildResult } from '../../pipeline/built-image';
import { runImageStep, type ImageTask } from '../../pipeline/step';
import type { BuildExecutorOptions } from './schema';

export const STACK_LABEL = 'io.datahub.stack.image';

/** The Nx hash of this build task: a digest of the image's inputs and its ancestors', so it names the content. */
function taskHash(context: ExecutorContext): string {
  const task = Object.values(context.taskGraph?.tasks ?? {}).find(
    (candidate) => candidate.target.project === context.projectName && candidate.target.target === context.targetName,
  );
  const hash = process.env.NX_TASK_HASH || task?.hash;
  if (!hash) {
    throw new Error('Nx gave this task no hash: run the build through nx ("npx nx run <image>:build").');
  }
  return hash;
}

function ociLabels(task: ImageTask, parentReference: string | undefined): Record<string, string> {
  const root = task.workspaceRoot;
  const server = process.env.GITHUB_SERVER_URL;
  const source = server && process.env.GITHUB_REPOSITORY ? `${server}/${process.env.GITHUB_REPOSITORY}` : git(root, 'remote', 'get-url', 'origin');
  const labels: Record<string, string | undefined> = {
    'org.opencontainers.image.title': task.image.name,
    'org.opencontainers.image.source': source,
    'org.opencontainers.image.revision': process.env.GITHUB_SHA ?? git(root, 'rev-parse', 'HEAD'),
    'org.opencontainers.image.created': new Date().toISOString(),
    'org.opencontainers.image.base.name': parentReference,
    [STACK_LABEL]: task.image.imageName,
  };
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

/** Earlier images of the same tag, else of `<prefix>-stable`, that the registry has: their layers seed the build cache. */
async function cacheSources(task: ImageTask, docker: DockerEngine): Promise<string[]> {
  if (!task.image.prepull) {
    task.log.info('prepull is off for this image: building without a registry cache');
    return [];
  }
  for (const candidate of [task.reference, `${task.image.imageName}:${task.spec.tagPrefix}-stable`]) {
    if (await docker.pull(candidate, (line) => task.log.info(line))) {
      task.log.info(`using ${candidate} as build cache`);
      return [candidate];
    }
  }
  return [];
}

export default async function buildExecutor(options: BuildExecutorOptions, context: ExecutorContext) {
  return runImageStep('build', options, context, async (task, docker) => {
    const contentTag = `build-${taskHash(context)}`;
    let parent: BuildResult['parent'] = null;
    const buildArgs = { ...task.image.buildArgs };
    if (task.parent) {
      // The parent's build ran (or came from the cache) just before: build on exactly that image.
      const parentBuild = readBuildResult(task.workspaceRoot, task.parent.name);
      const parentReference = `${task.parent.imageName}:${task.branchTag}`;
      await ensureImage(docker, parentBuild, parentReference, task.log);
      parent = { image: task.parent.name, reference: parentReference, imageId: parentBuild.imageId };
      buildArgs.BASE_TAG = task.branchTag;
    }
    const tags = [task.reference, `${task.image.imageName}:${contentTag}`];
    task.log.info(`building ${task.reference}${parent ? ` on ${parent.reference}` : ''}`);
    const { imageId, steps } = await docker.build({
      contextDir: join(task.workspaceRoot, task.spec.stackDir, task.image.name),
      tags,
      buildArgs,
      labels: ociLabels(task, parent?.reference),
      cacheFrom: options.noCache ? [] : await cacheSources(task, docker),
      noCache: options.noCache ?? false,
      onOutput: (text) => task.log.write(text),
    });
    task.log.info(`built ${task.reference} (${imageId})`);
    return { imageName: task.image.imageName, imageId, contentTag, tags, parent, buildArgs, steps };
  });
}
