import Docker from 'dockerode';

/** The real engine and the real local registry the end-to-end suites run against. */
export const docker = new Docker();
export const REGISTRY = '127.0.0.1:5000';

/** True only for the engine's "no such image" answer: any other error must fail the test, not read as absent. */
function isNoSuchImage(error: unknown): boolean {
  const { statusCode, message } = error as { statusCode?: number; message?: string };
  return statusCode === 404 || /no such image/i.test(message ?? '');
}

/** The id of a local image, or undefined when the engine has no such image (other errors are thrown). */
export async function imageId(reference: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(reference).inspect()).Id;
  } catch (error) {
    if (isNoSuchImage(error)) {
      return undefined;
    }
    throw error;
  }
}

export async function layers(reference: string): Promise<string[]> {
  return (await docker.getImage(reference).inspect()).RootFS.Layers ?? [];
}

/** Every image reference in the engine under a repository prefix. */
export async function referencesUnder(prefix: string): Promise<string[]> {
  const images = await docker.listImages();
  return images.flatMap((image) => image.RepoTags ?? []).filter((tag) => tag.startsWith(prefix));
}

/**
 * Removes every image under the prefix, tagged or not (earlier builds whose tag moved on carry the stack's
 * label): tests clean up after themselves on a shared engine.
 */
export async function removeImagesUnder(prefix: string): Promise<void> {
  const images = await docker.listImages({ all: true });
  const ours = images.filter(
    (image) =>
      [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])].some((name) => name.startsWith(prefix)) ||
      (image.Labels?.['io.datahub.stack.image'] ?? '').startsWith(prefix),
  );
  for (const image of ours) {
    // An image that also carries a name outside the prefix (a test may tag the shared base image into its namespace)
    // belongs to someone else too: only untag our names, or removing it by id would delete that image for everyone.
    const tags = image.RepoTags ?? [];
    if (tags.some((name) => !name.startsWith(prefix) && name !== '<none>:<none>')) {
      for (const name of tags.filter((tag) => tag.startsWith(prefix))) {
        await docker.getImage(name).remove().catch(() => undefined);
      }
      continue;
    }
    await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
  }
}

const MANIFEST_TYPES = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

/** The manifest digest of a tag in the local registry, or undefined on a 404 (any other answer is thrown). */
export async function registryDigest(repositoryPath: string, tag: string): Promise<string | undefined> {
  const url = `http://${REGISTRY}/v2/${repositoryPath}/manifests/${tag}`;
  const response = await fetch(url, { method: 'HEAD', headers: { accept: MANIFEST_TYPES } });
  if (response.status === 404) {
    return undefined;
  }
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || !digest) {
    throw new Error(`HEAD ${url}: HTTP ${response.status}${digest ? '' : ', no Docker-Content-Digest'}`);
  }
  return digest;
}

/** Writes tag `to` in the registry as a copy of tag `from` (the manifest only; the layers are already there). */
export async function copyRegistryTag(repositoryPath: string, from: string, to: string): Promise<void> {
  const base = `http://${REGISTRY}/v2/${repositoryPath}/manifests`;
  const source = await fetch(`${base}/${from}`, { headers: { accept: MANIFEST_TYPES } });
  if (!source.ok) {
    throw new Error(`GET ${base}/${from}: HTTP ${source.status}`);
  }
  const contentType = source.headers.get('content-type') ?? 'application/vnd.docker.distribution.manifest.v2+json';
  const put = await fetch(`${base}/${to}`, { method: 'PUT', headers: { 'content-type': contentType }, body: await source.arrayBuffer() });
  if (put.status !== 201) {
    throw new Error(`PUT ${base}/${to}: HTTP ${put.status}`);
  }
}

/** Untagged images still carrying the stack's label for a repository: earlier builds that prune must remove. */
export async function danglingImagesOf(repository: string): Promise<string[]> {
  const images = await docker.listImages({ filters: JSON.stringify({ dangling: ['true'], label: [`io.datahub.stack.image=${repository}`] }) });
  return images.map((image) => image.Id);
}

/** Deletes the manifest a tag points at (and so every tag on it) from the local registry. */
export async function deleteFromRegistry(repositoryPath: string, tag: string): Promise<void> {
  const digest = await registryDigest(repositoryPath, tag);
  if (!digest) {
    throw new Error(`${repositoryPath}:${tag} is not in the registry`);
  }
  const response = await fetch(`http://${REGISTRY}/v2/${repositoryPath}/manifests/${digest}`, { method: 'DELETE' });
  if (response.status !== 202) {
    throw new Error(`deleting ${repositoryPath}@${digest}: HTTP ${response.status}`);
  }
}
