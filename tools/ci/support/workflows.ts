/**
 * Shared by the workflow suites in tools/ci: loading the workflows, evaluating their `${{ }}` expressions with
 * GitHub's own library (support/expressions.mjs), and running their `run:` scripts with bash and stub commands.
 */
import { parse } from 'yaml';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';

export const root = path.resolve(__dirname, '../../..');
export const workflowsDir = path.join(root, '.github', 'workflows');
export const actionsDir = path.join(root, '.github', 'actions');

export type Env = Record<string, string>;
export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Env;
  shell?: string;
  'working-directory'?: string;
}
export interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  'runs-on'?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  env?: Env;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  steps?: Step[];
}
export interface Input {
  description?: string;
  required?: boolean;
  type?: string;
  default?: unknown;
}
export interface Workflow {
  name?: string;
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: { group?: string; 'cancel-in-progress'?: unknown };
  env?: Env;
  jobs: Record<string, Job>;
}
export interface CompositeAction {
  name?: string;
  inputs?: Record<string, Input>;
  runs: { using: string; steps: Step[] };
}

export const readText = (file: string) => fs.readFileSync(file, 'utf8');
export const workflowFiles = fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
export const actionFiles = fs
  .readdirSync(actionsDir)
  .map((d) => path.join(actionsDir, d, 'action.yml'))
  .filter((f) => fs.existsSync(f));
export const loadWorkflow = (file: string): Workflow => parse(readText(path.join(workflowsDir, file))) as Workflow;
export const loadAction = (name: string): CompositeAction =>
  parse(readText(path.join(actionsDir, name, 'action.yml'))) as CompositeAction;

export const stepsOf = (job: Job): Step[] => job.steps ?? [];
export const stepLabel = (s: Step) => s.name ?? s.id ?? s.uses ?? (s.run ?? '').split('\n')[0];
export const usesAction = (name: string) => (s: Step) => (s.uses ?? '').split('@')[0] === name;
export function findStep(job: Job, pred: (s: Step) => boolean, what: string): Step {
  const step = stepsOf(job).find(pred);
  if (!step) throw new Error(`no step found: ${what}`);
  return step;
}

/** Every (file, job, step) of all workflows and composite actions. */
export function allSteps(): { where: string; job?: Job; step: Step }[] {
  const out: { where: string; job?: Job; step: Step }[] = [];
  for (const file of workflowFiles) {
    for (const [jobId, job] of Object.entries(loadWorkflow(file).jobs)) {
      for (const step of stepsOf(job)) out.push({ where: `${file} › ${jobId} › ${stepLabel(step)}`, job, step });
    }
  }
  for (const file of actionFiles) {
    for (const step of (parse(readText(file)) as CompositeAction).runs.steps) {
      out.push({ where: `${path.relative(root, file)} › ${stepLabel(step)}`, step });
    }
  }
  return out;
}

// ---------------------------------------------------------------- expressions

/** The contexts an expression sees: github, inputs, vars, secrets, needs, matrix, steps… */
export type Context = Record<string, unknown>;
export interface Status {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}
export const SUCCEEDING: Status = { success: true, failure: false, cancelled: false };
export interface Request {
  text: unknown;
  kind: 'if' | 'value';
  context: Context;
  status?: Status;
}

let evaluator: { worker: Worker; port: MessagePort; done: Int32Array; next: number } | undefined;
afterAll(async () => {
  await evaluator?.worker.terminate();
});

