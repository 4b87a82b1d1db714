import type { DockerfileSummary, Instruction } from '../stack/dockerfile';
import type { FileView } from '../stack/files';
import type { ImageSpec, StackSpec } from '../stack/model';
import type { LineFinder, MergeFinder } from '../stack/yaml-lines';

/** One finding of a lint rule about one image. */
export interface LintProblem {
  /** Workspace-relative. */
  file: string;
  line?: number;
  image: string;
  message: string;
  /** A warning is printed but does not fail `nx lint`. */
  warning?: boolean;
}

/** What every rule reads about the image being linted, and where it reports. */
export interface LintContext {
  spec: StackSpec;
  image: ImageSpec;
  parent?: ImageSpec;
  files: FileView;
  /** `<stackDir>/<image>`, the build context. */
  folder: string;
  dockerfilePath: string;
  specFile: string;
  dockerfile: DockerfileSummary;
  specLine: LineFinder;
  specMerged: MergeFinder;
  /** A build_args entry the Dockerfile does not declare is an error, not a warning. */
  strictBuildArgs: boolean;
  problems: LintProblem[];
  checks: number;
}

export function report(context: LintContext, file: string, line: number | undefined, message: string, warning = false): void {
  context.problems.push({ file, line, image: context.image.name, message, ...(warning ? { warning } : {}) });
}

export function instructionsOf(summary: DockerfileSummary, keyword: string): Instruction[] {
  return summary.instructions.filter((instruction) => instruction.keyword === keyword);
}

export const BASE_TAG = 'BASE_TAG';
