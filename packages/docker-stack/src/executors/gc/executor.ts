import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { RegistryClient } from '../../registry/client';
import { ageInDays, findGarbage, type Garbage } from '../../registry/retention';
import { loadStack } from '../../stack/load';
import { withStackDefaults } from '../../defaults';
import type { GcExecutorOptions } from './schema';

/** A digest no registry holds: deleting it tells whether deletes are enabled, and changes nothing either way. */
const PROBE_DIGEST = `sha256:${'0'.repeat(64)}`;

interface Repository {
  repository: string;
  path: string;
  client: RegistryClient;
}

function describe(garbage: Garbage, now: Date): string {
  const tags = garbage.tags.map((tag) => `${garbage.repository}:${tag}`).join(', ');
  return `${tags} (${garbage.digest}, created ${garbage.created.toISOString()}, ${ageInDays(garbage.created, now)} days old)`;
}

/** The registries among `repositories` that refuse deletes; asked before anything is deleted anywhere. */
async function deletesDisabled(repositories: Repository[]): Promise<string[]> {
  const byHost = new Map(repositories.map((entry) => [entry.client.host, entry]));
  const disabled: string[] = [];
  for (const [host, { client, path }] of byHost) {
    if ((await client.deleteManifest(path, PROBE_DIGEST)) === 'unsupported') {
      disabled.push(host);
    }
  }
  return disabled;
}

/**
 * Deletes each repository's garbage, reading its tags again right before: a tag pushed since the listing that
 * points at a digest keeps it. Returns how many digests went.
 */
async function deleteGarbage(repositories: Repository[], keepDays: number, now: Date): Promise<number> {
  let deleted = 0;
  for (const { repository, path, client } of repositories) {
    for (const garbage of (await findGarbage(client, repository, path, keepDays, now)).old) {
      if ((await client.deleteManifest(path, garbage.digest)) === 'unsupported') {
        throw new Error(`${client.host} refused to delete ${repository}@${garbage.digest} (deletes disabled)`);
      }
      logger.info(`deleted ${describe(garbage, now)}`);
      deleted++;
    }
  }
  return deleted;
}

/** Content tags younger than this many days are kept by default. */
export const DEFAULT_KEEP_DAYS = 30;

/** The options with their defaults: the one place this executor applies them. */
export function normalizeOptions(options: GcExecutorOptions) {
  return { ...withStackDefaults(options), keepDays: options.keepDays ?? DEFAULT_KEEP_DAYS, yes: options.yes ?? false };
}

/**
 * `stack:gc`: the content tags no kept tag points to and older than --keep-days; a dry run unless --yes. Deleting
 * a manifest only unlinks it: the registry's own garbage collection frees the layers.
 */
export default async function gcExecutor(raw: GcExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  try {
    const { keepDays } = options;
    if (!Number.isFinite(keepDays) || keepDays < 0) {
      throw new Error(`--keep-days must be a number of days, 0 or more, not "${String(options.keepDays)}"`);
    }
    const { spec } = loadStack(context.root, options.stackDir);
    const names = spec.images.map((image) => image.imageName);
    const repositories = names.map((repository) => ({ repository, ...RegistryClient.forRepository(repository, names) }));
    const now = new Date();
    const old: Garbage[] = [];
    for (const { repository, path, client } of repositories) {
      const found = await findGarbage(client, repository, path, keepDays, now);
      old.push(...found.old);
      found.unknownAge.forEach((digest) => logger.warn(`${repository}@${digest}: no creation date in its config; kept`));
      if (found.young > 0) {
        logger.info(`${repository}: ${found.young} unreferenced content tag(s) younger than ${keepDays} days kept`);
      }
    }
    old.forEach((garbage) => logger.info(`${options.yes ? 'to delete' : 'would delete'}: ${describe(garbage, now)}`));
    logger.info(`${old.length} digest(s) with ${old.reduce((sum, garbage) => sum + garbage.tags.length, 0)} content tag(s) no kept tag points to, older than ${keepDays} days.`);
    if (!options.yes || old.length === 0) {
      logger.info(options.yes ? 'Nothing to delete.' : 'Dry run: nothing was deleted. Run with --yes to delete them.');
      return { success: true };
    }
    const withGarbage = repositories.filter((entry) => old.some((garbage) => garbage.repository === entry.repository));
    const disabled = await deletesDisabled(withGarbage);
    if (disabled.length > 0) {
      throw new Error(
        `the registry ${disabled.join(', ')} has deletes disabled (HTTP 405 UNSUPPORTED); nothing was deleted. ` +
          'Enable them (distribution: storage.delete.enabled: true) or delete through the registry\'s own tools.',
      );
    }
    const deleted = await deleteGarbage(withGarbage, keepDays, now);
    logger.info(`Deleted ${deleted} digest(s). The registry frees their layers on its next garbage collection.`);
    return { success: true };
  } catch (error) {
    logger.error(`stack:gc failed: ${(error as Error).message}`);
    return { success: false };
  }
}
