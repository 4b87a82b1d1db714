import type { CheckedMove } from './sources';

const REVISION = 'org.opencontainers.image.revision';
const CREATED = 'org.opencontainers.image.created';

interface ImageJson {
  manifests?: { digest: string; platform?: { architecture?: string } }[];
  config?: { digest?: string };
}

/** The labels of the image a source tag points at, read from its config blob (an index: its amd64 image, else the first). */
async function sourceLabels(move: CheckedMove): Promise<Record<string, string>> {
  let manifest = JSON.parse(move.manifest.body.toString('utf8')) as ImageJson;
  if (manifest.manifests?.length) {
    const entry = manifest.manifests.find((item) => item.platform?.architecture === 'amd64') ?? manifest.manifests[0];
    const inner = await move.client.getManifest(move.path, entry.digest);
    manifest = inner ? (JSON.parse(inner.body.toString('utf8')) as ImageJson) : {};
  }
  if (!manifest.config?.digest) {
    return {};
  }
  const config = JSON.parse((await move.client.getBlob(move.path, manifest.config.digest)).toString('utf8'));
  return (config.config?.Labels as Record<string, string> | null) ?? {};
}

/**
 * The commit the promoted stack was built from: the `revision` label of the most recently built source image
 * (its `created` label). The build wrote both, so this is right even when the promotion runs later, from a
 * checkout that has moved on; images not rebuilt by the last run keep an older revision, hence the newest.
 * `fallback` (GITHUB_SHA, else git HEAD) serves images built without the labels.
 */
export async function promotedRevision(moves: CheckedMove[], fallback: () => string | undefined): Promise<string> {
  let newest: { revision: string; created: string } | undefined;
  for (const move of moves) {
    const labels = await sourceLabels(move);
    const revision = labels[REVISION] ?? '';
    const created = labels[CREATED] ?? '';
    if (/^[0-9a-f]{7,64}$/.test(revision) && (!newest || created > newest.created)) {
      newest = { revision, created };
    }
  }
  const revision = newest?.revision ?? fallback();
  if (!revision) {
    throw new Error(`Cannot tell which commit is promoted: no source image has the ${REVISION} label, GITHUB_SHA is not set and git has no HEAD`);
  }
  return revision;
}
