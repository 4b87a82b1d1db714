/** The fault suites' verdict on a re-run, checked on nx output written here: it must fail when the re-run is wrong. */
import { expectOnlyFailuresRanAgain } from './fault-stack';
import type { NxResult } from './workspace';

const run = (lines: string[]): NxResult => {
  const output = lines.join('\n');
  return { status: 0, stdout: output, stderr: '', output };
};

const failed = run(['> nx run a:build', '> nx run a:test', '> nx run b:build', '', ' NX   Ran target test for 2 projects (3 tasks): 1 failed', '', 'Failed tasks:', '', '  - b:build', '']);

describe('expectOnlyFailuresRanAgain', () => {
  it('accepts a re-run that runs the failure again and restores the rest from the cache', () => {
    expect(() => expectOnlyFailuresRanAgain(failed, run(['> nx run a:build  [local cache]', '> nx run a:test  [local cache]', '> nx run b:build']))).not.toThrow();
  });

  it('refuses a re-run that runs work again which had succeeded', () => {
    expect(() => expectOnlyFailuresRanAgain(failed, run(['> nx run a:build', '> nx run a:test  [local cache]', '> nx run b:build']))).toThrow();
  });

  it('refuses a re-run that takes the failure from the cache', () => {
    expect(() => expectOnlyFailuresRanAgain(failed, run(['> nx run a:build  [local cache]', '> nx run a:test  [local cache]', '> nx run b:build  [local cache]']))).toThrow();
  });
});
