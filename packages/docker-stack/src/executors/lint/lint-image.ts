/**
 * The checks behind `nx lint <image>`: is the image's definition (spec.yml entry, Dockerfile, build context, test
 * files) consistent, without building it. Pure functions over a small file-system view and a Python compiler, so
 * every rule can be tested with fakes; `nodeFileView` and `pythonCompiler` are the real ones.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { argDeclarations, parseDockerfile, takesBaseFrom, type DockerfileSummary, type Instruction } from '../../spec/dockerfile';
import { lineFinder, type LineFinder } from '../../spec/yaml-lines';
import { IMAGE_TEST_FOLDERS, SPEC_FILE, type ImageSpec, type StackSpec } from '../../spec/spec';
import type { StackSpecError } from '../../spec/spec-error';

/** Read-only view of the workspace; paths are workspace-relative with `/` separators. */
export interface FileView {
  /** What is at `path`, or `undefined` when nothing is. */
  kind(path: string): 'file' | 'directory' | undefined;
  /** Names directly inside a directory (`[]` when it is not one). */
  list(path: string): string[];
  /** A file's text, or `undefined` when it is not a readable file. */
  read(path: string): string | undefined;
}

export interface PythonSyntaxError {
  /** As passed to the compiler (workspace-relative). */
  file: string;
  line?: number;
  message: string;
}

/** Compiles Python files without running or writing them; returns one entry per file that does not compile. Throws when it cannot run. */
export type PythonCompiler = (files: string[]) => PythonSyntaxError[];

export interface LintProblem {
  /** Workspace-relative. */
  file: string;
  line?: number;
  image: string;
  message: string;
}

export interface LintResult {
  problems: LintProblem[];
  /** How many individual things were checked (problems included). */
  checks: number;
}

/** Folders of an image that hold Python run by pytest or by hand, never copied into the image. */

/** ARGs BuildKit provides itself: declaring them without a default is normal. */
const PREDEFINED_ARGS = new Set([
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDKIT_INLINE_CACHE', 'BUILDKIT_MULTI_PLATFORM', 'BUILDKIT_SANDBOX_HOSTNAME', 'BUILDKIT_SYNTAX', 'BUILDKIT_CONTEXT_KEEP_GIT_DIR',
  'SOURCE_DATE_EPOCH',
]);

