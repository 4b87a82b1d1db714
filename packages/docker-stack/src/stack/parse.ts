import { nxignoreWarnings, readChangeIgnore } from './change-ignore';
import { checkFolders } from './folders';
import { SPEC_FILE, type ImageSpec, type InfoCommand, type StackSources, type StackSpec } from './model';
import { isPlainObject } from '../util/plain-object';
import { readImages, type Report, type SourceText } from './parse-image';
import { StackSpecError, type SpecProblem } from './errors';
import { formerFormatProblem } from './former-format';
import { lineFinder, mergeFinder, sourceAt, type LineFinder, type MergeFinder } from './yaml-lines';
import { controlCharacterPaths, parseSpecYaml } from './spec-yaml';
import { isTagPrefix } from '../registry/tags';
import { readPlatformList, resolvePlatforms } from './platforms';

/** A checked stack, with what was read to make it, so nothing reads spec.yml or a Dockerfile twice. */
export interface ParsedStack {
  spec: StackSpec;
  warnings: string[];
  /** Each image's Dockerfile text, by image name. */
  dockerfiles: Record<string, string>;
  /** The line of a key path in spec.yml, e.g. `['images', name, 'build_args', arg]`. */
  specLine: LineFinder;
  /** Whether a key path's last key is merged in from a shared block (`<<: *common`), not written in place. */
  specMerged: MergeFinder;
}

/** The top-level keys of spec.yml (the JSON Schema, spec.schema.json, is checked against this list). */
export const TOP_KEYS = ['root', 'images', 'tag', 'all_info_cmds', 'platforms'];
/** Top-level keys the user keeps for their own data (anchors, notes), as in compose files: never read. */
export const EXTENSION_KEY = /^x-/;

/** Parses and checks a stack; throws a `StackSpecError` listing every problem, or returns the model. */
export function parseStack(sources: StackSources): ParsedStack {
  const specFile = `${sources.stackDir}/${SPEC_FILE}`;
  const problems: SpecProblem[] = [];
  const { document, lineCounter, raw } = parseSpecYaml(specFile, sources.specText);
  const lineOf = lineFinder(document, lineCounter);
  const problem = (message: string, image?: string, key?: string, path?: (string | number)[]) =>
    problems.push({ file: specFile, image, key, message, line: path ? lineOf(path) : undefined });
  if (!isPlainObject(raw)) {
    throw new StackSpecError([{ file: specFile, message: 'must be a YAML mapping with "images", "tag" and "all_info_cmds"' }]);
  }
  // An old fork's spec gets one error saying what to rename, not a list of unknown keys.
  const former = formerFormatProblem(raw, lineOf, specFile);
  if (former) {
    throw new StackSpecError([former]);
  }
  for (const key of Object.keys(raw).filter((key) => !TOP_KEYS.includes(key) && !EXTENSION_KEY.test(key))) {
    problem(`unknown top-level key (expected one of ${TOP_KEYS.join(', ')}; keep your own data under a key starting with "x-")`, undefined, key, [key]);
  }

  for (const path of controlCharacterPaths(raw)) {
    const image = path[0] === 'images' ? String(path[1]) : undefined;
    problem('holds a control character (such as NUL): remove it', image, path.slice(image ? 2 : 0).join('.') || undefined, path);
  }
  const infoCommands = readInfoCommands(raw.all_info_cmds, problem);
  const tagPrefix = readTagPrefix(raw.tag, problem);
  const sourceText: SourceText = (path) => sourceAt(document, path);
  const images = readImages(raw.images, infoCommands, problem, sourceText);
  checkRoots(raw.root, images, problem);
  checkParents(images, problem);
  resolvePlatforms(raw.images, images, readPlatformList(raw.platforms, problem, ['platforms']), problem);
  const { changeIgnore, buildAll } = readChangeIgnore(sources, problems);
  problems.push(...checkFolders(sources, images, buildAll, specFile));

  if (problems.length > 0) {
    throw new StackSpecError(problems);
  }
  const spec: StackSpec = { stackDir: sources.stackDir, images, tagPrefix, infoCommands, changeIgnore, buildAll };
  // checkFolders made sure that every image has a Dockerfile.
  const dockerfiles = Object.fromEntries(images.map((image) => [image.name, sources.folders.get(image.name)?.dockerfile ?? '']));
  return { spec, warnings: nxignoreWarnings(sources, spec), dockerfiles, specLine: lineOf, specMerged: mergeFinder(document) };
}

