/** One thing wrong with a stack definition, located precisely enough to fix it without searching. */
export interface SpecProblem {
  file: string;
  image?: string;
  key?: string;
  line?: number;
  message: string;
}

export function formatProblem(problem: SpecProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  const image = problem.image ? ` image "${problem.image}"` : '';
  const key = problem.key ? ` key "${problem.key}"` : '';
  return `${where}:${image}${key} ${problem.message}`.replace(/: +/, ': ');
}

/**
 * Thrown when a stack definition cannot be used; lists every problem found, not only the first. A spec error leaves
 * only the `stack` project, whose every target prints the problems and fails (see plugins/invalid-stack.ts); what
 * concerns one image of a stack that loads is a lint finding instead (see `src/lint/lint-image.ts`).
 */
export class StackSpecError extends Error {
  constructor(readonly problems: SpecProblem[]) {
    super(
      `Invalid stack definition (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${formatProblem(problem)}`).join('\n'),
    );
    this.name = 'StackSpecError';
  }
}