/** Evaluates the requests in the expressions worker: `if` → boolean, `value` → the value or interpolated string. */
export function evaluate(requests: Request[]): unknown[] {
  if (!evaluator) {
    const { port1, port2 } = new MessageChannel();
    const done = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(path.join(__dirname, 'expressions.mjs'), { workerData: { port: port2, done }, transferList: [port2] });
    evaluator = { worker, port: port1, done, next: 0 };
  }
  const id = ++evaluator.next;
  Atomics.store(evaluator.done, 0, 0);
  evaluator.port.postMessage({ id, requests });
  // Synchronous on purpose: the simulation reads like the workflow, one step after the other.
  for (;;) {
    const answer = receiveMessageOnPort(evaluator.port)?.message as { id: number; values?: unknown[]; error?: string } | undefined;
    if (answer?.id === id) {
      if (!answer.values) throw new Error(`expression evaluation failed: ${answer.error}`);
      return answer.values;
    }
    // No answer yet (or a late one to an earlier call): wait for the worker's next signal.
    if (!answer && Atomics.wait(evaluator.done, 0, 0, 120_000) === 'timed-out') throw new Error('the expressions worker did not answer');
    Atomics.store(evaluator.done, 0, 0);
  }
}
export const evaluateIf = (text: unknown, context: Context, status: Status = SUCCEEDING): boolean =>
  evaluate([{ text: text ?? 'true', kind: 'if', context, status }])[0] as boolean;
export const evaluateValue = (text: unknown, context: Context): unknown => evaluate([{ text, kind: 'value', context }])[0];
/** The values of a `with:` (or any) block of expressions. */
export function evaluateBlock(block: Record<string, unknown> | undefined, context: Context): Record<string, unknown> {
  const entries = Object.entries(block ?? {});
  const values = evaluate(entries.map(([, text]) => ({ text, kind: 'value', context })));
  return Object.fromEntries(entries.map(([name], i) => [name, values[i]]));
}
/** The values of an `env:` (or `outputs:`) block, as strings, the way a script sees them. */
export const evaluateEnv = (env: Env | undefined, context: Context): Env =>
  Object.fromEntries(Object.entries(evaluateBlock(env, context)).map(([name, value]) => [name, value == null ? '' : String(value)]));

// ---------------------------------------------------------------- running scripts

const tmpDirs: string[] = [];
export function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wf-${prefix}-`));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const SEP = '\x1f';
/** A folder of stub commands that record their arguments and succeed. */
export function stubBin(names: string[]): { bin: string; calls: () => string[][] } {
  const dir = tmpDir('bin');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const callsFile = path.join(dir, 'calls');
  fs.writeFileSync(callsFile, '');
  for (const name of names) {
    fs.writeFileSync(
      path.join(bin, name),
      `#!/bin/bash\n{ printf '%s' "$(basename "$0")"; printf '${SEP}%s' "$@"; printf '\\n'; } >> "${callsFile}"\n`,
      { mode: 0o755 },
    );
  }
  const calls = () =>
    readText(callsFile)
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(SEP));
  return { bin, calls };
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Env;
  githubEnv: Env;
  summary: string;
}
const readKeyValues = (file: string): Env =>
  Object.fromEntries(
    readText(file)
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
/** Runs a `run:` script the way GitHub does with `shell: bash`. */
export function runScript(script: string, env: Env, opts: { cwd?: string; path?: string } = {}): RunResult {
  const dir = tmpDir('run');
  const files = { GITHUB_OUTPUT: 'output', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary' };
  for (const name of Object.values(files)) fs.writeFileSync(path.join(dir, name), '');
  const res = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: opts.cwd ?? dir,
    encoding: 'utf8',
    env: {
      PATH: [opts.path, process.env.PATH].filter(Boolean).join(path.delimiter),
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      ...Object.fromEntries(Object.entries(files).map(([name, file]) => [name, path.join(dir, file)])),
      ...env,
    },
  });
  return {
    status: res.status,
    stdout: res.stdout,
    stderr: res.stderr,
    outputs: readKeyValues(path.join(dir, files.GITHUB_OUTPUT)),
    githubEnv: readKeyValues(path.join(dir, files.GITHUB_ENV)),
    summary: readText(path.join(dir, files.GITHUB_STEP_SUMMARY)),
  };
}

export function git(cwd: string, ...args: string[]): string {
  const res = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout.trim();
}