const BASE_TAG = 'BASE_TAG';
const USES_BASE_TAG = /\$\{?BASE_TAG\b/;

export function formatLintProblem(problem: LintProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: image "${problem.image}": ${problem.message}`;
}

/** A spec that does not load, as lint problems of the image being linted (the spec's own problems keep their image). */
export function specErrorProblems(error: StackSpecError, image: string): LintProblem[] {
  return error.problems.map((problem) => ({
    file: problem.file,
    line: problem.line,
    image: problem.image ?? image,
    message: problem.key ? `key "${problem.key}" ${problem.message}` : problem.message,
  }));
}

/** Checks one image of a loaded stack. `spec.stackDir` is where the image folders are, relative to the view's root. */
export function lintImage(spec: StackSpec, imageName: string, files: FileView, compilePython: PythonCompiler): LintResult {
  const image = spec.images.find((candidate) => candidate.name === imageName);
  const folder = `${spec.stackDir}/${imageName}`;
  const specFile = `${spec.stackDir}/${SPEC_FILE}`;
  if (!image) {
    return { checks: 1, problems: [{ file: specFile, image: imageName, message: `has no entry under "images" in ${specFile}` }] };
  }
  const dockerfilePath = `${folder}/Dockerfile`;
  const text = files.read(dockerfilePath);
  if (text === undefined) {
    return { checks: 1, problems: [{ file: dockerfilePath, image: imageName, message: 'is missing: every image folder needs a Dockerfile' }] };
  }
  const context: LintContext = {
    spec,
    image,
    parent: image.dependOn ? spec.images.find((candidate) => candidate.name === image.dependOn) : undefined,
    files,
    folder,
    dockerfilePath,
    specFile,
    dockerfile: parseDockerfile(text),
    specLine: specLineFinder(files.read(specFile)),
    problems: [],
    checks: 0,
  };
  checkBase(context);
  checkCopySources(context);
  checkArgs(context);
  checkTestFiles(context, compilePython);
  return { problems: context.problems, checks: context.checks };
}

interface LintContext {
  spec: StackSpec;
  image: ImageSpec;
  parent?: ImageSpec;
  files: FileView;
  /** `<stackDir>/<image>`, the build context. */
  folder: string;
  dockerfilePath: string;
  specFile: string;
  dockerfile: DockerfileSummary;
  specLine: (path: (string | number)[]) => number | undefined;
  problems: LintProblem[];
  checks: number;
}

function report(context: LintContext, file: string, line: number | undefined, message: string): void {
  context.problems.push({ file, line, image: context.image.name, message });
}

/** Line of a key in spec.yml, for pointing at a build arg. */
function specLineFinder(specText: string | undefined): LineFinder {
  if (specText === undefined) {
    return () => undefined;
  }
  const lineCounter = new LineCounter();
  return lineFinder(parseDocument(specText, { lineCounter }), lineCounter);
}

function instructionsOf(summary: DockerfileSummary, keyword: string): Instruction[] {
  return summary.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** Rule 2: a child is built FROM its parent's image at the tag the build passes as BASE_TAG; a root gets no BASE_TAG. */
function checkBase(context: LintContext): void {
  const { image, parent, dockerfile, dockerfilePath } = context;
  const froms = instructionsOf(dockerfile, 'FROM');
  context.checks += 1;
  if (!image.dependOn) {
    for (const from of froms.filter((instruction) => USES_BASE_TAG.test(instruction.args))) {
      report(
        context,
        dockerfilePath,
        from.line,
        `FROM must not use BASE_TAG: "${image.name}" is a root in ${context.specFile} (no depend_on), so the build passes no BASE_TAG; ` +
          `use a fixed tag or a build_args entry`,
      );
    }
    return;
  }
  const parentName = parent?.imageName ?? image.dependOn;
  const expected = `${parentName}:\${${BASE_TAG}}`;
  if (takesBaseFrom(dockerfile, parentName)) {
    return;
  }
  const first = froms[0];
  if (!first) {
    report(context, dockerfilePath, undefined, `has no FROM: it must start with "ARG ${BASE_TAG}" and "FROM ${expected}" (the parent in ${context.specFile})`);
    return;
  }
  const found = dockerfile.froms[0];
  if (found !== expected && found !== `${parentName}:$${BASE_TAG}`) {
    report(context, dockerfilePath, first.line, `FROM must be ${expected} (the parent in ${context.specFile}), found ${found}`);
    return;
  }
  const declaredLater = instructionsOf(dockerfile, 'ARG').find((arg) => argDeclarations(arg.args).some((declaration) => declaration.name === BASE_TAG));
  report(
    context,
    dockerfilePath,
    first.line,
    `FROM ${found} needs "ARG ${BASE_TAG}" before it` +
      (declaredLater ? ` (line ${declaredLater.line} declares it after FROM, where FROM cannot see it)` : '') +
      ': the build passes the parent\'s tag as BASE_TAG',
  );
}

/** `${NAME}` / `$NAME` replaced by known values; `undefined` when one is unknown or uses a modifier such as `${NAME:-x}`. */
function substitute(text: string, values: Map<string, string>): string | undefined {
  let unresolved = false;
  const result = text.replace(/\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as string;
    const value = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? values.get(name) : undefined;
    unresolved ||= value === undefined;
    return value ?? whole;
  });
  return unresolved ? undefined : result;
}

/** `*`, `?` and `[...]` of one path segment, as Go's filepath.Match (what `COPY` uses). */
function segmentPattern(segment: string): RegExp {
  let source = '';
  for (let index = 0; index < segment.length; index += 1) {
    const char = segment[index];
    if (char === '*') {
      source += '.*';
    } else if (char === '?') {
      source += '.';
    } else if (char === '[') {
      const end = segment.indexOf(']', index + 2);
      if (end < 0) {
        source += '\\[';
        continue;
      }
      const body = segment.slice(index + 1, end).replace(/^\^/, '!');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      index = end;
    } else if (char === '\\' && index + 1 < segment.length) {
      index += 1;
      source += segment[index].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

const GLOB = /[*?[]/;

/** Whether anything in the view matches a `/`-separated pattern below `base` (glob segments need one match). */
function matchesSomething(files: FileView, base: string, segments: string[]): boolean {
  if (segments.length === 0) {
    return files.kind(base) !== undefined;
  }
  const [segment, ...rest] = segments;
  if (!GLOB.test(segment)) {
    return matchesSomething(files, `${base}/${segment.replace(/\\(.)/g, '$1')}`, rest);
  }
  const pattern = segmentPattern(segment);
  return files
    .list(base)
    .filter((name) => pattern.test(name))
    .some((name) => matchesSomething(files, `${base}/${name}`, rest));
}

/** Rule 3: every COPY/ADD source from the build context is there (a glob must match something). */
function checkCopySources(context: LintContext): void {
  const values = knownArgValues(context);
  for (const { source, line } of context.dockerfile.copySources) {
    if (source.startsWith('<<') || /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^git@/.test(source)) {
      continue; // heredoc or remote source
    }
    const resolved = source.includes('$') ? substitute(source, values) : source;
    if (resolved === undefined) {
      continue; // depends on a value only known at build time
    }
    context.checks += 1;
    const normalized = posix.normalize(`./${resolved.replace(/^\/+/, '')}`);
    if (normalized === '..' || normalized.startsWith('../')) {
      report(context, context.dockerfilePath, line, `COPY/ADD source "${source}" is outside the build context ${context.folder}/`);
      continue;
    }
    const segments = normalized === '.' ? [] : normalized.replace(/\/+$/, '').split('/');
    if (!matchesSomething(context.files, context.folder, segments)) {
      report(
        context,
        context.dockerfilePath,
        line,
        GLOB.test(resolved)
          ? `COPY/ADD source "${source}" matches no file in the build context ${context.folder}/`
          : `COPY/ADD source "${source}" does not exist: no ${context.folder}/${normalized} (sources are relative to the image folder, the build context)`,
      );
    }
  }
}

/** The values the build gives the ARGs: spec build_args over the Dockerfile's defaults (used to resolve COPY sources). */
function knownArgValues(context: LintContext): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of context.dockerfile.args) {
    if (value !== undefined) {
      values.set(name, value);
    }
  }
  for (const [name, value] of Object.entries(context.image.buildArgs)) {
    values.set(name, String(value));
  }
  return values;
}

/** Rule 4: ARGs without a default get a value from spec build_args (BASE_TAG from the build), and every build_arg is an ARG. */
function checkArgs(context: LintContext): void {
  const { image, dockerfile, dockerfilePath, specFile } = context;
  const provided = new Set(Object.keys(image.buildArgs));
  if (image.dependOn) {
    provided.add(BASE_TAG);
  }
  const globalDefaults = new Set<string>();
  const declared = new Set<string>();
  const reported = new Set<string>();
  let inStage = false;
  for (const instruction of dockerfile.instructions) {
    if (instruction.keyword === 'FROM') {
      inStage = true;
      continue;
    }
    if (instruction.keyword !== 'ARG') {
      continue;
    }
    for (const { name, value } of argDeclarations(instruction.args)) {
      context.checks += 1;
      declared.add(name);
      if (value !== undefined) {
        if (!inStage) {
          globalDefaults.add(name);
        }
        continue;
      }
      // Inside a stage, `ARG NAME` without a value takes the default of a global `ARG NAME=...`.
      if ((inStage && globalDefaults.has(name)) || provided.has(name) || PREDEFINED_ARGS.has(name) || reported.has(name)) {
        continue;
      }
      reported.add(name);
      report(
        context,
        dockerfilePath,
        instruction.line,
        name === BASE_TAG
          ? `ARG ${BASE_TAG} has no default and "${image.name}" is a root in ${specFile}, so the build never sets it: give it a default or drop it`
          : `ARG ${name} has no default and ${specFile} gives no build_args.${name} for "${image.name}": add it to build_args or give the ARG a default`,
      );
    }
  }
  for (const name of Object.keys(image.buildArgs)) {
    context.checks += 1;
    const line = context.specLine(['images', image.name, 'build_args', name]);
    if (image.dependOn && name === BASE_TAG) {
      report(context, specFile, line, `build_args.${BASE_TAG} is set by the build to the parent's tag, which overrides this value: remove it`);
    } else if (!declared.has(name)) {
      report(context, specFile, line, `build_args.${name} is not declared in ${dockerfilePath} (no "ARG ${name}"), so docker build ignores it: declare it or remove it`);
    }
  }
}

