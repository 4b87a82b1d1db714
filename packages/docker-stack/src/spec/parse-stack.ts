import { isScalar, LineCounter, parseDocument } from 'yaml';
import { isValidNameComponent, isValidRepository } from './docker-reference';
import { parseDockerfile, takesBaseFrom } from './dockerfile';
import { CHANGE_IGNORE_FILE, DEFAULT_BUILD_ALL, SPEC_FILE, type ImageSpec, type InfoCommand, type StackSpec } from './spec';
import { StackSpecError, type SpecProblem } from './spec-error';
import { lineFinder } from './yaml-lines';

/** What is on disk for one folder directly under the stack folder. */
export interface StackFolder {
  /** The Dockerfile's text, when the folder has one. */
  dockerfile?: string;
}

export interface StackSources {
  stackDir: string;
  specText: string;
  /** Absent when the stack has no `change_ignore.json`. */
  changeIgnoreText?: string;
  /** Every folder directly under the stack folder, by name. */
  folders: Map<string, StackFolder>;
  /** The workspace's `.nxignore`, which must list the ChangeIgnore entries for Nx to ignore them. */
  nxignoreText?: string;
}

export interface ParsedStack {
  spec: StackSpec;
  warnings: string[];
}

const IMAGE_KEYS = ['image_name', 'depend_on', 'build_args', 'info_cmds', 'integration_tests', 'prune', 'prepull'];
const TOP_KEYS = ['root', 'images', 'tag', 'all_info_cmds'];
const TAG_PREFIX = /^[0-9]{4}\.[0-9]+$/;

