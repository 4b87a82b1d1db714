import Docker from 'dockerode';

/** The real engine and the real local registry the end-to-end suites run against. */
export const docker = new Docker();
export const REGISTRY = '127.0.0.1:5000';

export async function imageId(reference: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(reference).inspect()).Id;
  } catch {
    return undefined;
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
    await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
  }
}

/** The manifest digest of a tag in the local registry, or undefined when the tag is absent. */
export async function registryDigest(repositoryPath: string, tag: string): Promise<string | undefined> {
  const response = await fetch(`http://${REGISTRY}/v2/${repositoryPath}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  return response.ok ? (response.headers.get('docker-content-digest') ?? undefined) : undefined;
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
