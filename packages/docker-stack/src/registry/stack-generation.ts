/**
 * The stack's rebuild generation: a value every full rebuild moves on, kept in the registry so that every runner
 * sharing it sees the same one. It is part of every image's identity (pipeline/rebuild-inputs.ts): after a full
 * rebuild no run reuses, tests or promotes an image from before it. Stored as a small OCI manifest under
 * `<first root's repository>:stack-generation`, the value in an annotation, its config the empty JSON object.
 */
import { RegistryClient, type Manifest } from './client';
import { GENERATION_TAG } from './tags';
import type { StackSpec } from '../stack/model';

const ANNOTATION = 'org.datahub.stack.generation';
const MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const EMPTY_CONFIG = Buffer.from('{}');
/** The generation of a stack no full rebuild has moved on yet. */
export const FIRST_GENERATION = '0';

function generationRepository(spec: StackSpec): { client: RegistryClient; path: string } {
  const root = spec.images.find((image) => !image.dependOn) ?? spec.images[0];
  return RegistryClient.forRepository(root.imageName, spec.images.map((image) => image.imageName));
}

export async function readGeneration(spec: StackSpec): Promise<string> {
  const { client, path } = generationRepository(spec);
  const manifest = await client.getManifest(path, GENERATION_TAG);
  if (!manifest) {
    return FIRST_GENERATION;
  }
  const annotations = (JSON.parse(manifest.body.toString('utf8')) as { annotations?: Record<string, string> }).annotations;
  return annotations?.[ANNOTATION] ?? FIRST_GENERATION;
}

/** Moves the generation on to `generation`; returns where it is kept. */
export async function writeGeneration(spec: StackSpec, generation: string): Promise<string> {
  const { client, path } = generationRepository(spec);
  const config = await client.putBlob(path, EMPTY_CONFIG);
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: config, size: EMPTY_CONFIG.length },
      layers: [],
      annotations: { [ANNOTATION]: generation },
    }),
  );
  const manifest: Manifest = { mediaType: MEDIA_TYPE, body, digest: '' };
  await client.putManifest(path, GENERATION_TAG, manifest);
  return `${client.host}/${path}:${GENERATION_TAG}`;
}
