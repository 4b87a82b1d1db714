import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../util/git';
import { findRepositoryUrl } from '../util/repo-url';
import { excludedTestPaths } from './build-inputs';
import type { ImageTask } from './step';

/** Label carrying the image's repository, so earlier builds of it can be found (and pruned) once untagged. */
export const STACK_LABEL = 'io.datahub.stack.image';

/** The workspace's `license` from its package.json. */
function license(root: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license?: string }).license;
  } catch {
    return undefined;
  }
}

/**
 * The last commit that changed the image's build inputs (its folder and its ancestors' minus their test paths,
 * and the BuildAll entries): its sha and its time, so that identical inputs give identical labels, and so an
 * identical image id.
 */
function inputsCommit(task: ImageTask): { revision?: string; created?: string } {
  const { spec, workspaceRoot } = task;
  const paths: string[] = spec.buildAll.map((entry) => `${spec.stackDir}/${entry}`);
  for (let image: typeof task.image | undefined = task.image; image; image = spec.images.find((i) => i.name === image?.dependOn)) {
    const folder = `${spec.stackDir}/${image.name}`;
    const dockerfile = readFileSync(join(workspaceRoot, folder, 'Dockerfile'), 'utf8');
    paths.push(folder, ...excludedTestPaths(join(workspaceRoot, folder), dockerfile).map((path) => `:(exclude)${folder}/${path}`));
  }
  const [revision, created] = (git(workspaceRoot, 'log', '-1', '--format=%H %cI', '--', ...paths) ?? '').split(' ');
  return { revision: revision || undefined, created: created ? new Date(created).toISOString() : undefined };
}

/** The OCI labels of a build (https://github.com/opencontainers/image-spec/blob/main/annotations.md). */
export function ociLabels(task: ImageTask, parent?: { reference: string; imageId: string }): Record<string, string> {
  const root = task.workspaceRoot;
  const source = findRepositoryUrl(process.env, root);
  const { revision, created } = inputsCommit(task);
  const labels: Record<string, string | undefined> = {
    'org.opencontainers.image.title': task.image.name,
    'org.opencontainers.image.source': source,
    'org.opencontainers.image.url': source,
    'org.opencontainers.image.version': task.branchTag,
    'org.opencontainers.image.revision': revision,
    'org.opencontainers.image.created': created,
    'org.opencontainers.image.licenses': license(root),
    'org.opencontainers.image.base.name': parent?.reference,
    // The parent's image id (its config digest): its registry digest only exists once it is pushed, after the child is built.
    'org.opencontainers.image.base.digest': parent?.imageId,
    [STACK_LABEL]: task.image.imageName,
  };
  return Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => Boolean(entry[1])));
}
