/** Shared inputs of the lint rules' tests: a fake file system holding a consistent two-image stack. */
import { LineCounter, parseDocument } from 'yaml';
import type { FileView } from '../stack/files';
import type { ImageSpec, StackSpec } from '../stack/model';
import type { ParsedStack } from '../stack/parse';
import { lineFinder, mergeFinder } from '../stack/yaml-lines';
import { formatLintProblem, lintImage, type LintResult } from './lint-image';
import type { PythonCompiler } from './test-files';

export const lines = (...text: string[]) => text.join('\n') + '\n';

/** A file system made of the given files; their folders exist implicitly. */
function fakeFiles(files: Record<string, string>): FileView {
  const directories = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let length = 1; length < parts.length; length += 1) {
      directories.add(parts.slice(0, length).join('/'));
    }
  }
  return {
    kind: (path) => (path in files ? 'file' : directories.has(path) ? 'directory' : undefined),
    list: (path) => {
      const names = new Set<string>();
      for (const candidate of [...Object.keys(files), ...directories]) {
        if (candidate.startsWith(`${path}/`)) {
          names.add(candidate.slice(path.length + 1).split('/')[0]);
        }
      }
      return [...names];
    },
    read: (path) => files[path],
    readBytes: (path) => (path in files ? Buffer.from(files[path]) : undefined),
    isLink: () => false,
  };
}

const image = (name: string, settings: Partial<ImageSpec> = {}): ImageSpec => ({
  name,
  imageName: `ghcr.io/org/${name}`,
  buildArgs: {},
  infoCmds: [],
  integrationTests: false,
  prune: false,
  prepull: true,
  platforms: [],
  ...settings,
});

/** `base` (a root with one build arg) and `child` (built on base). */
export function stack(base: Partial<ImageSpec> = {}, child: Partial<ImageSpec> = {}): StackSpec {
  return {
    stackDir: 'images',
    images: [image('base', { buildArgs: { UPSTREAM_TAG: '2024-03-14' }, ...base }), image('child', { dependOn: 'base', ...child })],
    tagPrefix: '2026.3',
    infoCommands: {},
    changeIgnore: [],
    buildAll: [],
  };
}

export const SPEC_YML = lines(
  'root: base',
  'images:',
  '  base:',
  '    image_name: ghcr.io/org/base',
  '    build_args:',
  '      UPSTREAM_TAG: "2024-03-14"',
  '      UNUSED: x',
  '  child:',
  '    image_name: ghcr.io/org/child',
  '    depend_on: base',
  '    build_args:',
  '      BASE_TAG: latest',
  'tag:',
  '  prefix: "2026.3"',
);

export const BASE_DOCKERFILE = lines('ARG UPSTREAM_TAG', 'FROM quay.io/jupyter/base-notebook:${UPSTREAM_TAG}', 'COPY scripts/ /opt/scripts/');
export const CHILD_DOCKERFILE = lines('ARG BASE_TAG=latest', 'FROM ghcr.io/org/base:${BASE_TAG}', 'ARG TOOL_VERSION=1.0', 'COPY conf/app.conf /etc/app.conf');

/** A consistent stack; `files` override or add files (an `undefined` value removes one). */
export function workspace(files: Record<string, string | undefined> = {}): FileView {
  const all: Record<string, string | undefined> = {
    'images/spec.yml': SPEC_YML,
    'images/base/Dockerfile': BASE_DOCKERFILE,
    'images/base/scripts/run.sh': 'echo run\n',
    'images/base/test/test_base.py': 'def test_ok():\n    assert True\n',
    'images/child/Dockerfile': CHILD_DOCKERFILE,
    'images/child/conf/app.conf': 'x=1\n',
    ...files,
  };
  return fakeFiles(Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined)));
}

const compilesEverything: PythonCompiler = () => [];

/** The stack as the loader gives it to lint: the model, with the Dockerfiles and spec.yml lines read from `files`. */
function loaded(spec: StackSpec, files: FileView): ParsedStack {
  const dockerfiles: Record<string, string> = {};
  for (const { name } of spec.images) {
    const text = files.read(`${spec.stackDir}/${name}/Dockerfile`);
    if (text !== undefined) {
      dockerfiles[name] = text;
    }
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(files.read(`${spec.stackDir}/spec.yml`) ?? '', { lineCounter, merge: true });
  return { spec, warnings: [], dockerfiles, specLine: lineFinder(document, lineCounter), specMerged: mergeFinder(document) };
}

export function lint(name: string, files: FileView = workspace(), spec: StackSpec = stack(), compile: PythonCompiler = compilesEverything, strictBuildArgs = false): LintResult {
  return lintImage(loaded(spec, files), name, files, compile, strictBuildArgs);
}

/** The error `action` throws. */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

export const messages = (result: LintResult) => result.problems.map(formatLintProblem);
