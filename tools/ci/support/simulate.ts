/**
 * A small stand-in for GitHub's runner, enough to prove what a workflow does for an event: it evaluates every
 * job's and step's `if:`, the matrix and the `env:` values with GitHub's expression library, and runs the `run:`
 * steps with bash, `npx`/`docker`/`nvidia-smi` replaced by stubs that record their arguments. Reusable-workflow
 * jobs and steps that use actions are not run; their result is success unless the scenario says otherwise.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  evaluateBlock,
  evaluateEnv,
  evaluateIf,
  git,
  loadWorkflow,
  root,
  runScript,
  stepLabel,
  stepsOf,
  stubBin,
  tmpDir,
  type Context,
  type Env,
  type Job,
  type Status,
  SUCCEEDING,
} from './workflows';

export const REPOSITORY = 'ucsd-ets/datahub-docker-stack';
const SHA = 'c0ffee0'.padEnd(40, '0');

export interface GithubEvent {
  context: Context;
  /** Working directory of the scripts: a git repository holding the head commit for pull requests. */
  cwd: string;
}
interface Extra {
  inputs?: Record<string, unknown>;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
}
const DEFAULT_SECRETS = { GITHUB_TOKEN: 'ghs_x', NX_CLOUD_ACCESS_TOKEN: 'nx-token' };

function event(github: Record<string, unknown>, extra: Extra, cwd = tmpDir('event')): GithubEvent {
  const base = { repository: REPOSITORY, sha: SHA, run_id: '4242', run_attempt: '1', actor: 'octocat', head_ref: '' };
  return {
    context: {
      github: { ...base, ...github },
      inputs: extra.inputs ?? {},
      vars: extra.vars ?? {},
      secrets: extra.secrets ?? DEFAULT_SECRETS,
    },
    cwd,
  };
}

export const push = (branch: string, message: string, extra: Extra = {}) =>
  event(
    { event_name: 'push', ref: `refs/heads/${branch}`, ref_name: branch, event: { before: 'b'.repeat(40), head_commit: { message } } },
    extra,
  );

/** A pull request from `branch`, whose head commit (in a scratch repository) has `message`. */
export function pullRequest(branch: string, opts: { title?: string; message?: string; fork?: boolean } & Extra = {}) {
  const cwd = tmpDir('pr');
  git(cwd, 'init', '-q');
  fs.writeFileSync(path.join(cwd, 'f'), 'x');
  git(cwd, 'add', 'f');
  git(cwd, 'commit', '-q', '-m', opts.message ?? 'Change something');
  const head = { sha: git(cwd, 'rev-parse', 'HEAD'), ref: branch, repo: { full_name: opts.fork ? 'someone/fork' : REPOSITORY } };
  // A fork's pull request gets no secrets but the read-only GITHUB_TOKEN.
  const secrets = opts.secrets ?? (opts.fork ? { GITHUB_TOKEN: 'ghs_read_only' } : DEFAULT_SECRETS);
  return event(
    {
      event_name: 'pull_request',
      ref: 'refs/pull/12/merge',
      ref_name: '12/merge',
      head_ref: branch,
      base_ref: 'main',
      event: { number: 12, pull_request: { title: opts.title ?? 'Change something', head } },
    },
    { ...opts, secrets },
    cwd,
  );
}

export const dispatch = (branch: string, inputs: Record<string, unknown>, extra: Extra = {}) =>
  event({ event_name: 'workflow_dispatch', ref: `refs/heads/${branch}`, ref_name: branch, event: { inputs } }, { ...extra, inputs });

export const schedule = (extra: Extra = {}) =>
  event({ event_name: 'schedule', ref: 'refs/heads/main', ref_name: 'main', event: { schedule: '23 5 * * 1' } }, extra);

// ---------------------------------------------------------------- running

export type Result = 'success' | 'failure' | 'skipped';
export interface Execution {
  job: string;
  matrix: Record<string, unknown>;
  /** The steps whose `if:` let them run (all earlier steps succeeding), by name. */
  steps: string[];
  /** Evaluated `with:` of the steps that run, by step name. */
  with: Record<string, Record<string, unknown>>;
  /** Every stubbed command the run: steps called, e.g. ['npx', 'nx', 'run-many', ...]. */
  calls: string[][];
  /** The scripts' stdout and stderr, and what they appended to $GITHUB_STEP_SUMMARY. */
  log: string;
  summary: string;
}
export interface Simulation {
  results: Record<string, Result>;
  outputs: Record<string, Env>;
  executions: Execution[];
}
/** Extra environment for the scripts, as actions would set it (nx-set-shas sets NX_BASE and NX_HEAD). */
const ACTION_ENV: Env = { NX_BASE: 'base-sha', NX_HEAD: 'head-sha' };
/** What the runner sets for every step: the event, the ref, and the checkout (this repository, for tools/ci). */
const runnerEnv = (context: Context): Env => {
  const github = context.github as { event_name: string; ref_name: string };
  return { GITHUB_EVENT_NAME: github.event_name, GITHUB_REF_NAME: github.ref_name, GITHUB_WORKSPACE: root };
};

