import { createHash } from 'node:crypto';
import { RegistryClient, type Manifest } from './client';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** One entry of an index: a platform's image manifest. */
export interface IndexEntry {
  mediaType: string;
  digest: string;
  size: number;
  platform: { os: string; architecture: string; variant?: string };
}

/** A platform and the tag of its image. */
export interface PlatformImage {
  platform: string;
  tag: string;
}

interface ManifestJson {
  manifests?: (IndexEntry & { platform?: Partial<IndexEntry['platform']> })[];
  config?: { digest: string; size: number };
  layers?: { digest: string; size: number }[];
}

export const manifestJson = (manifest: Manifest) => JSON.parse(manifest.body.toString('utf8')) as ManifestJson;

/** `linux/arm64/v8` as an index entry's platform. */
export function platformObject(platform: string): IndexEntry['platform'] {
  const [os, architecture, variant] = platform.split('/');
  return { os, architecture, ...(variant && { variant }) };
}

/** `os/arch[/variant]` of an index entry. */
export const platformName = (entry: { platform?: Partial<IndexEntry['platform']> }) =>
  [entry.platform?.os, entry.platform?.architecture, entry.platform?.variant].filter(Boolean).join('/');

/**
 * The image manifest a platform's tag points at. An engine on the containerd image store may push an index of its
 * own (the image and an attestation): its entry for the platform is the image.
 */
async function imageManifest(client: RegistryClient, path: string, tag: string, platform: string): Promise<Manifest> {
  const manifest = await client.getManifest(path, tag);
  if (!manifest) {
    throw new Error(`${client.host}/${path}:${tag} is not in the registry: the ${platform} image was not pushed`);
  }
  const entry = manifestJson(manifest).manifests?.find((item) => platformName(item) === platform);
  const inner = entry && (await client.getManifest(path, entry.digest));
  return inner ?? manifest;
}

/** The OCI image index listing every platform's image by digest, read from its platform tag. */
export async function composeIndex(client: RegistryClient, path: string, platforms: PlatformImage[]): Promise<Manifest> {
  const manifests: IndexEntry[] = [];
  for (const { platform, tag } of platforms) {
    const image = await imageManifest(client, path, tag, platform);
    manifests.push({ mediaType: image.mediaType, digest: image.digest, size: image.body.length, platform: platformObject(platform) });
  }
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
  return { mediaType: OCI_INDEX, body, digest: `sha256:${createHash('sha256').update(body).digest('hex')}` };
}

/** Writes the index under each of `tags`, checking that the registry kept its digest. */
export async function putIndex(client: RegistryClient, path: string, tags: string[], index: Manifest): Promise<void> {
  for (const tag of tags) {
    const digest = await client.putManifest(path, tag, index);
    if (digest !== index.digest) {
      throw new Error(`${client.host}/${path}:${tag}: the registry stored the index as ${digest}, not ${index.digest}`);
    }
  }
}

/**
 * Writes one OCI image index under each of `tags`, listing every platform's image by digest (read from its
 * platform tag): nothing is pulled or pushed but the index itself. Returns the index's digest.
 */
export async function writeIndex(repository: string, tags: string[], platforms: PlatformImage[], repositories: string[]): Promise<string> {
  const { client, path } = RegistryClient.forRepository(repository, repositories);
  const index = await composeIndex(client, path, platforms);
  await putIndex(client, path, tags, index);
  return index.digest;
}
