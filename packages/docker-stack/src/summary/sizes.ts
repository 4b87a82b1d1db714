import { DockerEngine } from '../docker/docker-engine';
import { RegistryClient } from '../registry/client';
import { splitReference } from '../registry/reference';
import { stableTag } from '../registry/tags';
import type { ImageReport } from './collect';

export interface ImageSize {
  /** Bytes: compressed in the registry when pushed, else the local engine's (uncompressed) size. */
  bytes?: number;
  where: 'registry' | 'local' | 'unknown';
  /** Registry bytes of `<prefix>-stable`, when that tag exists. */
  stableBytes?: number;
}

/** Layers plus config of a single-image manifest; undefined for an index or no manifest. */
async function registryBytes(repository: string, tag: string): Promise<number | undefined> {
  const { client, path } = RegistryClient.forRepository(repository);
  const manifest = await client.getManifest(path, tag);
  const body = manifest && (JSON.parse(manifest.body.toString('utf8')) as { config?: { size: number }; layers?: { size: number }[] });
  return body?.layers ? body.layers.reduce((sum, layer) => sum + layer.size, body.config?.size ?? 0) : undefined;
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
  const stableBytes = await orUndefined(() => registryBytes(repository, stableTag(prefix)));
  if (report.pushed) {
    const { tag } = splitReference(report.pushed.reference);
    const bytes = await orUndefined(() => registryBytes(repository, tag));
    if (bytes !== undefined) {
      return { bytes, where: 'registry', stableBytes };
    }
  }
  const local = report.imageId ? await orUndefined(async () => (await (await engine()).inspect(report.imageId as string))?.Size) : undefined;
  return { bytes: local, where: local === undefined ? 'unknown' : 'local', stableBytes };
}