/** Every file below `path` (workspace-relative), in a stable order. */
function walk(files: FileView, path: string): string[] {
  return files
    .list(path)
    .sort()
    .flatMap((name) => {
      const child = `${path}/${name}`;
      const kind = files.kind(child);
      return kind === 'directory' ? walk(files, child) : kind === 'file' ? [child] : [];
    });
}

/** Rule 5: the Python test files compile and the notebooks are notebooks. */
function checkTestFiles(context: LintContext, compilePython: PythonCompiler): void {
  const all = IMAGE_TEST_FOLDERS.flatMap((folder) => walk(context.files, `${context.folder}/${folder}`));
  const python = all.filter((file) => file.endsWith('.py'));
  context.checks += python.length;
  if (python.length > 0) {
    try {
      for (const error of compilePython(python)) {
        report(context, error.file, error.line, error.message);
      }
    } catch (error) {
      report(context, `${context.folder}/${IMAGE_TEST_FOLDERS[0]}`, undefined, `could not compile the Python test files: ${(error as Error).message}`);
    }
  }
  for (const notebook of all.filter((file) => file.endsWith('.ipynb'))) {
    context.checks += 1;
    const problem = notebookProblem(context.files.read(notebook) ?? '');
    if (problem) {
      report(context, notebook, problem.line, problem.message);
    }
  }
}

