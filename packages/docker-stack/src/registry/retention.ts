/**
 * Registry retention (`stack:gc`): which content tags (`build-<hash>`) may go. A tag cannot be deleted on its own:
 * the registry API deletes a manifest by digest, and with it every tag pointing at it. So a digest is garbage only
 * when every tag on it is a content tag, and it is old enough.
 */
import type { Manifest, RegistryClient } from './client';
import { manifestJson } from './image-index';
import { isContentTag } from './tags';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Tagged {
  tag: string;
  manifest: Manifest;
}

/** One digest `stack:gc` would delete, with the content tags that go with it. */
export interface Garbage {
  repository: string;
  path: string;
  digest: string;
  tags: string[];
  created: Date;
}

export interface RepositoryGarbage {
  old: Garbage[];
  /** Unreferenced content tags younger than --keep-days. */
  young: number;
  /** Unreferenced digests whose age cannot be read (no config `created`): kept, to be safe. */
  unknownAge: string[];
}

/**
 * Digest -> its tags, for the digests that only content tags point at. Every other tag is kept: branch tags,
 * `<prefix>-stable`, `stable`, and any tag someone pushed by hand, since deleting the digest would delete it too.
 */
export function unreferencedContent(tagged: { tag: string; digest: string }[]): Map<string, string[]> {
  const kept = new Set(tagged.filter(({ tag }) => !isContentTag(tag)).map(({ digest }) => digest));
  const garbage = new Map<string, string[]>();
  for (const { tag, digest } of tagged.filter((entry) => isContentTag(entry.tag) && !kept.has(entry.digest))) {
    garbage.set(digest, [...(garbage.get(digest) ?? []), tag]);
  }
  return garbage;
}

export function isOlderThan(created: Date, keepDays: number, now: Date): boolean {
  return now.getTime() - created.getTime() > keepDays * DAY_MS;
}

export function ageInDays(created: Date, now: Date): number {
  return Math.floor((now.getTime() - created.getTime()) / DAY_MS);
}

/** Every tag of the repository with the manifest it points at (a tag deleted meanwhile is skipped). */
async function readTags(client: RegistryClient, path: string): Promise<Tagged[]> {
  const tagged: Tagged[] = [];
  for (const tag of await client.listTags(path)) {
    const manifest = await client.getManifest(path, tag);
    if (manifest) {
      tagged.push({ tag, manifest });
    }
  }
  return tagged;
}

/**
 * When the image was made: the `created` of its config (the build time; builders honouring SOURCE_DATE_EPOCH
 * write the commit time instead, which only makes an image look older than its push). For a multi-platform
 * index, its first image's. The registry API records no push time, so this is the only date it offers.
 */
async function createdOf(client: RegistryClient, path: string, manifest: Manifest): Promise<Date | undefined> {
  const body = JSON.parse(manifest.body.toString('utf8')) as { config?: { digest?: string }; manifests?: { digest: string }[] };
  if (body.config?.digest) {
    const config = JSON.parse((await client.getBlob(path, body.config.digest)).toString('utf8')) as { created?: string };
    const created = config.created ? new Date(config.created) : undefined;
    return created && !Number.isNaN(created.getTime()) ? created : undefined;
  }
  const first = body.manifests?.[0] && (await client.getManifest(path, body.manifests[0].digest));
  return first ? createdOf(client, path, first) : undefined;
}

/** The content tags of one repository that no kept tag shares a digest with, split by age. */
export async function findGarbage(client: RegistryClient, repository: string, path: string, keepDays: number, now: Date): Promise<RepositoryGarbage> {
  const tagged = await readTags(client, path);
  const byDigest = new Map(tagged.map(({ manifest }) => [manifest.digest, manifest]));
  const result: RepositoryGarbage = { old: [], young: 0, unknownAge: [] };
  for (const [digest, tags] of unreferencedContent(tagged.map(({ tag, manifest }) => ({ tag, digest: manifest.digest })))) {
    const created = await createdOf(client, path, byDigest.get(digest)!);
    if (!created) {
      result.unknownAge.push(digest);
    } else if (isOlderThan(created, keepDays, now)) {
      result.old.push({ repository, path, digest, tags: tags.sort(), created });
    } else {
      result.young += tags.length;
    }
  }
  // A multi-platform index that stays keeps every platform image it lists: deleting one would break the index.
  const going = new Set(result.old.map((garbage) => garbage.digest));
  const listed = new Set(
    tagged.filter(({ manifest }) => !going.has(manifest.digest)).flatMap(({ manifest }) => (manifestJson(manifest).manifests ?? []).map((entry) => entry.digest)),
  );
  result.old = result.old.filter((garbage) => !listed.has(garbage.digest));
  return result;
}
