import { join } from 'node:path';
import { secretValues } from '../docker/buildkit';
import type { DockerEngine } from '../docker/docker-engine';
import { contentTag, platformTag, stableTag } from '../registry/tags';
import { findImage } from '../stack/model';
import { imageIdentity } from './build-inputs';
import { ociLabels } from './oci-labels';
import { engineImages, readRebuildInputs, type RebuildInputs } from './rebuild-inputs';
import { artifactPath } from './outputs';
import { readStepResult, writeJson, type ImageTask } from './step';
import type { BuildDetails, BuildSettings, StepRecord } from './step-results';

/** A successful build's result file. */
export type BuildResult = StepRecord & BuildDetails;

export function readBuildResult(workspaceRoot: string, image: string): BuildResult {
  const result = readStepResult(workspaceRoot, image, 'build');
  if (!result?.success) {
    throw new Error(`No successful build of "${image}" is recorded (artifacts/${image}/build.json): run "npx nx run ${image}:build" first.`);
  }
  return result;
}

/**
 * Earlier images of the same tag, else of `<prefix>-stable`, that the registry has: they seed the build cache.
 * The classic builder needs them pulled; BuildKit reads their inline cache metadata from the registry and fetches
 * only the layers it reuses. On the containerd image store the classic builder fails any build given a pulled
 * image as cache (Docker 28.5: "failed to restore cached image … failed to read diff archive"), so it gets none.
 */
async function cacheSources(task: ImageTask, docker: DockerEngine, builder: BuildSettings['builder']): Promise<string[]> {
  if (!task.image.prepull) {
    task.log.info('prepull is off for this image: building without a registry cache');
    return [];
  }
  if (builder === 'classic' && (await docker.imageStore()) === 'containerd') {
    task.log.info('warning: the classic builder cannot use a registry cache on the containerd image store: building without one (BuildKit, the default builder, can)');
    return [];
  }
  const log = (line: string) => task.log.info(line);
  for (const candidate of [task.reference, `${task.image.imageName}:${stableTag(task.spec.tagPrefix)}`]) {
    if (builder === 'buildkit' ? await docker.inRegistry(candidate) : await docker.pull(candidate, log)) {
      task.log.info(`using ${candidate} as build cache`);
      return [candidate];
    }
  }
  return [];
}

/** The same step for the image's parent: same workspace, branch and log. */
function parentTask(task: ImageTask): ImageTask | undefined {
  if (!task.parent) {
    return undefined;
  }
  const parent = task.parent;
  return {
    ...task,
    image: parent,
    parent: parent.dependOn ? findImage(task.spec, parent.dependOn) : undefined,
    reference: `${parent.imageName}:${task.branchTag}`,
  };
}

/**
 * The image of this identity when the engine already holds it, built on the same parent image: a build task that
 * Nx runs again for the same inputs (Nx hashes nx.json and .gitignore into every task) then reuses it.
 */
async function reusable(docker: DockerEngine, reference: string, parentImageId: string | undefined): Promise<string | undefined> {
  const existing = await docker.inspect(reference);
  const builtOn = existing?.Config.Labels?.['org.opencontainers.image.base.digest'];
  return existing && builtOn === parentImageId ? existing.Id : undefined;
}

/** The stack's rebuild inputs, read once per process and stack: every build of a batch sees the same. */
const rebuildInputs = new Map<string, Promise<RebuildInputs>>();
function rebuildInputsOf(task: ImageTask, docker: DockerEngine): Promise<RebuildInputs> {
  const key = join(task.workspaceRoot, task.spec.stackDir);
  if (!rebuildInputs.has(key)) {
    rebuildInputs.set(key, readRebuildInputs(task.workspaceRoot, task.spec, engineImages(docker), (line) => task.log.info(`warning: ${line}`)));
  }
  return rebuildInputs.get(key) as Promise<RebuildInputs>;
}