function lineAt(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

/** Why a notebook is not a usable notebook, or `undefined` when it is. */
export function notebookProblem(text: string): { line?: number; message: string } | undefined {
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    return { line: position ? lineAt(text, Number(position[1])) : undefined, message: `is not valid JSON (a notebook must be): ${message}` };
  }
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  if (typeof notebook !== 'object' || notebook === null || Array.isArray(notebook) || !Array.isArray(cells)) {
    return { message: 'is not a Jupyter notebook: expected a JSON object with a "cells" list' };
  }
  const code = cells.filter((cell) => (cell as { cell_type?: unknown } | null)?.cell_type === 'code');
  if (code.length === 0) {
    return { message: 'has no code cells' };
  }
  const badIndex = cells.findIndex((cell) => {
    const { cell_type: type, source } = (cell ?? {}) as { cell_type?: unknown; source?: unknown };
    return type === 'code' && !(typeof source === 'string' || (Array.isArray(source) && source.every((part) => typeof part === 'string')));
  });
  if (badIndex >= 0) {
    return { message: `cell ${badIndex + 1} is a code cell without a "source" string or list of strings` };
  }
  return undefined;
}

/** The real file system below `root`. */
export function nodeFileView(root: string): FileView {
  const stat = (path: string) => {
    try {
      return statSync(join(root, path));
    } catch {
      return undefined;
    }
  };
  return {
    kind(path) {
      const stats = stat(path);
      return stats?.isDirectory() ? 'directory' : stats?.isFile() ? 'file' : undefined;
    },
    list(path) {
      try {
        return readdirSync(join(root, path));
      } catch {
        return [];
      }
    },
    read(path) {
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** Compiles every file given (errors for all of them, not only the first), prints one JSON line per failure. */
const COMPILE_SCRIPT = `
import json, sys
version = "Python %d.%d" % sys.version_info[:2]
for f in sys.argv[1:]:
    try:
        with open(f, encoding="utf-8") as handle:
            source = handle.read()
        compile(source, f, "exec", dont_inherit=True)
    except SyntaxError as error:
        column = " col %d" % error.offset if error.offset else ""
        print(json.dumps({"file": f, "line": error.lineno,
                          "message": "%s: %s (%s%s)" % (type(error).__name__, error.msg, version, column)}))
    except (UnicodeDecodeError, ValueError, OSError) as error:
        print(json.dumps({"file": f, "message": "%s: %s" % (type(error).__name__, error)}))
`;

/** Compiles with `python` in `cwd` (file names are relative to it), writing no bytecode. */
export function pythonCompiler(python: string, cwd: string): PythonCompiler {
  return (files) => {
    const result = spawnSync(python, ['-B', '-W', 'ignore', '-c', COMPILE_SCRIPT, ...files], { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (result.error) {
      throw new Error(`cannot run "${python}" (${result.error.message}); set the lint target's "python" option to a Python 3 interpreter`);
    }
    if (result.status !== 0) {
      throw new Error(`"${python}" exited with ${result.status ?? result.signal}: ${result.stderr.trim() || result.stdout.trim()}`);
    }
    return result.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const entry = JSON.parse(line) as { file: string; line?: number | null; message: string };
        return { file: entry.file, line: entry.line ?? undefined, message: entry.message };
      });
  };
}
