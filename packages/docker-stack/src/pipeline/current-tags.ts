import { logger } from '@nx/devkit';
import { DockerEngine } from '../docker/docker-engine';
import { branchTag, currentBranch } from '../registry/tags';
import { loadStack } from '../stack/load';
import type { StackSpec } from '../stack/model';
import { stackContentTags } from './build-inputs';
import { engineImages, readRebuildInputs } from './rebuild-inputs';

/** The stack as today's files define it, this run's `<prefix>-<branch>` and every image's content tag. */
export interface CurrentTags {
  spec: StackSpec;
  branchTag: string;
  contentTags: Record<string, string>;
}

/** What the steps that only write tags in the registry (tag-unchanged, merge-index) work from: no image is built. */
export async function currentTags(workspaceRoot: string, stackDir: string): Promise<CurrentTags> {
  const { spec } = loadStack(workspaceRoot, stackDir);
  const docker = await DockerEngine.connect(spec.images.map((image) => image.imageName));
  const rebuild = await readRebuildInputs(workspaceRoot, spec, engineImages(docker), (line) => logger.warn(line));
  return {
    spec,
    branchTag: branchTag(spec.tagPrefix, currentBranch(process.env, workspaceRoot)),
    contentTags: stackContentTags(workspaceRoot, spec, rebuild),
  };
}
