/** The fault suites' verdict on a re-run, checked on nx output written here: it must fail when the re-run is wrong. */
import { expectOnlyFailuresRanAgain, failedTasks } from './fault-stack';
import type { NxResult } from './workspace';

const run = (lines: string[]): NxResult => {
  const output = lines.join('\n');
  return { status: 0, stdout: output, stderr: '', output };
};

// As nx 23 prints it: the lists unindented, one task per line.
const failed = run(['> nx run a:build', '> nx run a:test', '> nx run b:build', '', 'Tasks not run because their dependencies failed or --nx-bail=true:', '', '- b:test', '- b:push', '', 'Failed tasks:', '', '- b:build', '']);

describe('expectOnlyFailuresRanAgain', () => {
  it('accepts a re-run that runs the failure again and restores the rest from the cache', () => {
    expect(() => expectOnlyFailuresRanAgain(failed, run(['> nx run a:build  [local cache]', '> nx run a:test  [local cache]', '> nx run b:build', '> nx run b:test', '> nx run b:push']))).not.toThrow();
  });

  it('counts every task of both lists, not only the first of each', () => {
    expect(failedTasks(failed)).toEqual(['b:test', 'b:push', 'b:build']);
  });

  it('refuses a re-run that runs work again which had succeeded', () => {
    expect(() => expectOnlyFailuresRanAgain(failed, run(['> nx run a:build', '> nx run a:test  [local cache]', '> nx run b:build']))).toThrow();
  });

  it('refuses a re-run that takes the failure from the cache', () => {
    expect(() => expectOnlyFailuresRanAgain(failed, run(['> nx run a:build  [local cache]', '> nx run a:test  [local cache]', '> nx run b:build  [local cache]']))).toThrow();
  });
});
