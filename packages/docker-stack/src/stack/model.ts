/** The typed model of a stack: `spec.yml` plus `change_ignore.json`. Every other module reads this, never the YAML. */

export interface InfoCommand {
  description: string;
  command: string;
}

export interface ImageSpec {
  /** The folder name under the stack directory, and the Nx project name. */
  name: string;
  /** Repository the image is tagged and pushed as, e.g. `ghcr.io/ucsd-ets/datascience-notebook`. */
  imageName: string;
  /** The parent image's name; absent for a root. */
  dependOn?: string;
  buildArgs: Record<string, string>;
  /** Keys into `StackSpec.infoCommands`. */
  infoCmds: string[];
  integrationTests: boolean;
  prune: boolean;
  /** Pull the previous image of the same tag (or `<prefix>-stable`) as build cache. */
  prepull: boolean;
  /** Platforms to build (`linux/arm64`), from the image, its parent or the stack; [] = the engine's own only. */
  platforms: string[];
}

export interface StackSpec {
  /** The stack folder, relative to the workspace root (e.g. `images`). */
  stackDir: string;
  /** In spec order. */
  images: ImageSpec[];
  tagPrefix: string;
  infoCommands: Record<string, InfoCommand>;
  /** Names directly under the stack folder whose changes never cause a rebuild. */
  changeIgnore: string[];
  /** Names directly under the stack folder whose changes rebuild every image. */
  buildAll: string[];
}

/** What is on disk for one folder directly under the stack folder. */
export interface StackFolder {
  /** The Dockerfile's text, when the folder has one. */
  dockerfile?: string;
  /** `Dockerfile` is a folder, not a file. */
  dockerfileIsFolder?: boolean;
  /** The folder is a symbolic link. */
  link?: boolean;
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
  /** The workspace's `.gitignore` and the stack folder's own: Nx hides what they ignore, as it does `.nxignore`. */
  gitignores?: { file: string; text: string }[];
}

export const SPEC_FILE = 'spec.yml';
export const CHANGE_IGNORE_FILE = 'change_ignore.json';
/** Folders of an image that hold tests, not image content: changing them re-runs tests but keeps the image. */
export const IMAGE_TEST_FOLDERS = ['test', 'integration_tests', 'manual_tests', 'workflow_tests'];
export const DEFAULT_BUILD_ALL = ['tests_common', SPEC_FILE, CHANGE_IGNORE_FILE, 'conftest.py'];

export function findImage(spec: StackSpec, name: string): ImageSpec {
  const image = spec.images.find((candidate) => candidate.name === name);
  if (!image) {
    throw new Error(`${spec.stackDir}/${SPEC_FILE}: no image named "${name}"`);
  }
  return image;
}

export function childrenOf(spec: StackSpec, name: string): ImageSpec[] {
  return spec.images.filter((image) => image.dependOn === name);
}
