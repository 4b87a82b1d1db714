import { RegistryClient, type Manifest } from '../registry/client';
import type { PromotionPlan, TagMove } from './plan';

/** A move whose source tag the registry has: the manifest that the target tag will point at. */
export interface CheckedMove extends TagMove {
  client: RegistryClient;
  path: string;
  manifest: Manifest;
}

export const sourceReference = (move: TagMove) => `${move.repository}:${move.from}`;
export const targetReference = (move: TagMove) => `${move.repository}:${move.to}`;

/** Reads every source manifest; if any is missing, fails naming each one, before anything is written. */
export async function readSources(plan: PromotionPlan): Promise<CheckedMove[]> {
  const checked: CheckedMove[] = [];
  const missing: string[] = [];
  // The stack's repositories decide which registry REGISTRY_USERNAME/REGISTRY_PASSWORD belong to.
  const repositories = plan.moves.map((move) => move.repository);
  for (const move of plan.moves) {
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

/** Points each target tag at its source's manifest, checking that the registry kept the digest. */
export async function writeTags(moves: CheckedMove[]): Promise<void> {
  for (const move of moves) {
    const digest = await move.client.putManifest(move.path, move.to, move.manifest);
    if (digest !== move.manifest.digest) {
      throw new Error(`${targetReference(move)} got digest ${digest}, expected ${move.manifest.digest}`);
    }
  }
}
