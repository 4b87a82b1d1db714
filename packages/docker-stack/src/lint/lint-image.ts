/**
 * The checks behind `nx lint <image>`: is one image's definition (its Dockerfile, build context and test files)
 * consistent with the spec, without building it. Each rule has its own file and is the only owner of what it checks.
 *
 * The line between the two kinds of problem:
 * - Spec errors (`StackSpecError`, from `src/stack/`) are about the stack as a whole: spec.yml, change_ignore.json,
 *   the image folders. They stop the stack: the plugin infers only the `stack` project, whose every target prints
 *   them and fails, and every executor fails. Lint reports them as problems of the linted image and checks nothing
 *   further.
 * - Lint findings (here) are about one image of a stack that loaded. They fail `nx lint <image>` only (a finding
 *   marked `warning` does not); the plugin shows the FROM/BASE_TAG rule as a warning, so a graph with a wrong
 *   Dockerfile still loads.
 */
import { parseDockerfile } from '../stack/dockerfile';
import type { StackSpecError } from '../stack/errors';
import type { FileView } from '../stack/files';
import { SPEC_FILE } from '../stack/model';
import type { ParsedStack } from '../stack/parse';
import { checkBase } from './base-image';
import { checkArgs } from './build-args';
import type { LintContext, LintProblem } from './context';
import { checkCopySources } from './copy-sources';
import { checkPins } from './pin-rule';
import { checkTestFiles, type PythonCompiler } from './test-files';

export interface LintResult {
  problems: LintProblem[];
  /** How many individual things were checked (problems included). */
  checks: number;
}

export function formatLintProblem(problem: LintProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.warning ? 'warning: ' : ''}image "${problem.image}": ${problem.message}`;
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
export function lintImage(stack: ParsedStack, imageName: string, files: FileView, compilePython: PythonCompiler, strictBuildArgs = false): LintResult {
  const { spec } = stack;
  const image = spec.images.find((candidate) => candidate.name === imageName);
  const folder = `${spec.stackDir}/${imageName}`;
  const specFile = `${spec.stackDir}/${SPEC_FILE}`;
  if (!image) {
    return { checks: 1, problems: [{ file: specFile, image: imageName, message: `has no entry under "images" in ${specFile}` }] };
  }
  const context: LintContext = {
    spec,
    image,
    parent: image.dependOn ? spec.images.find((candidate) => candidate.name === image.dependOn) : undefined,
    files,
    folder,
    dockerfilePath: `${folder}/Dockerfile`,
    specFile,
    dockerfile: parseDockerfile(stack.dockerfiles[imageName]),
    specLine: stack.specLine,
    specMerged: stack.specMerged,
    strictBuildArgs,
    problems: [],
    checks: 0,
  };
  checkBase(context);
  checkCopySources(context);
  checkArgs(context);
  checkTestFiles(context, compilePython);
  checkPins(context);
  return { problems: context.problems, checks: context.checks };
}
