/**
 * What a full rebuild refreshes beyond the stack's files: the images from outside the stack that it builds on,
 * identified by their registry digest, and the stack's rebuild generation, which every full rebuild moves on.
 * Both go into every image's identity (build-inputs.ts) and its Nx hash (the plugin's runtime input runs
 * bin/rebuild-inputs.js), so no run reuses an image built before a full rebuild, or on a base that has moved since.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerEngine } from '../docker/docker-engine';
import { RegistryClient } from '../registry/client';
import { splitReference } from '../registry/reference';
import { FIRST_GENERATION, readGeneration } from '../registry/stack-generation';
import { externalBases, parseDockerfile } from '../stack/dockerfile';
import type { StackSpec } from '../stack/model';

export interface RebuildInputs {
  generation: string;
  /** Each external base as the Dockerfiles name it, with what identifies it: `sha256:…`, `local sha256:…` or `tag`. */
  bases: Record<string, string>;
}

/** Whether the engine has the image, and whether it was pulled from the repository it is named after. */
export type LocalImage = (reference: string) => Promise<{ id: string; pulled: boolean } | undefined>;

/** `docker.io/library/x` and `x` are one repository. */
const shortName = (repository: string) => repository.replace(/^(?:docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');

/** The engine's view of a base: its id, and whether a repo digest of its own repository shows it was pulled. */
export function engineImages(docker: DockerEngine): LocalImage {
  return async (reference) => {
    const info = await docker.inspect(reference);
    const repository = shortName(splitReference(reference).repository);
    return info && { id: info.Id, pulled: (info.RepoDigests ?? []).some((digest) => shortName(digest.split('@')[0]) === repository) };
  };
}

/** The external bases of every image of the stack, each once, sorted. */
function stackBases(workspaceRoot: string, spec: StackSpec): string[] {
  const repositories = spec.images.map((image) => image.imageName);
  const bases = spec.images.flatMap((image) => {
    const dockerfile = readFileSync(join(workspaceRoot, spec.stackDir, image.name, 'Dockerfile'), 'utf8');
    return externalBases(parseDockerfile(dockerfile), image.buildArgs, repositories);
  });
  return [...new Set(bases)].sort();
}

/**
 * A base's identifier. A pinned digest is itself; an image made on this machine (`docker import`, never pulled) is
 * its local id; any other is the digest its registry gives for the tag, or, when the registry cannot be asked,
 * the tag itself (said in a warning).
 */
async function identifyBase(reference: string, local: LocalImage | undefined, warn: (line: string) => void): Promise<string> {
  const pinned = /@(sha256:[a-f0-9]{64})$/.exec(reference);
  if (pinned) {
    return pinned[1];
  }
  const here = local && (await local(reference));
  if (here && !here.pulled) {
    return `local ${here.id}`;
  }
  const { repository, tag } = splitReference(reference);
  try {
    const { client, path } = RegistryClient.forRepository(repository);
    const manifest = await client.getManifest(path, tag);
    if (manifest) {
      return manifest.digest;
    }
    warn(`base image ${reference}: its registry does not have it; identified by its tag`);
  } catch (error) {
    warn(`base image ${reference}: its registry could not be asked (${(error as Error).message}); identified by its tag`);
  }
  return 'tag';
}

/**
 * The stack's rebuild inputs now. Without `local` (the engine's view), a base made on this machine counts by its
 * tag: that is how Nx's hash sees it, whose runtime input must start fast and so does not load the engine client.
 */
export async function readRebuildInputs(
  workspaceRoot: string,
  spec: StackSpec,
  local: LocalImage | undefined,
  warn: (line: string) => void,
): Promise<RebuildInputs> {
  const bases: Record<string, string> = {};
  for (const reference of stackBases(workspaceRoot, spec)) {
    bases[reference] = await identifyBase(reference, local, warn);
  }
  const generation = await readGeneration(spec).catch((error: Error) => {
    // The first generation, not a new value: identities stay what the registry's outage does not change.
    warn(`the stack's rebuild generation could not be read (${error.message}): images are identified as of generation ${FIRST_GENERATION}`);
    return FIRST_GENERATION;
  });
  return { generation, bases };
}
