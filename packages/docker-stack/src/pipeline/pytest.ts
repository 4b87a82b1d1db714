import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StepLog } from './step';
import type { PytestDetails } from './step-results';

export interface PytestRun {
  python: string;
  workspaceRoot: string;
  /** Test folders relative to the workspace root; missing ones are left out. */
  paths: string[];
  testImage: string;
  /** JUnit XML report, relative to the workspace root. */
  junitXml: string;
  /** One platform of a multi-platform image: the tests see it as TEST_PLATFORM. */
  platform?: string;
  log: StepLog;
}

/** Runs pytest with `TEST_IMAGE` set, streaming its output; the summary line and exit code decide the step. */
export async function runPytest(run: PytestRun): Promise<PytestDetails> {
  const paths = run.paths.filter((path) => existsSync(join(run.workspaceRoot, path)));
  if (paths.length === 0) {
    return noTests(run, { exitCode: 5, summary: 'no test folder', paths }, `no test folder found (looked for ${run.paths.join(', ')})`);
  }
  mkdirSync(dirname(join(run.workspaceRoot, run.junitXml)), { recursive: true });
  const args = ['-m', 'pytest', '-v', '-p', 'no:cacheprovider', `--junitxml=${run.junitXml}`, ...paths];
  run.log.info(`TEST_IMAGE=${run.testImage}${run.platform ? ` TEST_PLATFORM=${run.platform}` : ''} ${run.python} ${args.join(' ')}`);
  let output = '';
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(run.python, args, {
      cwd: run.workspaceRoot,
      env: { ...process.env, TEST_IMAGE: run.testImage, ...(run.platform && { TEST_PLATFORM: run.platform }), PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forward = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      run.log.write(chunk.toString('utf8'));
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error) => reject(new Error(`Cannot run ${run.python}: ${error.message} (set the "python" option to an interpreter with pytest)`)));
    child.on('close', (code) => resolve(code ?? 1));
  });
  const summary = output.trim().split('\n').reverse().find((line) => /=+ .* =+$/.test(line))?.replace(/=/g, '').trim() ?? '';
  if (exitCode === NO_TESTS_COLLECTED) {
    return noTests(run, { exitCode, summary, paths }, `no tests were collected in ${paths.join(', ')}`);
  }
  if (exitCode !== 0) {
    run.log.info(`pytest failed (exit code ${exitCode}): ${summary}`);
  }
  return { success: exitCode === 0, exitCode, summary, paths };
}

/** pytest's exit code when it found nothing to run. */
const NO_TESTS_COLLECTED = 5;

/**
 * An image without tests yet passes, as in the former pipeline, so adding an image before its tests does not
 * block anyone; the warning stays in its result file.
 */
function noTests(run: PytestRun, details: Omit<PytestDetails, 'success'>, reason: string): PytestDetails {
  const warning = `WARNING: ${reason}; the step passes without testing ${run.testImage}`;
  run.log.info(warning);
  return { success: true, ...details, warnings: [warning] };
}

/**
 * A multi-platform image's pytest step: it passes only when every platform's run does. Its summary names each
 * platform, so a failure on one says which; the runs stay under `platforms`.
 */
export function allPlatformsPassed(runs: Record<string, PytestDetails>): PytestDetails {
  const entries = Object.entries(runs);
  const failed = entries.filter(([, run]) => !run.success).map(([platform]) => platform);
  const warnings = entries.flatMap(([platform, run]) => (run.warnings ?? []).map((warning) => `${platform}: ${warning}`));
  return {
    success: failed.length === 0,
    exitCode: entries.find(([, run]) => run.exitCode !== 0 && !run.success)?.[1].exitCode ?? 0,
    summary: `${failed.length ? `failed on ${failed.join(', ')}; ` : ''}${entries.map(([platform, run]) => `${platform}: ${run.summary}`).join('; ')}`,
    paths: entries[0]?.[1].paths ?? [],
    ...(warnings.length > 0 && { warnings }),
    platforms: runs,
  };
}