function readInfoCommands(value: unknown, problem: Report): Record<string, InfoCommand> {
  const commands: Record<string, InfoCommand> = {};
  if (value === undefined) {
    return commands;
  }
  if (!isPlainObject(value)) {
    problem('must be a mapping of KEY: {description, command}', undefined, 'all_info_cmds', ['all_info_cmds']);
    return commands;
  }
  for (const [key, entry] of Object.entries(value)) {
    const path = ['all_info_cmds', key];
    if (!isPlainObject(entry) || typeof entry.command !== 'string' || entry.command.trim() === '') {
      problem('needs a non-empty "command" string', undefined, `all_info_cmds.${key}`, path);
      continue;
    }
    const description = typeof entry.description === 'string' ? entry.description : key;
    commands[key] = { description, command: entry.command };
  }
  return commands;
}

function readTagPrefix(value: unknown, problem: Report): string {
  const prefix = isPlainObject(value) ? value.prefix : undefined;
  if (prefix === undefined) {
    problem('is missing: set tag.prefix to a quoted year.quarter such as "2026.3"', undefined, 'tag.prefix', ['tag']);
    return '';
  }
  if (typeof prefix !== 'string') {
    problem(`must be a quoted string such as "2026.3" (YAML read ${JSON.stringify(prefix)}, a ${typeof prefix})`, undefined, 'tag.prefix', ['tag', 'prefix']);
    return '';
  }
  if (!isTagPrefix(prefix)) {
    problem(`"${prefix}" is malformed: expected year.quarter such as "2026.3"`, undefined, 'tag.prefix', ['tag', 'prefix']);
  }
  return prefix;
}

/** `root` is optional; when given, it must name exactly the images without depend_on. */
function checkRoots(value: unknown, images: ImageSpec[], problem: Report): void {
  const parentless = images.filter((image) => !image.dependOn).map((image) => image.name);
  if (value === undefined || value === null) {
    return;
  }
  const roots = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!roots || roots.some((root) => typeof root !== 'string')) {
    problem('must be an image name or a list of image names', undefined, 'root', ['root']);
    return;
  }
  for (const root of roots as string[]) {
    const image = images.find((candidate) => candidate.name === root);
    if (!image) {
      problem(`"${root}" is not an image in "images"`, undefined, 'root', ['root']);
    } else if (image.dependOn) {
      problem(`"${root}" is listed as a root but has depend_on "${image.dependOn}"`, root, 'depend_on', ['images', root, 'depend_on']);
    }
  }
  for (const name of parentless.filter((name) => !roots.includes(name))) {
    problem('has no depend_on but is not listed in "root": add depend_on or list it as a root', name, 'depend_on', ['images', name]);
  }
}

function checkParents(images: ImageSpec[], problem: Report): void {
  const byName = new Map(images.map((image) => [image.name, image]));
  for (const image of images.filter((image) => image.dependOn && !byName.has(image.dependOn))) {
    problem(`names "${image.dependOn}", which is not an image in "images"`, image.name, 'depend_on', ['images', image.name, 'depend_on']);
  }
  const reported = new Set<string>();
  for (const start of images) {
    const path: string[] = [];
    for (let current: ImageSpec | undefined = start; current; current = current.dependOn ? byName.get(current.dependOn) : undefined) {
      const seenAt = path.indexOf(current.name);
      if (seenAt >= 0) {
        const cycle = [...path.slice(seenAt), current.name];
        const key = [...cycle.slice(0, -1)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          problem(`is part of a cycle: ${cycle.join(' -> ')}`, current.name, 'depend_on', ['images', current.name, 'depend_on']);
        }
        break;
      }
      path.push(current.name);
    }
  }
}