type Plain = Record<string, unknown>;
const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses and checks a stack; throws a `StackSpecError` listing every problem, or returns the model. */
export function parseStack(sources: StackSources): ParsedStack {
  const specFile = `${sources.stackDir}/${SPEC_FILE}`;
  const problems: SpecProblem[] = [];
  const lineCounter = new LineCounter();
  const document = parseDocument(sources.specText, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new StackSpecError(
      document.errors.map((error) => ({
        file: specFile,
        line: lineCounter.linePos(error.pos[0]).line,
        message: `YAML syntax error: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const lineOf = lineFinder(document, lineCounter);
  const problem = (message: string, image?: string, key?: string, path?: (string | number)[]) =>
    problems.push({ file: specFile, image, key, message, line: path ? lineOf(path) : undefined });

  const raw = document.toJS() as unknown;
  if (!isPlainObject(raw)) {
    throw new StackSpecError([{ file: specFile, message: 'must be a YAML mapping with "images", "tag" and "all_info_cmds"' }]);
  }
  for (const key of Object.keys(raw).filter((key) => !TOP_KEYS.includes(key))) {
    problem(`unknown top-level key (expected one of ${TOP_KEYS.join(', ')})`, undefined, key, [key]);
  }

  const infoCommands = readInfoCommands(raw.all_info_cmds, problem);
  const tagPrefix = readTagPrefix(raw.tag, problem);
  const sourceText: SourceText = (path) => {
    const node = document.getIn(path, true);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  };
  const images = readImages(raw.images, infoCommands, problem, sourceText);
  const roots = readRoots(raw.root, images, problem);
  checkParents(images, problem);
  checkFolders(sources, images, specFile, problems);
  const { changeIgnore, buildAll } = readChangeIgnore(sources, problems);

  if (problems.length > 0) {
    throw new StackSpecError(problems);
  }
  const spec: StackSpec = {
    stackDir: sources.stackDir,
    roots,
    images,
    tagPrefix,
    infoCommands,
    changeIgnore,
    buildAll,
  };
  return { spec, warnings: [...baseTagWarnings(sources, spec), ...nxignoreWarnings(sources, spec)] };
}

/** Nx drops files listed in `.nxignore` before deciding what a change affects: that is how ChangeIgnore works. */
function nxignoreWarnings(sources: StackSources, spec: StackSpec): string[] {
  const listed = new Set((sources.nxignoreText ?? '').split(/\r?\n/).map((line) => line.trim().replace(/^\/|\/$/g, '')));
  return spec.changeIgnore
    .filter((entry) => !listed.has(`${spec.stackDir}/${entry}`))
    .map((entry) => `.nxignore: add "${spec.stackDir}/${entry}" (a ChangeIgnore entry of ${spec.stackDir}/${CHANGE_IGNORE_FILE}), or changes to it will still count as changes`);
}

type Report = (message: string, image?: string, key?: string, path?: (string | number)[]) => void;
type SourceText = (path: (string | number)[]) => string | undefined;

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
  if (!TAG_PREFIX.test(prefix)) {
    problem(`"${prefix}" is malformed: expected year.quarter such as "2026.3"`, undefined, 'tag.prefix', ['tag', 'prefix']);
  }
  return prefix;
}

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

function readImages(value: unknown, infoCommands: Record<string, InfoCommand>, problem: Report, sourceText: SourceText): ImageSpec[] {
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
    const imageName = entry.image_name;
    if (typeof imageName !== 'string' || !isValidRepository(imageName)) {
      problem(
        `${imageName === undefined ? 'is missing' : `"${String(imageName)}" is not a valid Docker repository name`}` +
          ' (lowercase, e.g. ghcr.io/org/name, no tag)',
        name,
        'image_name',
        imageName === undefined ? ['images', name] : at('image_name'),
      );
    } else if (seenImageNames.has(imageName)) {
      problem(`"${imageName}" is also the image_name of "${seenImageNames.get(imageName)}"`, name, 'image_name', at('image_name'));
    } else {
      seenImageNames.set(imageName, name);
    }
    const dependOn = entry.depend_on;
    if (dependOn !== undefined && dependOn !== null && typeof dependOn !== 'string') {
      problem('must be the name of one image', name, 'depend_on', at('depend_on'));
    }
    images.push({
      name,
      imageName: typeof imageName === 'string' ? imageName : '',
      dependOn: typeof dependOn === 'string' ? dependOn : undefined,
      buildArgs: readBuildArgs(entry.build_args, name, problem, sourceText),
      infoCmds: readInfoCmds(entry.info_cmds, infoCommands, name, problem),
      integrationTests: readBoolean(entry, 'integration_tests', false, name, problem),
      prune: readBoolean(entry, 'prune', false, name, problem),
      prepull: readBoolean(entry, 'prepull', true, name, problem),
    });
  }
  return images;
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
    if (!['string', 'number', 'boolean'].includes(typeof argValue)) {
      problem('must be a string, number or boolean (a build arg is one value)', name, `build_args.${arg}`, ['images', name, 'build_args', arg]);
      continue;
    }
    if (arg === 'BASE_TAG') {
      problem('is set by the tooling to the parent image\'s tag; remove it from build_args', name, 'build_args.BASE_TAG', ['images', name, 'build_args', arg]);
      continue;
    }
    // Keep numbers as written: YAML reads 3.10 as 3.1.
    args[arg] = typeof argValue === 'number' ? (sourceText(['images', name, 'build_args', arg]) ?? String(argValue)) : String(argValue);
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

function readRoots(value: unknown, images: ImageSpec[], problem: Report): string[] {
  const parentless = images.filter((image) => !image.dependOn).map((image) => image.name);
  if (value === undefined || value === null) {
    return parentless;
  }
  const roots = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!roots || roots.some((root) => typeof root !== 'string')) {
    problem('must be an image name or a list of image names', undefined, 'root', ['root']);
    return parentless;
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
  return roots as string[];
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

function checkFolders(sources: StackSources, images: ImageSpec[], specFile: string, problems: SpecProblem[]): void {
  for (const image of images) {
    const folder = sources.folders.get(image.name);
    if (!folder) {
      problems.push({ file: specFile, image: image.name, message: `has no folder ${sources.stackDir}/${image.name}/` });
    } else if (folder.dockerfile === undefined) {
      problems.push({ file: `${sources.stackDir}/${image.name}/Dockerfile`, image: image.name, message: 'is missing: every image folder needs a Dockerfile' });
    }
  }
  const named = new Set(images.map((image) => image.name));
  for (const [name, folder] of sources.folders) {
    if (folder.dockerfile !== undefined && !named.has(name)) {
      problems.push({
        file: `${sources.stackDir}/${name}/Dockerfile`,
        image: name,
        message: `has a Dockerfile but no entry under "images" in ${specFile}: add one (with image_name) or remove the folder`,
      });
    }
  }
}

function readChangeIgnore(sources: StackSources, problems: SpecProblem[]): { changeIgnore: string[]; buildAll: string[] } {
  const file = `${sources.stackDir}/${CHANGE_IGNORE_FILE}`;
  if (sources.changeIgnoreText === undefined) {
    return { changeIgnore: [], buildAll: DEFAULT_BUILD_ALL };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(sources.changeIgnoreText);
  } catch (error) {
    problems.push({ file, message: `is not valid JSON: ${(error as Error).message}` });
    return { changeIgnore: [], buildAll: DEFAULT_BUILD_ALL };
  }
  if (!isPlainObject(raw)) {
    problems.push({ file, message: 'must be a JSON object with "ChangeIgnore" and "BuildAll" lists' });
    return { changeIgnore: [], buildAll: DEFAULT_BUILD_ALL };
  }
  for (const key of Object.keys(raw).filter((key) => !['ChangeIgnore', 'BuildAll'].includes(key))) {
    problems.push({ file, key, message: 'is not a known key (expected ChangeIgnore and BuildAll)' });
  }
  const list = (key: 'ChangeIgnore' | 'BuildAll', fallback: string[]): string[] => {
    const value = raw[key];
    if (value === undefined) {
      return fallback;
    }
    if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string' || entry === '' || /[\\/]/.test(entry))) {
      problems.push({ file, key, message: `must be a list of names directly under ${sources.stackDir}/ (no slashes)` });
      return fallback;
    }
    return value as string[];
  };
  const changeIgnore = list('ChangeIgnore', []);
  const buildAll = list('BuildAll', DEFAULT_BUILD_ALL);
  // An ignored image folder or shared file would vanish from Nx's hashing too: refuse it.
  for (const entry of changeIgnore.filter((entry) => sources.folders.get(entry)?.dockerfile !== undefined || buildAll.includes(entry) || entry === SPEC_FILE)) {
    problems.push({ file, key: 'ChangeIgnore', message: `"${entry}" is an image folder, spec.yml or a BuildAll entry; it cannot be ignored` });
  }
  return { changeIgnore, buildAll };
}

function baseTagWarnings(sources: StackSources, spec: StackSpec): string[] {
  const byName = new Map(spec.images.map((image) => [image.name, image]));
  return spec.images.flatMap((image) => {
    const parent = image.dependOn ? byName.get(image.dependOn) : undefined;
    const text = sources.folders.get(image.name)?.dockerfile;
    if (!parent || text === undefined || takesBaseFrom(parseDockerfile(text), parent.imageName)) {
      return [];
    }
    return [
      `${sources.stackDir}/${image.name}/Dockerfile: image "${image.name}" should start with ` +
        `"ARG BASE_TAG" and "FROM ${parent.imageName}:\${BASE_TAG}" so it is built on the parent it was just built with`,
    ];
  });
}