const needsOf = (job: Job) => [job.needs ?? []].flat();
const statusOf = (needs: Result[]): Status => ({
  success: needs.every((r) => r === 'success'),
  failure: needs.some((r) => r === 'failure'),
  cancelled: false,
});

/**
 * Runs one job (one matrix combination) as the runner would: each step's `if:` is evaluated when its turn comes,
 * with success() false and failure() true once a step failed; scripts see the job's and the step's env.
 */
function runJob(id: string, job: Job, context: Context, cwd: string): { execution: Execution; outputs: Env; ok: boolean } {
  const stub = stubBin(['npx', 'docker', 'nvidia-smi']);
  const execution: Execution = { job: id, matrix: (context.matrix ?? {}) as Record<string, unknown>, steps: [], with: {}, calls: [], log: '', summary: '' };
  const steps: Record<string, { outputs: Env }> = {};
  let env: Env = { ...runnerEnv(context), ...ACTION_ENV, ...evaluateEnv(job.env, context) };
  let status: Status = SUCCEEDING;
  for (const step of stepsOf(job)) {
    const stepContext = { ...context, steps };
    if (!evaluateIf(step.if, stepContext, status)) continue;
    execution.steps.push(stepLabel(step));
    if (step.with) execution.with[stepLabel(step)] = evaluateBlock(step.with, stepContext);
    if (!step.run) continue;
    const res = runScript(step.run, { ...env, ...evaluateEnv(step.env, stepContext) }, { cwd, path: stub.bin });
    execution.summary += res.summary;
    execution.log += res.stdout + res.stderr;
    if (step.id) steps[step.id] = { outputs: res.outputs };
    env = { ...env, ...res.githubEnv };
    if (res.status !== 0) status = { success: false, failure: true, cancelled: false };
  }
  execution.calls = stub.calls();
  return { execution, outputs: evaluateEnv(job.outputs, { ...context, steps }), ok: status.success };
}

/** Simulates `file` for the event; `outcomes` forces a job's result (e.g. a failing GPU test). */
export function simulate(file: string, ev: GithubEvent, outcomes: Record<string, Result> = {}): Simulation {
  const wf = loadWorkflow(file);
  const sim: Simulation = { results: {}, outputs: {}, executions: [] };
  for (const [id, job] of Object.entries(wf.jobs)) {
    const needs = needsOf(job);
    const missing = needs.filter((n) => !(n in sim.results));
    if (missing.length) throw new Error(`${file}: job ${id} needs ${missing.join(', ')}, defined later`);
    const needsContext = Object.fromEntries(needs.map((n) => [n, { result: sim.results[n], outputs: sim.outputs[n] ?? {} }]));
    const context = { ...ev.context, needs: needsContext };
    const matrix = job.strategy?.matrix ?? {};
    if (!evaluateIf(job.if, context, statusOf(needs.map((n) => sim.results[n])))) {
      sim.results[id] = 'skipped';
      continue;
    }
    const matrixValues = Object.values(evaluateBlock(matrix, context));
    // One key per matrix here (all our matrices have one); no matrix → one run.
    const [key] = Object.keys(matrix);
    const combinations = key ? (matrixValues[0] as unknown[]).map((v) => ({ [key]: v })) : [{}];
    let ok = true;
    for (const combination of combinations) {
      if (job.uses) break;
      const run = runJob(id, job, { ...context, matrix: combination }, ev.cwd);
      sim.executions.push(run.execution);
      sim.outputs[id] = run.outputs;
      ok &&= run.ok;
    }
    sim.results[id] = outcomes[id] ?? (ok ? 'success' : 'failure');
  }
  return sim;
}

export const executionsOf = (sim: Simulation, job: string) => sim.executions.filter((e) => e.job === job);
/** Every `npx nx …` (and `npx nx-cloud …`) call of the run. */
export const npxCalls = (sim: Simulation) => sim.executions.flatMap((e) => e.calls.filter((c) => c[0] === 'npx').map((c) => c.slice(1)));
