import type { ImageSpec } from '../stack/model';

/**
 * Set on a runner that does one platform of a multi-platform stack (one runner per platform, e.g. an arm64 runner
 * beside an amd64 one): its steps do only that platform, and `stack:merge-index` writes the indexes once every
 * platform's runner has pushed. Part of the Nx hash of every step of a multi-platform image.
 */
export const STACK_PLATFORM = 'STACK_PLATFORM';

/** The platform this runner does alone, if it is one platform's runner. */
export const runnerPlatform = (): string | undefined => process.env[STACK_PLATFORM] || undefined;

/** The image's platforms that this runner does: all of them, or only the one `STACK_PLATFORM` names. */
export function runnerPlatforms(image: ImageSpec): string[] {
  const only = runnerPlatform();
  return only ? image.platforms.filter((platform) => platform === only) : image.platforms;
}

/** Why this runner leaves the image alone: it is narrowed to platforms that other runners do. Undefined otherwise. */
export function notThisRunner(image: ImageSpec): string | undefined {
  return image.platforms.length > 0 && runnerPlatforms(image).length === 0
    ? `${image.name} is not built for ${runnerPlatform()} (its platforms: ${image.platforms.join(', ')}): nothing to do on this runner (${STACK_PLATFORM}=${runnerPlatform()})`
    : undefined;
}
