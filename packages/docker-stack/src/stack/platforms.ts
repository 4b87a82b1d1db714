import type { ImageSpec } from './model';
import { isPlainObject } from '../util/plain-object';
import type { Report } from './parse-image';

/** `os/arch` or `os/arch/variant`, as the engine's build API takes it (`linux/amd64`, `linux/arm/v7`). */
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** A `platforms` list at `path`; undefined when absent (an error is reported when malformed). */
export function readPlatformList(value: unknown, problem: Report, path: string[], image?: string): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const list = Array.isArray(value) ? value : undefined;
  if (!list || list.length === 0 || list.some((entry) => typeof entry !== 'string' || !PLATFORM.test(entry))) {
    problem('must be a non-empty list of platforms such as [linux/amd64, linux/arm64]', image, 'platforms', path);
    return undefined;
  }
  return [...new Set(list as string[])];
}

/**
 * Gives every image its platforms: its own list, else its parent's, else the stack's; [] (the engine's own
 * platform, as before `platforms` existed) when none is set. An image may only narrow what its parent has.
 */
export function resolvePlatforms(rawImages: unknown, images: ImageSpec[], stackPlatforms: string[] | undefined, problem: Report): void {
  const entries = isPlainObject(rawImages) ? rawImages : {};
  const byName = new Map(images.map((image) => [image.name, image]));
  const resolved = new Map<string, string[]>();
  const resolve = (image: ImageSpec, seen: Set<string>): string[] => {
    const known = resolved.get(image.name);
    if (known || seen.has(image.name)) {
      return known ?? [];
    }
    seen.add(image.name);
    const parent = image.dependOn ? byName.get(image.dependOn) : undefined;
    const inherited = parent ? resolve(parent, seen) : (stackPlatforms ?? []);
    const entry = entries[image.name];
    const path = ['images', image.name, 'platforms'];
    const own = isPlainObject(entry) ? readPlatformList(entry.platforms, problem, path, image.name) : undefined;
    const from = parent ? `its parent "${parent.name}"` : 'the stack (top-level platforms)';
    for (const platform of (inherited.length > 0 ? own ?? [] : [])) {
      if (!inherited.includes(platform)) {
        problem(`asks for "${platform}", which ${from} lacks (it has ${inherited.join(', ')})`, image.name, 'platforms', path);
      }
    }
    if (own && inherited.length === 0 && (parent || stackPlatforms)) {
      problem(`asks for ${own.join(', ')}, but ${from} builds only the engine's own platform: set platforms there first`, image.name, 'platforms', path);
    }
    const platforms = own ?? inherited;
    resolved.set(image.name, platforms);
    return platforms;
  };
  images.forEach((image) => (image.platforms = resolve(image, new Set())));
}
