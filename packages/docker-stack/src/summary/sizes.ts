import { DockerEngine } from '../docker/docker-engine';
import { RegistryClient, type Manifest } from '../registry/client';
import { manifestJson, platformName } from '../registry/image-index';
import { splitReference } from '../registry/reference';
import { stableTag } from '../registry/tags';
import type { ImageReport } from './collect';

export interface ImageSize {
  /** Bytes: compressed in the registry when pushed, else the local engine's (uncompressed) size. */
  bytes?: number;
  where: 'registry' | 'local' | 'unknown';
  /** Registry bytes of `<prefix>-stable`, when that tag exists. */
  stableBytes?: number;
  /** A multi-platform image pushed as an index: each platform's registry bytes (and its `<prefix>-stable`'s). */
  platforms?: { platform: string; bytes: number; stableBytes?: number }[];
}

/** Layers plus config of an image manifest. */
const manifestBytes = (manifest: Manifest) => {
  const body = manifestJson(manifest);
  return (body.layers ?? []).reduce((sum, layer) => sum + layer.size, body.config?.size ?? 0);
};

/**
 * The registry bytes of what `tag` names: `{ '': bytes }` for an image, each platform's for an index (an engine's
 * attestation entries, of no platform, left out); undefined when the tag is not there.
 */
async function registryBytes(repository: string, tag: string): Promise<Record<string, number> | undefined> {
  const { client, path } = RegistryClient.forRepository(repository);
  const manifest = await client.getManifest(path, tag);
  const entries = manifest && manifestJson(manifest).manifests;
  if (!manifest || !entries) {
    return manifest && { '': manifestBytes(manifest) };
  }
  const sizes: Record<string, number> = {};
  for (const entry of entries.filter((item) => item.platform?.os !== 'unknown')) {
    const image = await client.getManifest(path, entry.digest);
    if (image) {
      sizes[platformName(entry)] = manifestBytes(image);
    }
  }
  return sizes;
}

/** A registry or engine that cannot answer leaves the size unknown: the report is written anyway. */
async function orUndefined<T>(work: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await work();
  } catch {
    return undefined;
  }
}

/** The image's size and its `<prefix>-stable` size, both from the registry where possible. */
export async function imageSize(report: ImageReport, prefix: string, engine: () => Promise<DockerEngine>): Promise<ImageSize> {
  const repository = report.image.imageName;
  const stable = await orUndefined(() => registryBytes(repository, stableTag(prefix)));
  if (report.pushed) {
    const { tag } = splitReference(report.pushed.reference);
    const pushed = await orUndefined(() => registryBytes(repository, tag));
    if (pushed && '' in pushed) {
      return { bytes: pushed[''], where: 'registry', stableBytes: stable?.[''] };
    }
    if (pushed) {
      return { where: 'registry', platforms: Object.entries(pushed).map(([platform, bytes]) => ({ platform, bytes, stableBytes: stable?.[platform] })) };
    }
  }
  const local = report.imageId ? await orUndefined(async () => (await (await engine()).inspect(report.imageId as string))?.Size) : undefined;
  return { bytes: local, where: local === undefined ? 'unknown' : 'local', stableBytes: stable?.[''] };
}
