import { isValidNameComponent, isValidRepository } from '../registry/reference';
import { isPlainObject, type Plain } from '../util/plain-object';
import type { ImageSpec, InfoCommand } from './model';


/** Records a spec problem; `path` is the key path in spec.yml whose line is reported. */
export type Report = (message: string, image?: string, key?: string, path?: (string | number)[]) => void;
/** The source text of a scalar in spec.yml (to keep numbers as written). */
export type SourceText = (path: (string | number)[]) => string | undefined;

/** The keys of an image entry (the JSON Schema, spec.schema.json, is checked against this list). */
export const IMAGE_KEYS = ['image_name', 'depend_on', 'build_args', 'info_cmds', 'integration_tests', 'prune', 'prepull', 'platforms'];

function readBoolean(entry: Plain, key: string, fallback: boolean, name: string, problem: Report): boolean {
  const value = entry[key];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    problem(`must be true or false, not ${JSON.stringify(value)}`, name, key, ['images', name, key]);
    return fallback;
  }
  return value;
}

/** The `images` mapping of spec.yml, in spec order. */
export function readImages(value: unknown, infoCommands: Record<string, InfoCommand>, problem: Report, sourceText: SourceText): ImageSpec[] {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    problem('must be a non-empty mapping of image folder name to its settings', undefined, 'images', ['images']);
    return [];
  }
  const images: ImageSpec[] = [];
  const seenImageNames = new Map<string, string>();
  for (const [name, entry] of Object.entries(value)) {
    const at = (key: string) => ['images', name, key];
    if (!isValidNameComponent(name)) {
      problem('is not a valid image name: use lowercase letters, digits and single separators (., _, -)', name, undefined, ['images', name]);
    }
    if (!isPlainObject(entry)) {
      problem('must be a mapping with at least "image_name"', name, undefined, ['images', name]);
      continue;
    }
    for (const key of Object.keys(entry).filter((key) => !IMAGE_KEYS.includes(key))) {
      problem(`unknown key (expected one of ${IMAGE_KEYS.join(', ')})`, name, key, at(key));
    }
    const imageName = readImageName(entry.image_name, name, seenImageNames, problem);
    const dependOn = entry.depend_on;
    if (dependOn !== undefined && dependOn !== null && typeof dependOn !== 'string') {
      problem('must be the name of one image', name, 'depend_on', at('depend_on'));
    } else if (typeof dependOn === 'string' && dependOn.trim() === '') {
      problem('is empty: name the parent image, or remove depend_on for a root', name, 'depend_on', at('depend_on'));
    }
    images.push({
      name,
      imageName,
      dependOn: typeof dependOn === 'string' && dependOn.trim() !== '' ? dependOn : undefined,
      buildArgs: readBuildArgs(entry.build_args, name, problem, sourceText),
      infoCmds: readInfoCmds(entry.info_cmds, infoCommands, name, problem),
      integrationTests: readBoolean(entry, 'integration_tests', false, name, problem),
      prune: readBoolean(entry, 'prune', false, name, problem),
      prepull: readBoolean(entry, 'prepull', true, name, problem),
      // Filled in by resolvePlatforms once every image is read (an image inherits its parent's).
      platforms: [],
    });
  }
  return images;
}

/** A valid repository name, used by no other image (`''` when it is not). */
function readImageName(imageName: unknown, name: string, seen: Map<string, string>, problem: Report): string {
  if (typeof imageName !== 'string' || !isValidRepository(imageName)) {
    problem(
      `${imageName === undefined ? 'is missing' : `"${String(imageName)}" is not a valid Docker repository name`}` +
        ' (lowercase, e.g. ghcr.io/org/name, no tag)',
      name,
      'image_name',
      imageName === undefined ? ['images', name] : ['images', name, 'image_name'],
    );
  } else if (seen.has(imageName)) {
    problem(`"${imageName}" is also the image_name of "${seen.get(imageName)}"`, name, 'image_name', ['images', name, 'image_name']);
  } else {
    seen.set(imageName, name);
  }
  return typeof imageName === 'string' ? imageName : '';
}

function readBuildArgs(value: unknown, name: string, problem: Report, sourceText: SourceText): Record<string, string> {
  const args: Record<string, string> = {};
  if (value === undefined || value === null) {
    return args;
  }
  if (!isPlainObject(value)) {
    problem('must be a mapping of ARG name to a value', name, 'build_args', ['images', name, 'build_args']);
    return args;
  }
  for (const [arg, argValue] of Object.entries(value)) {
    const path = ['images', name, 'build_args', arg];
    // A build arg is text for docker: keep a non-string scalar as written (3.10, yes, 2024-03-14), not as YAML read it.
    const text = typeof argValue === 'string' ? argValue : argValue === null ? undefined : sourceText(path);
    if (text === undefined) {
      problem('must be a string, number or boolean (a build arg is one value)', name, `build_args.${arg}`, path);
      continue;
    }
    if (arg === 'BASE_TAG') {
      problem('is set by the tooling to the parent image\'s tag; remove it from build_args', name, 'build_args.BASE_TAG', path);
      continue;
    }
    args[arg] = text;
  }
  return args;
}

function readInfoCmds(value: unknown, infoCommands: Record<string, InfoCommand>, name: string, problem: Report): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value) || value.some((key) => typeof key !== 'string')) {
    problem('must be a list of keys of all_info_cmds', name, 'info_cmds', ['images', name, 'info_cmds']);
    return [];
  }
  value.forEach((key: string, index) => {
    if (!(key in infoCommands)) {
      problem(`"${key}" is not defined in all_info_cmds`, name, 'info_cmds', ['images', name, 'info_cmds', index]);
    }
  });
  return value as string[];
}
