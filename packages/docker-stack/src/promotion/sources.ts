import { RegistryClient, type Manifest } from '../registry/client';
import type { TagMove } from './plan';

/** A move whose source tag the registry has: the manifest that the target tag will point at. */
export interface CheckedMove extends TagMove {
  client: RegistryClient;
  path: string;
  manifest: Manifest;
}

export const sourceReference = (move: TagMove) => `${move.repository}:${move.from}`;
export const targetReference = (move: TagMove) => `${move.repository}:${move.to}`;

/** Reads every source manifest; if any is missing, fails naming each one, before anything is written. */
export async function readSources(moves: TagMove[]): Promise<CheckedMove[]> {
  const checked: CheckedMove[] = [];
  const missing: string[] = [];
  // The stack's repositories decide which registry REGISTRY_USERNAME/REGISTRY_PASSWORD belong to.
  const repositories = moves.map((move) => move.repository);
  for (const move of moves) {
    const { client, path } = RegistryClient.forRepository(move.repository, repositories);
    const manifest = await client.getManifest(path, move.from);
    if (manifest) {
      checked.push({ ...move, client, path, manifest });
    } else {
      missing.push(`${move.image} (${sourceReference(move)})`);
    }
  }
  if (missing.length > 0) {
    throw new Error(`Nothing was tagged: the registry lacks ${missing.length} source tag(s):\n  - ${missing.join('\n  - ')}`);
  }
  return checked;
}

/** An error's message with its cause (fetch says only "fetch failed"; the cause says "ECONNREFUSED"). */
function reason(error: unknown): string {
  const { message, cause } = error as Error & { cause?: { code?: string; message?: string } };
  return cause ? `${message} (${cause.code ?? cause.message})` : message;
}

/**
 * Points each target tag at its source's manifest, checking that the registry kept the digest. If the registry
 * fails midway, the tags already written point at the digests read before any was written, and a plain re-run of
 * the same promotion writes them all (finishing the set): the error names the image it stopped at and what moved.
 */
export async function writeTags(moves: CheckedMove[]): Promise<void> {
  const moved: string[] = [];
  for (const move of moves) {
    try {
      const digest = await move.client.putManifest(move.path, move.to, move.manifest);
      if (digest !== move.manifest.digest) {
        throw new Error(`got digest ${digest}, expected ${move.manifest.digest}`);
      }
    } catch (error) {
      throw new Error(
        `${move.image}: writing ${targetReference(move)} failed: ${reason(error)}. ${moved.length} of ${moves.length} ` +
          `tag(s) moved (${moved.join(', ') || 'none'}); run the same promotion again to finish it.`,
      );
    }
    moved.push(move.image);
  }
}
