import { execFileSync } from 'node:child_process';

/** Output of a git command in `cwd`, or undefined when git fails (not a checkout, no such ref, ...). */
export function git(cwd: string, ...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
