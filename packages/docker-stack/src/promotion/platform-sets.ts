import { RegistryClient } from '../registry/client';
import { manifestJson, platformName } from '../registry/image-index';
import { platformTag } from '../registry/tags';
import type { StackSpec } from '../stack/model';
import type { TagMove } from './plan';
import { sourceReference } from './sources';

/**
 * What is wrong with a multi-platform image's source tag: it must be an index of exactly the platforms its spec
 * asks for. Missing, it says which platforms' images were pushed, so a failure on one platform is named.
 */
async function platformProblem(move: TagMove, platforms: string[], repositories: string[]): Promise<string | undefined> {
  const { client, path } = RegistryClient.forRepository(move.repository, repositories);
  const source = await client.getManifest(path, move.from);
  if (!source) {
    const pushed: string[] = [];
    for (const platform of platforms) {
      if (await client.getManifest(path, platformTag(move.from, platform))) {
        pushed.push(platform);
      }
    }
    const missing = platforms.filter((platform) => !pushed.includes(platform));
    return `${move.image} (${sourceReference(move)}): no index; not pushed for ${missing.join(', ')}${pushed.length ? ` (pushed for ${pushed.join(', ')})` : ''}`;
  }
  const listed = (manifestJson(source).manifests ?? []).map(platformName);
  const missing = platforms.filter((platform) => !listed.includes(platform));
  if (missing.length > 0) {
    return `${move.image} (${sourceReference(move)}): the index lacks ${missing.join(', ')}${listed.length ? ` (it has ${listed.join(', ')})` : ' (it is not an index)'}`;
  }
  return undefined;
}

/**
 * Promotion is all or nothing over every platform of every image: before anything is tagged, each multi-platform
 * image's source must be an index of all its platforms; otherwise the error names each image and platform.
 */
export async function checkPlatformSets(spec: StackSpec, moves: TagMove[]): Promise<void> {
  const repositories = spec.images.map((image) => image.imageName);
  const problems: string[] = [];
  for (const move of moves) {
    const { platforms } = spec.images.find((image) => image.name === move.image) ?? { platforms: [] };
    const problem = platforms.length > 0 ? await platformProblem(move, platforms, repositories) : undefined;
    if (problem) {
      problems.push(problem);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Nothing was tagged: not every platform of every image is there:\n  - ${problems.join('\n  - ')}`);
  }
}