/** Builds the image on its parent's recorded build (making sure the engine holds that parent first), or reuses it. */
export async function buildImage(task: ImageTask, docker: DockerEngine, settings: BuildSettings, noCache = false): Promise<BuildDetails> {
  const secrets = secretValues(task.image.name, settings.secrets);
  const buildArgs = { ...task.image.buildArgs };
  let parent: BuildResult['parent'] = null;
  let parentIdentity: string | undefined;
  const parentStep = parentTask(task);
  if (parentStep) {
    const parentBuild = await ensureBuilt(parentStep, docker);
    parent = { image: parentStep.image.name, reference: parentStep.reference, imageId: parentBuild.imageId };
    // A platform's build hashes its parent's index identity, which is the same for every platform.
    parentIdentity = parentStep.platform ? readBuildResult(task.workspaceRoot, parentStep.image.name).contentTag : parentBuild.contentTag;
    buildArgs.BASE_TAG = task.branchTag;
  }
  const rebuild = await rebuildInputsOf(task, docker);
  const indexTag = contentTag(imageIdentity(task.workspaceRoot, task.spec, task.image.name, parentIdentity, rebuild));
  const identityTag = task.platform ? platformTag(indexTag, task.platform) : indexTag;
  const tags = [task.reference, `${task.image.imageName}:${identityTag}`];
  const details = {
    imageName: task.image.imageName,
    contentTag: identityTag,
    tags,
    parent,
    buildArgs,
    generation: rebuild.generation,
    ...settings,
    ...(task.platform && { platform: task.platform }),
  };
  const reusedId = noCache ? undefined : await reusable(docker, tags[1], parent?.imageId);
  if (reusedId) {
    await docker.tag(reusedId, task.reference);
    task.log.info(`${tags[1]} is already built from these inputs (${reusedId}): reused, not rebuilt`);
    return { ...details, imageId: reusedId, reused: true, steps: [] };
  }
  task.log.info(`building ${task.reference}${task.platform ? ` for ${task.platform}` : ''}${parent ? ` on ${parent.reference}` : ''} with ${settings.builder === 'buildkit' ? 'BuildKit' : 'the classic builder'}`);
  const { imageId, steps } = await docker.build({
    contextDir: join(task.workspaceRoot, task.spec.stackDir, task.image.name),
    tags,
    buildArgs,
    labels: ociLabels(task, parent ?? undefined),
    cacheFrom: noCache ? [] : await cacheSources(task, docker, settings.builder),
    noCache,
    builder: settings.builder,
    secrets,
    platform: task.platform,
    onOutput: (text) => task.log.write(text),
  });
  task.log.info(`built ${task.reference} (${imageId})`);
  return { ...details, imageId, reused: false, steps };
}

/**
 * Makes sure the engine holds the image of the recorded build, tagged `task.reference`. Nx may have restored the
 * build from its cache on a runner that never built it: the image is then pulled by its content tag, which push
 * wrote; and if it was never pushed (its tests failed that time), it is built again from the same inputs.
 */
export async function ensureBuilt(task: ImageTask, docker: DockerEngine): Promise<BuildResult> {
  const recorded = readBuildResult(task.workspaceRoot, task.image.name);
  const built = task.platform ? platformBuild(recorded, task.platform) : recorded;
  const record = (imageId: string, details: Partial<BuildDetails> = {}) => {
    const updated = { ...built, ...details, imageId };
    const { image, step, success, startedAt, seconds, messages, ...entry } = updated;
    const file = task.platform ? { ...recorded, platforms: { ...recorded.platforms, [task.platform]: entry } } : updated;
    writeJson(join(task.workspaceRoot, artifactPath(built.image, 'build')), file);
    return updated;
  };
  let result = built;
  if (!(await docker.inspect(built.imageId))) {
    const byContent = `${built.imageName}:${built.contentTag}`;
    task.log.info(`${built.image}: image ${built.imageId.slice(0, 19)} is not in the local engine (build restored from the Nx cache); pulling ${byContent}`);
    if (await docker.pull(byContent, (line) => task.log.info(line), task.platform)) {
      const pulledId = (await docker.inspect(byContent))?.Id ?? '';
      if (pulledId !== built.imageId) {
        task.log.info(`${byContent} is ${pulledId}, a later build of the same inputs; using it`);
        result = record(pulledId);
      }
    } else {
      task.log.info(`${byContent} is not in the registry either (it was never pushed): building it again from the same inputs`);
      const details = await buildImage(task, docker, { builder: built.builder, secrets: built.secrets });
      result = record(details.imageId, details);
    }
  }
  await docker.tag(result.imageId, task.reference);
  return result;
}

/** One platform's build of a multi-platform image, as a build result of its own. */
function platformBuild(recorded: BuildResult, platform: string): BuildResult {
  const entry = recorded.platforms?.[platform];
  if (!entry) {
    throw new Error(
      `The build of "${recorded.image}" (${artifactPath(recorded.image, 'build')}) has no ${platform} image: its platforms changed since. ` +
        `Run "npx nx run ${recorded.image}:build" again.`,
    );
  }
  return { ...recorded, ...entry };
}

/**
 * A multi-platform image's build record: each platform's build under `platforms`; on top, the engine's own platform
 * (else the first), so `serve` and the summary find a runnable image, with the index's content tag and tags.
 */
export function multiPlatformBuild(task: ImageTask, builds: Record<string, BuildDetails>, enginePlatform: string): BuildDetails {
  const platform = enginePlatform in builds ? enginePlatform : Object.keys(builds)[0];
  const { platform: _own, ...top } = builds[platform];
  const indexTag = top.contentTag.slice(0, -platformTag('', platform).length);
  return {
    ...top,
    contentTag: indexTag,
    tags: [task.reference, `${task.image.imageName}:${indexTag}`],
    steps: Object.values(builds).flatMap((build) => build.steps),
    reused: Object.values(builds).every((build) => build.reused),
    platforms: builds,
  };
}
