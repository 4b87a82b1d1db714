import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { minimatch } from 'minimatch';
import { filesUnder } from '../util/files-under';
import { externalBases, parseDockerfile } from '../stack/dockerfile';
import { contentTag } from '../registry/tags';
import { findImage, IMAGE_TEST_FOLDERS, type StackSpec } from '../stack/model';
import type { RebuildInputs } from './rebuild-inputs';

/**
 * The build-format version: raise it whenever what a build produces changes for the same inputs (labels, build
 * args, builder settings). It is part of every image's identity and of its Nx build hash (the plugin passes it
 * as the build target's `buildFormat` option), so raising it rebuilds every image, on purpose.
 */
export const BUILD_FORMAT_VERSION = 1;

/** Files under `dir`, relative to it, sorted; [] when it does not exist. */
const filesIn = (dir: string): string[] => (existsSync(dir) ? filesUnder(dir) : []);

/** `./a/b/` -> `a/b`; `.` stays `.`. */
const normalise = (source: string) => source.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';

/** Whether a COPY/ADD source (a path or a glob, relative to the build context) brings `file` into the image. */
function copies(source: string, file: string): boolean {
  const path = normalise(source);
  return path === '.' || file === path || file.startsWith(`${path}/`) || minimatch(file, path) || minimatch(file, `${path}/**`);
}

/**
 * What of an image folder is not a build input, relative to the folder: its test folders, except the files that
 * the Dockerfile copies into the image (the DataHub images COPY manual_tests/ and workflow_tests/ files in).
 * A test folder nothing is copied from is listed as the folder; otherwise its uncopied files are listed.
 */
export function excludedTestPaths(imageDir: string, dockerfileText: string): string[] {
  const sources = parseDockerfile(dockerfileText).copySources.map((copy) => copy.source);
  return IMAGE_TEST_FOLDERS.flatMap((folder) => {
    const files = filesIn(join(imageDir, folder)).map((file) => `${folder}/${file}`);
    const notCopied = files.filter((file) => !sources.some((source) => copies(source, file)));
    return notCopied.length === files.length ? (files.length ? [folder] : []) : notCopied;
  });
}

/** The image's build inputs inside its folder: every file but the excluded test paths, relative to the folder. */
export function imageInputFiles(imageDir: string, dockerfileText: string): string[] {
  const excluded = excludedTestPaths(imageDir, dockerfileText);
  return filesIn(imageDir).filter((file) => !excluded.some((path) => file === path || file.startsWith(`${path}/`)));
}

/** The stack's BuildAll entries as workspace-relative files (a folder's files, or the file itself). */
export function buildAllFiles(workspaceRoot: string, spec: StackSpec): string[] {
  return spec.buildAll.flatMap((entry) => {
    const path = `${spec.stackDir}/${entry}`;
    const full = join(workspaceRoot, path);
    if (!existsSync(full)) {
      return [];
    }
    return statSync(full).isDirectory() ? filesIn(full).map((file) => `${path}/${file}`) : [path];
  });
}

/**
 * An image's identity: a digest of exactly its build inputs, namely the build-format version, the stack's rebuild
 * generation, the digests of its external bases, its folder minus its test folders (but with the test files its
 * Dockerfile copies), the BuildAll files, its parent's identity and its platforms. A multi-platform image has one
 * identity for all its platforms: the index's content tag; each platform's image is tagged with it plus the platform.
 * Unlike Nx's task hash it covers nothing else: Nx always adds nx.json, .gitignore and .nxignore to every hash
 * (nrwl/nx#28047), so a build task may run again for the same identity, and then reuses the image.
 */
export function imageIdentity(
  workspaceRoot: string,
  spec: StackSpec,
  image: string,
  parentIdentity: string | undefined,
  rebuild: RebuildInputs,
): string {
  const imageDir = join(workspaceRoot, spec.stackDir, image);
  const dockerfile = readFileSync(join(imageDir, 'Dockerfile'), 'utf8');
  const repositories = spec.images.map((entry) => entry.imageName);
  const bases = externalBases(parseDockerfile(dockerfile), findImage(spec, image).buildArgs, repositories);
  const files = [
    ...imageInputFiles(imageDir, dockerfile).map((file) => `${spec.stackDir}/${image}/${file}`),
    ...buildAllFiles(workspaceRoot, spec),
  ];
  const hash = createHash('sha256').update(`build-format ${BUILD_FORMAT_VERSION}\ngeneration ${rebuild.generation}\nparent ${parentIdentity ?? '-'}\n`);
  // Only when set: a stack without `platforms` keeps the identities (and tags) it had before they existed.
  const { platforms } = findImage(spec, image);
  if (platforms.length > 0) {
    hash.update(`platforms ${platforms.join(' ')}\n`);
  }
  bases.forEach((base) => hash.update(`base ${base} ${rebuild.bases[base] ?? 'tag'}\n`));
  for (const file of files) {
    hash.update(`${file}\n`).update(createHash('sha256').update(readFileSync(join(workspaceRoot, file))).digest('hex'));
  }
  return hash.digest('hex').slice(0, 40);
}

/**
 * Every image's content tag as a build of today's files would name it, parents first (a build hashes its parent's
 * content tag): what `tag-unchanged` copies to the branch tag without building anything.
 */
export function stackContentTags(workspaceRoot: string, spec: StackSpec, rebuild: RebuildInputs): Record<string, string> {
  const tags: Record<string, string> = {};
  const tagOf = (image: string): string => {
    if (!tags[image]) {
      const { dependOn } = findImage(spec, image);
      tags[image] = contentTag(imageIdentity(workspaceRoot, spec, image, dependOn ? tagOf(dependOn) : undefined, rebuild));
    }
    return tags[image];
  };
  spec.images.forEach((image) => tagOf(image.name));
  return tags;
}
