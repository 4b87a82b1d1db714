/** Shared inputs of the stack parser's tests. */
import { StackSpecError } from './errors';
import type { StackFolder, StackSources } from './model';
import { parseStack } from './parse';

export const SPEC_FILE = 'images/spec.yml';

/** A child's Dockerfile that builds on its parent the way the tooling expects. */
export const childDockerfile = (parentImageName: string) => `ARG BASE_TAG\nFROM ${parentImageName}:\${BASE_TAG}\nRUN echo child\n`;
const ROOT_DOCKERFILE = 'FROM quay.io/jupyter/datascience-notebook:2025-10-20\n';

export const VALID_SPEC = `root: base
images:
  base:
    image_name: ghcr.io/org/base
    build_args:
      PYTHON_VERSION: python-3.11.8
      PY_VER_SHORT: 3.11
      WORKERS: 4
      DEBUG: true
    info_cmds: [PY_VER, PIP_LIST]
  child:
    image_name: ghcr.io/org/child
    depend_on: base
    integration_tests: true
    prune: true
    info_cmds: [PY_VER]
  grandchild:
    image_name: ghcr.io/org/grandchild
    depend_on: child
    prepull: false
tag:
  prefix: "2026.3"
all_info_cmds:
  PY_VER:
    description: Python Version
    command: python --version
  PIP_LIST:
    command: pip list
`;

export const VALID_FOLDERS: [string, StackFolder][] = [
  ['base', { dockerfile: ROOT_DOCKERFILE }],
  ['child', { dockerfile: childDockerfile('ghcr.io/org/base') }],
  ['grandchild', { dockerfile: childDockerfile('ghcr.io/org/child') }],
  ['tests_common', {}],
];

export function sources(specText: string, folders: [string, StackFolder][] = VALID_FOLDERS, changeIgnoreText?: string): StackSources {
  return { stackDir: 'images', specText, changeIgnoreText, folders: new Map(folders) };
}

/** A minimal valid spec: one root `base`, with the given extra lines under `images:` and the given `tag:` block. */
export function specWith({ images = '', tag = '  prefix: "2026.3"', extra = '' }: { images?: string; tag?: string; extra?: string }): string {
  return `images:\n  base:\n    image_name: ghcr.io/org/base\n${images}tag:\n${tag}\n${extra}`;
}

/** Folders with a Dockerfile for each name (`base` is a root; others build on ghcr.io/org/base). */
export const foldersFor = (...names: string[]): [string, StackFolder][] =>
  names.map((name) => [name, { dockerfile: name === 'base' ? ROOT_DOCKERFILE : childDockerfile('ghcr.io/org/base') }]);

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) {
    throw new Error(`"${needle}" is not in the text`);
  }
  return index + 1;
}

export function specError(input: StackSources): StackSpecError {
  try {
    parseStack(input);
  } catch (error) {
    expect(error).toBeInstanceOf(StackSpecError);
    return error as StackSpecError;
  }
  throw new Error('expected parseStack to throw a StackSpecError');
}
