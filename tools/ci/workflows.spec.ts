/**
 * Checks the GitHub Actions workflows in .github/workflows (and the local composite actions
 * in .github/actions) without GitHub: their triggers, jobs, inputs and conditions, the Nx
 * commands they call, and that no `run:` script interpolates untrusted `${{ }}` values.
 * The shell scripts that make decisions (full vs affected build, input checks, promotion,
 * GPU test, wiki push) are run with bash against stub `npx`/`docker` commands.
 */
import { parse } from 'yaml';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { spawnSync } from 'child_process';

const root = path.resolve(__dirname, '../..');
const workflowsDir = path.join(root, '.github', 'workflows');
const actionsDir = path.join(root, '.github', 'actions');

type Env = Record<string, string>;
interface Step {
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
interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  'runs-on'?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  env?: Env;
  steps?: Step[];
}
interface Input {
  description?: string;
  required?: boolean;
  type?: string;
  default?: unknown;
}
interface Workflow {
  name?: string;
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: { group?: string; 'cancel-in-progress'?: unknown };
  env?: Env;
  jobs: Record<string, Job>;
}
interface CompositeAction {
  name?: string;
  inputs?: Record<string, Input>;
  runs: { using: string; steps: Step[] };
}

// prune frees the runner's disk after the pipeline of images with prune: true (the images are large).
const TARGETS = ['build', 'test', 'push', 'integration-test', 'manifest', 'prune'];
const MAIN_PATHS = [
  'images/**',
  'packages/**',
  'nx.json',
  'package.json',
  'package-lock.json',
  '.github/workflows/main.yml',
];
const EXPECTED_ACTION_VERSIONS: Record<string, string> = {
  'actions/checkout': 'v4',
  'actions/setup-node': 'v4',
  'actions/upload-artifact': 'v4',
  'docker/login-action': 'v3',
  'nrwl/nx-set-shas': 'v4',
};
/** `${{ }}` contexts that must only reach a script through `env:` (script injection). */
const FORBIDDEN_IN_RUN: RegExp[] = [
  /\$\{\{[^}]*\bgithub\.event\./,
  /\$\{\{[^}]*\binputs\./,
  /\$\{\{[^}]*\bgithub\.head_ref\b/,
  /\$\{\{[^}]*\bgithub\.base_ref\b/,
  /\$\{\{[^}]*\bgithub\.ref_name\b/,
  /\$\{\{[^}]*\bsecrets\./,
];

// ---------------------------------------------------------------- loading

const workflowFiles = fs.existsSync(workflowsDir)
  ? fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort()
  : [];
const actionFiles = fs.existsSync(actionsDir)
  ? fs
      .readdirSync(actionsDir)
      .map((d) => path.join(actionsDir, d, 'action.yml'))
      .filter((f) => fs.existsSync(f))
  : [];

const readText = (file: string) => fs.readFileSync(file, 'utf8');
const loadWorkflow = (file: string): Workflow => parse(readText(path.join(workflowsDir, file))) as Workflow;
const loadAction = (name: string): CompositeAction =>
  parse(readText(path.join(actionsDir, name, 'action.yml'))) as CompositeAction;

/** Whitespace-normalised expression without its `${{ }}` wrapper. */
const expr = (value: unknown): string =>
  String(value ?? '')
    .replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1')
    .replace(/\s+/g, ' ')
    .trim();

const stepsOf = (job: Job): Step[] => job.steps ?? [];
const stepLabel = (s: Step) => s.name ?? s.id ?? s.uses ?? (s.run ?? '').split('\n')[0];

function findIndex(job: Job, pred: (s: Step) => boolean, what: string): number {
  const i = stepsOf(job).findIndex(pred);
  if (i < 0) throw new Error(`no step found: ${what}`);
  return i;
}
function findStep(job: Job, pred: (s: Step) => boolean, what: string): Step {
  return stepsOf(job)[findIndex(job, pred, what)];
}
const usesAction = (name: string) => (s: Step) => (s.uses ?? '').split('@')[0] === name;
const runs = (re: RegExp) => (s: Step) => re.test(s.run ?? '');
const isWikiCheckout = (s: Step) => usesAction('actions/checkout')(s) && s.with?.path === 'wiki';
const isWikiPush = (s: Step) => s.uses === './.github/actions/push-wiki';

/** Every (file, job, step) of all workflows and composite actions. */
function allSteps(): { where: string; job?: Job; step: Step }[] {
  const out: { where: string; job?: Job; step: Step }[] = [];
  for (const file of workflowFiles) {
    const wf = loadWorkflow(file);
    for (const [jobId, job] of Object.entries(wf.jobs ?? {})) {
      for (const step of stepsOf(job)) out.push({ where: `${file} › ${jobId} › ${stepLabel(step)}`, job, step });
    }
  }
  for (const file of actionFiles) {
    const action = parse(readText(file)) as CompositeAction;
    for (const step of action.runs?.steps ?? []) {
      out.push({ where: `${path.relative(root, file)} › ${stepLabel(step)}`, step });
    }
  }
  return out;
}

// ---------------------------------------------------------------- running scripts

const tmpDirs: string[] = [];
function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wf-${prefix}-`));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const SEP = '\x1f';
/** A folder of stub commands that record their arguments in $CALLS_FILE and succeed. */
function stubBin(names: string[]): { bin: string; calls: () => string[][] } {
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
  return {
    bin,
    calls: () =>
      readText(callsFile)
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(SEP)),
  };
}

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Env;
  githubEnv: Env;
}
/** Runs a `run:` script the way GitHub does with `shell: bash`. */
function runScript(script: string, env: Env, opts: { cwd?: string; path?: string } = {}): RunResult {
  const dir = tmpDir('run');
  const outputFile = path.join(dir, 'output');
  const envFile = path.join(dir, 'env');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(envFile, '');
  const res = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: opts.cwd ?? dir,
    encoding: 'utf8',
    env: {
      PATH: [opts.path, process.env.PATH].filter(Boolean).join(path.delimiter),
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GITHUB_OUTPUT: outputFile,
      GITHUB_ENV: envFile,
      ...env,
    },
  });
  const kv = (file: string): Env =>
    Object.fromEntries(
      readText(file)
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, outputs: kv(outputFile), githubEnv: kv(envFile) };
}

function git(cwd: string, ...args: string[]): string {
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

// ================================================================ all workflows

describe('all workflows', () => {
  it('has the four workflows', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining(['main.yml', 'tag.yml', 'tag_global_stable.yml', 'test_gpu.yml']),
    );
  });

  it.each(workflowFiles)('%s parses, starts with a comment and has a name, triggers and jobs', (file) => {
    const text = readText(path.join(workflowsDir, file));
    expect(text.split('\n')[0]).toMatch(/^#\s*\S/);
    const wf = loadWorkflow(file);
    expect(typeof wf.name).toBe('string');
    // YAML 1.2: `on` stays a string key (it would be `true` under YAML 1.1)
    expect(wf.on).toBeInstanceOf(Object);
    expect(Object.keys(wf.jobs ?? {}).length).toBeGreaterThan(0);
    for (const [id, job] of Object.entries(wf.jobs)) {
      expect([id, Boolean(job.uses) || Array.isArray(job.steps)]).toEqual([id, true]);
    }
  });

  it.each(actionFiles.map((f) => path.relative(root, f)))('%s is a composite action starting with a comment', (rel) => {
    const text = readText(path.join(root, rel));
    expect(text.split('\n')[0]).toMatch(/^#\s*\S/);
    const action = parse(text) as CompositeAction;
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) if (step.run) expect(step.shell).toBe('bash');
  });

  it('interpolates no untrusted ${{ }} value into a run: script', () => {
    const offenders = allSteps()
      .filter(({ step }) => step.run && FORBIDDEN_IN_RUN.some((re) => re.test(step.run as string)))
      .map(({ where }) => where);
    expect(offenders).toEqual([]);
  });

  it('puts no registry login or token on a command line', () => {
    const offenders = allSteps()
      .filter(
        ({ step }) =>
          step.run &&
          /docker\s+login|--password|GITHUB_TOKEN|REGISTRY_PASSWORD|NX_CLOUD_ACCESS_TOKEN|\$\{\{[^}]*secrets\./.test(
            step.run,
          ),
      )
      .map(({ where }) => where);
    expect(offenders).toEqual([]);
  });

  it('pins the expected major versions of the actions', () => {
    const wrong = allSteps()
      .map(({ where, step }) => ({ where, uses: step.uses ?? '' }))
      .filter(({ uses }) => !uses.startsWith('./') && uses !== '')
      .filter(({ uses }) => {
        const [name, version] = uses.split('@');
        return !(name in EXPECTED_ACTION_VERSIONS) || EXPECTED_ACTION_VERSIONS[name] !== version;
      });
    expect(wrong).toEqual([]);
  });

  it('logs in to ghcr.io with docker/login-action and the GITHUB_TOKEN only', () => {
    const logins = allSteps().filter(({ step }) => usesAction('docker/login-action')(step));
    expect(logins.length).toBeGreaterThanOrEqual(4);
    for (const { step } of logins) {
      expect(step.with).toEqual({
        registry: 'ghcr.io',
        username: '${{ github.actor }}',
        password: '${{ secrets.GITHUB_TOKEN }}',
      });
    }
  });

  it('checks out the wiki into wiki/', () => {
    const checkouts = allSteps().filter(({ step }) => isWikiCheckout(step));
    expect(checkouts.length).toBe(3); // main, tag, tag_global_stable
    for (const { step } of checkouts) expect(step.with?.repository).toBe('${{ github.repository }}.wiki');
  });

  it('passes NX_CLOUD_ACCESS_TOKEN from the secret to every job that runs Nx', () => {
    for (const file of workflowFiles) {
      const wf = loadWorkflow(file);
      for (const [jobId, job] of Object.entries(wf.jobs)) {
        for (const step of stepsOf(job).filter(runs(/\bnpx nx\b/))) {
          const token = step.env?.NX_CLOUD_ACCESS_TOKEN ?? job.env?.NX_CLOUD_ACCESS_TOKEN ?? wf.env?.NX_CLOUD_ACCESS_TOKEN;
          expect([file, jobId, token]).toEqual([file, jobId, '${{ secrets.NX_CLOUD_ACCESS_TOKEN }}']);
        }
      }
    }
  });

  it('refers only to local workflows and actions that exist', () => {
    const refs: string[] = [];
    for (const file of workflowFiles) {
      for (const job of Object.values(loadWorkflow(file).jobs)) if (job.uses?.startsWith('./')) refs.push(job.uses);
    }
    for (const { step } of allSteps()) if (step.uses?.startsWith('./')) refs.push(step.uses);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = path.join(root, ref);
      const exists = ref.endsWith('.yml') ? fs.existsSync(target) : fs.existsSync(path.join(target, 'action.yml'));
      expect([ref, exists]).toEqual([ref, true]);
    }
  });
});

// ================================================================ main.yml

describe('main.yml', () => {
  const wf = loadWorkflow('main.yml');
  const job = wf.jobs.build;
  const ON_MAIN = /github\.event_name == 'push'.*github\.ref == 'refs\/heads\/main'/;
  const idx = (pred: (s: Step) => boolean, what: string) => findIndex(job, pred, what);

  it('runs on push and pull_request for changes to the images, the plugin, Nx/npm config and itself', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
    expect([...wf.on.push.paths].sort()).toEqual([...MAIN_PATHS].sort());
    expect(wf.on.push.branches).toEqual(['**']); // no builds for pushed git tags
    expect(wf.on.push.tags).toBeUndefined();
    expect([...wf.on.pull_request.paths].sort()).toEqual([...MAIN_PATHS].sort());
  });

  it('may write contents and packages, one run per ref at a time', () => {
    expect(wf.permissions).toEqual({ contents: 'write', packages: 'write' });
    expect(wf.concurrency?.group).toContain('github.ref');
  });

  it('skips the build when the commit message (push) or PR title (pull_request) says "skip ci"', () => {
    const cond = expr(job.if);
    expect(cond).toContain("!contains(github.event.head_commit.message, 'skip ci')");
    expect(cond).toContain("!contains(github.event.pull_request.title, 'skip ci')");
    expect(cond).toMatch(/github\.event_name == 'push' && !contains\(github\.event\.head_commit\.message/);
    expect(cond).toMatch(/github\.event_name == 'pull_request' && !contains\(github\.event\.pull_request\.title/);
  });

  it('frees disk space, then checks out with the full history and sets up Node 20 with the npm cache', () => {
    const free = findStep(job, runs(/rm -rf/), 'free disk space');
    for (const dir of ['/usr/share/dotnet', '/opt/ghc']) expect(free.run).toContain(dir);
    const checkout = idx((s) => usesAction('actions/checkout')(s) && !isWikiCheckout(s), 'checkout');
    expect(stepsOf(job)[checkout].with?.['fetch-depth']).toBe(0);
    const node = findStep(job, usesAction('actions/setup-node'), 'setup-node');
    expect(node.with).toMatchObject({ cache: 'npm' });
    expect(String(node.with?.['node-version'])).toBe('20');
    const order = [
      idx((s) => s === free, 'free disk'),
      checkout,
      idx(usesAction('actions/setup-node'), 'setup-node'),
      idx(runs(/^npm ci\b/m), 'npm ci'),
      idx(usesAction('nrwl/nx-set-shas'), 'nx-set-shas'),
      idx(runs(/npx nx (affected|run-many)/), 'build'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('installs the Python test packages with apt', () => {
    const apt = findStep(job, runs(/apt-get install/), 'apt-get install');
    for (const pkg of ['python3-pytest', 'python3-docker', 'python3-requests']) expect(apt.run).toContain(pkg);
    expect(idx((s) => s === apt, 'apt')).toBeLessThan(idx(runs(/npx nx (affected|run-many)/), 'build'));
  });

  it('logs in and checks out the wiki (on main) before the build', () => {
    const build = idx(runs(/npx nx (affected|run-many)/), 'build');
    expect(idx(usesAction('docker/login-action'), 'login')).toBeLessThan(build);
    const wiki = idx(isWikiCheckout, 'wiki checkout');
    expect(wiki).toBeLessThan(build);
    expect(expr(stepsOf(job)[wiki].if)).toMatch(ON_MAIN);
  });

  describe('the full/affected decision', () => {
    const step = findStep(job, (s) => s.id === 'mode', 'mode step');
    const build = findStep(job, runs(/npx nx (affected|run-many)/), 'build');

    it('reads the untrusted values through env and feeds the build step', () => {
      expect(step.env).toMatchObject({
        EVENT_NAME: '${{ github.event_name }}',
        REF_NAME: '${{ github.ref_name }}',
        BEFORE_SHA: '${{ github.event.before }}',
        COMMIT_MESSAGE: '${{ github.event.head_commit.message }}',
        PR_HEAD_SHA: '${{ github.event.pull_request.head.sha }}',
      });
      expect(build.env?.MODE).toBe('${{ steps.mode.outputs.mode }}');
      expect(idx((s) => s === step, 'mode')).toBeGreaterThan(idx(usesAction('actions/checkout'), 'checkout'));
    });

    const ZEROS = '0'.repeat(40);
    const push = (ref: string, message: string, before = 'a'.repeat(40)): Env => ({
      EVENT_NAME: 'push',
      REF_NAME: ref,
      BEFORE_SHA: before,
      COMMIT_MESSAGE: message,
      PR_HEAD_SHA: '',
    });
    it.each<{ label: string; env: Env; mode: string }>([
      { label: 'push to main', env: push('main', 'Bump pandas'), mode: 'full' },
      { label: 'first push of a new branch', env: push('feature/x', 'Start', ZEROS), mode: 'full' },
      { label: '"full rebuild" in the message', env: push('feature/x', 'Bump CUDA\n\nfull rebuild'), mode: 'full' },
      { label: 'ordinary branch push', env: push('feature/x', 'Bump pandas'), mode: 'affected' },
      { label: 'push to main-2 (not main)', env: push('main-2', 'Fix'), mode: 'affected' },
      { label: 'injection attempt', env: push('dev', '$(touch pwned) `touch pwned` "; touch pwned; "'), mode: 'affected' },
    ])('$label → $mode', ({ env, mode }) => {
      const dir = tmpDir('mode');
      const res = runScript(step.run as string, env, { cwd: dir });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(res.outputs.mode).toBe(mode);
      expect(fs.existsSync(path.join(dir, 'pwned'))).toBe(false);
    });

    it.each([
      ['Tidy up', 'affected'],
      ['Update base image\n\nfull rebuild', 'full'],
    ])('pull request whose head commit says %j → %s', (message, mode) => {
      const repo = tmpDir('pr');
      git(repo, 'init', '-q');
      fs.writeFileSync(path.join(repo, 'f'), 'x');
      git(repo, 'add', 'f');
      git(repo, 'commit', '-q', '-m', message);
      const sha = git(repo, 'rev-parse', 'HEAD');
      const env = { EVENT_NAME: 'pull_request', REF_NAME: '12/merge', BEFORE_SHA: '', COMMIT_MESSAGE: '', PR_HEAD_SHA: sha };
      const res = runScript(step.run as string, env, { cwd: repo });
      expect(res.status).toBe(0);
      expect(res.outputs.mode).toBe(mode);
    });
  });

  describe('the build', () => {
    const step = findStep(job, runs(/npx nx (affected|run-many)/), 'build');
    const nxCall = (mode: string) => {
      const stub = stubBin(['npx']);
      const res = runScript(step.run as string, { MODE: mode, NX_BASE: 'base-sha', NX_HEAD: 'head-sha' }, { path: stub.bin });
      expect(res.status).toBe(0);
      const calls = stub.calls();
      expect(calls).toHaveLength(1);
      return calls[0];
    };
    const targetsOf = (args: string[]) => {
      const i = args.indexOf('-t');
      expect(i).toBeGreaterThan(0);
      return args.slice(i + 1, i + 1 + TARGETS.length);
    };

    it('full: nx run-many over all the targets', () => {
      const args = nxCall('full');
      expect(args.slice(0, 3)).toEqual(['npx', 'nx', 'run-many']);
      expect(targetsOf(args)).toEqual(TARGETS);
      expect(args.filter((a) => a.startsWith('--base') || a.startsWith('--head'))).toEqual([]);
      expect(args.filter((a) => /^--parallel=\d+$/.test(a)).length).toBeLessThanOrEqual(1);
    });

    it('affected: nx affected over all the targets between NX_BASE and NX_HEAD', () => {
      const args = nxCall('affected');
      expect(args.slice(0, 3)).toEqual(['npx', 'nx', 'affected']);
      expect(targetsOf(args)).toEqual(TARGETS);
      expect(args).toEqual(expect.arrayContaining(['--base=base-sha', '--head=head-sha']));
    });
  });

  it('uploads artifacts/, logs/ and manifests/ even when the build fails', () => {
    const build = idx(runs(/npx nx (affected|run-many)/), 'build');
    const uploads = stepsOf(job).filter(usesAction('actions/upload-artifact'));
    const paths = uploads.flatMap((s) =>
      String(s.with?.path ?? '')
        .split('\n')
        .map((p) => p.trim().replace(/\/$/, ''))
        .filter(Boolean),
    );
    expect(paths.sort()).toEqual(['artifacts', 'logs', 'manifests']);
    for (const s of uploads) {
      expect(expr(s.if)).toBe('always()');
      expect(stepsOf(job).indexOf(s)).toBeGreaterThan(build);
    }
    const names = uploads.map((s) => String(s.with?.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it('on main, after a successful build, adds the build to the wiki and pushes it', () => {
    const build = idx(runs(/npx nx (affected|run-many)/), 'build');
    const wiki = idx(runs(/^npx nx run stack:wiki$/m), 'stack:wiki');
    const push = idx(isWikiPush, 'push-wiki');
    expect(build).toBeLessThan(wiki);
    expect(wiki).toBeLessThan(push);
    for (const i of [wiki, push]) {
      const cond = expr(stepsOf(job)[i].if);
      expect(cond).toMatch(ON_MAIN);
      expect(cond).not.toMatch(/always\(\)|failure\(\)/);
    }
  });
});

// ================================================================ tag.yml

describe('tag.yml', () => {
  const wf = loadWorkflow('tag.yml');
  const gpuWf = loadWorkflow('test_gpu.yml');

  it('is started by hand with original_tag, dry_run and skip_gpu_test', () => {
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
    const inputs = wf.on.workflow_dispatch.inputs as Record<string, Input>;
    expect(inputs.original_tag).toMatchObject({ type: 'string', required: true });
    expect(inputs.dry_run).toMatchObject({ type: 'boolean', default: true });
    expect(inputs.skip_gpu_test).toMatchObject({ type: 'boolean', default: false });
    expect(wf.permissions).toEqual({ contents: 'write', packages: 'write' });
  });

  it('calls test_gpu.yml with the tag unless the GPU test is skipped', () => {
    const gpu = wf.jobs['test-gpu'];
    expect(gpu.uses).toBe('./.github/workflows/test_gpu.yml');
    expect(gpu.with).toEqual({ tag: '${{ inputs.original_tag }}' });
    expect(expr(gpu.if)).toBe('!inputs.skip_gpu_test');
    const called = gpuWf.on.workflow_call.inputs as Record<string, Input>;
    for (const [name, input] of Object.entries(called)) if (input.required) expect(gpu.with).toHaveProperty(name);
    for (const name of Object.keys(gpu.with ?? {})) expect(called).toHaveProperty(name);
  });

  it('promotes after a passed or skipped GPU test only', () => {
    const promote = wf.jobs.promote;
    expect([promote.needs].flat()).toEqual(['test-gpu']);
    expect(expr(promote.if)).toBe(
      "!cancelled() && (needs.test-gpu.result == 'success' || needs.test-gpu.result == 'skipped')",
    );
  });

  describe('the promote job', () => {
    const job = wf.jobs.promote;
    const promoteIdx = findIndex(job, runs(/stack:promote/), 'promote');
    const step = stepsOf(job)[promoteIdx];

    it('reads the inputs through env', () => {
      expect(step.env).toEqual({ ORIGINAL_TAG: '${{ inputs.original_tag }}', DRY_RUN: '${{ inputs.dry_run }}' });
    });

    it.each<[string, string[]]>([
      ['true', ['npx', 'nx', 'run', 'stack:promote', '--tag=2026.3-main', '--dry-run']],
      ['false', ['npx', 'nx', 'run', 'stack:promote', '--tag=2026.3-main']],
    ])('dry_run=%s runs %j', (dryRun, expected) => {
      const stub = stubBin(['npx']);
      const res = runScript(step.run as string, { ORIGINAL_TAG: '2026.3-main', DRY_RUN: dryRun }, { path: stub.bin });
      expect(res.status).toBe(0);
      expect(stub.calls()).toEqual([expected]);
    });

    it.each([
      ['2026.3-main', 0],
      ['2026.12-feature-x', 0],
      ['2026.3', 1],
      ['2026.3-stable; rm -rf /', 1],
      ['$(id)', 1],
      ['', 1],
    ])('checks the tag %j before anything else (exit %i)', (tag, status) => {
      const check = findStep(job, (s) => s.env?.ORIGINAL_TAG !== undefined && !/stack:promote/.test(s.run ?? ''), 'tag check');
      expect(stepsOf(job).indexOf(check)).toBe(0);
      expect(runScript(check.run as string, { ORIGINAL_TAG: tag }).status).toBe(status);
    });

    it('logs in and checks out the wiki before promoting, and pushes the wiki unless dry run', () => {
      expect(findIndex(job, usesAction('docker/login-action'), 'login')).toBeLessThan(promoteIdx);
      expect(findIndex(job, isWikiCheckout, 'wiki checkout')).toBeLessThan(promoteIdx);
      const push = findIndex(job, isWikiPush, 'push-wiki');
      expect(push).toBeGreaterThan(promoteIdx);
      expect(expr(stepsOf(job)[push].if)).toBe('!inputs.dry_run');
    });
  });
});

// ================================================================ tag_global_stable.yml

describe('tag_global_stable.yml', () => {
  const wf = loadWorkflow('tag_global_stable.yml');
  const [jobId] = Object.keys(wf.jobs);
  const job = wf.jobs[jobId];
  const promoteIdx = findIndex(job, runs(/stack:promote/), 'promote');
  const step = stepsOf(job)[promoteIdx];

  it('is started by hand with tag_prefix and dry_run', () => {
    expect(Object.keys(wf.on)).toEqual(['workflow_dispatch']);
    const inputs = wf.on.workflow_dispatch.inputs as Record<string, Input>;
    expect(Object.keys(inputs).sort()).toEqual(['dry_run', 'tag_prefix']);
    expect(inputs.tag_prefix).toMatchObject({ type: 'string', required: true });
    expect(inputs.dry_run).toMatchObject({ type: 'boolean', default: true });
    expect(Object.keys(wf.jobs)).toHaveLength(1);
  });

  it.each([
    ['2026.3', 0],
    ['2026.12', 0],
    ['2026', 1],
    ['26.3', 1],
    ['2026.3-main', 1],
    ['2026.3\n2026.4', 1],
    ['2026.3; curl evil', 1],
    ['', 1],
  ])('accepts only <year>.<n> prefixes: %j → exit %i', (prefix, status) => {
    const check = findStep(job, (s) => s.env?.TAG_PREFIX !== undefined && !/stack:promote/.test(s.run ?? ''), 'tag_prefix check');
    expect(check.env).toEqual({ TAG_PREFIX: '${{ inputs.tag_prefix }}' });
    expect(check.run).toContain('^[0-9]{4}\\.[0-9]+$');
    expect(stepsOf(job).indexOf(check)).toBeLessThan(promoteIdx);
    expect(runScript(check.run as string, { TAG_PREFIX: prefix }).status).toBe(status);
  });

  it.each<[string, string[]]>([
    ['true', ['npx', 'nx', 'run', 'stack:promote', '--tag=2026.3', '--global', '--dry-run']],
    ['false', ['npx', 'nx', 'run', 'stack:promote', '--tag=2026.3', '--global']],
  ])('dry_run=%s runs %j', (dryRun, expected) => {
    expect(step.env).toEqual({ TAG_PREFIX: '${{ inputs.tag_prefix }}', DRY_RUN: '${{ inputs.dry_run }}' });
    const stub = stubBin(['npx']);
    const res = runScript(step.run as string, { TAG_PREFIX: '2026.3', DRY_RUN: dryRun }, { path: stub.bin });
    expect(res.status).toBe(0);
    expect(stub.calls()).toEqual([expected]);
  });

  it('checks out the wiki before promoting and pushes it unless dry run', () => {
    expect(findIndex(job, usesAction('docker/login-action'), 'login')).toBeLessThan(promoteIdx);
    expect(findIndex(job, isWikiCheckout, 'wiki checkout')).toBeLessThan(promoteIdx);
    const push = findIndex(job, isWikiPush, 'push-wiki');
    expect(push).toBeGreaterThan(promoteIdx);
    expect(expr(stepsOf(job)[push].if)).toBe('!inputs.dry_run');
  });
});

// ================================================================ test_gpu.yml

describe('test_gpu.yml', () => {
  const wf = loadWorkflow('test_gpu.yml');
  const [jobId] = Object.keys(wf.jobs);
  const job = wf.jobs[jobId];

  it('is reusable and can be started by hand, with a required tag', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['workflow_call', 'workflow_dispatch']);
    for (const trigger of ['workflow_call', 'workflow_dispatch']) {
      expect(wf.on[trigger].inputs.tag).toMatchObject({ type: 'string', required: true });
    }
  });

  it('runs on a self-hosted GPU runner', () => {
    expect([job['runs-on']].flat()).toEqual(expect.arrayContaining(['self-hosted', 'gpu']));
    expect(job.env?.TAG).toBe('${{ inputs.tag }}');
  });

  /** Runs every run: step in order (as GitHub would), with stub docker and nvidia-smi. */
  function runAll(tag: string) {
    const stub = stubBin(['docker', 'nvidia-smi']);
    const cwd = tmpDir('gpu');
    let env: Env = { ...(job.env ?? {}), TAG: tag };
    for (const step of stepsOf(job)) {
      if (!step.run) continue;
      const res = runScript(step.run, { ...env, ...(step.env ?? {}) }, { cwd, path: stub.bin });
      if (res.status !== 0) return { failedAt: stepLabel(step), calls: stub.calls(), cwd };
      env = { ...env, ...res.githubEnv };
    }
    return { failedAt: undefined, calls: stub.calls(), cwd };
  }

  it('pulls scipy-ml-notebook:<tag> and runs its workflow_tests with pytest on all GPUs', () => {
    const image = 'ghcr.io/ucsd-ets/scipy-ml-notebook:2026.3-main';
    const { failedAt, calls, cwd } = runAll('2026.3-main');
    expect(failedAt).toBeUndefined();
    const docker = calls.filter((c) => c[0] === 'docker');
    expect(docker[0]).toEqual(['docker', 'pull', image]);
    expect(docker).toContainEqual([
      'docker', 'run', '--rm', '--gpus', 'all',
      '-v', `${cwd}/images/scipy-ml-notebook/workflow_tests:/tests:ro`,
      image, 'python', '-m', 'pytest', '-v', '/tests',
    ]);
    expect(findIndex(job, usesAction('docker/login-action'), 'login')).toBeLessThan(
      findIndex(job, runs(/docker pull/), 'pull'),
    );
  });

  it.each(['', 'x y', '$(id)', 'a;b'])('rejects the tag %j before pulling anything', (tag) => {
    const { failedAt, calls } = runAll(tag);
    expect(failedAt).toBeDefined();
    expect(calls).toEqual([]);
  });
});

// ================================================================ push-wiki action

describe('.github/actions/push-wiki', () => {
  const action = loadAction('push-wiki');
  const step = action.runs.steps.find((s) => s.run) as Step;

  it('takes the commit message through env and runs in the wiki checkout', () => {
    expect(action.inputs?.message?.required).toBe(true);
    expect(step.env).toEqual({ COMMIT_MESSAGE: '${{ inputs.message }}' });
    expect(step['working-directory']).toBe('${{ inputs.path }}');
    expect(action.inputs?.path?.default).toBe('wiki');
  });

  /** A bare "remote" wiki with one page, and a clone of it. */
  function wikiClone() {
    const dir = tmpDir('wiki');
    const remote = path.join(dir, 'remote.git');
    const seed = path.join(dir, 'seed');
    git(dir, 'init', '-q', '--bare', remote);
    git(dir, 'clone', '-q', remote, seed);
    fs.writeFileSync(path.join(seed, 'Home.md'), '# Home\n');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'init');
    git(seed, 'push', '-q', 'origin', 'HEAD');
    const clone = path.join(dir, 'wiki');
    git(dir, 'clone', '-q', remote, clone);
    return { dir, remote, seed, clone };
  }

  it('commits the changes as the github-actions bot and pushes them', () => {
    const { remote, clone } = wikiClone();
    fs.appendFileSync(path.join(clone, 'Home.md'), '| 2026.3-main | ok |\n');
    fs.writeFileSync(path.join(clone, 'Stable_Tag.md'), 'stable\n');
    const res = runScript(step.run as string, { COMMIT_MESSAGE: 'Build $(touch pwned)' }, { cwd: clone });
    expect(res.status).toBe(0);
    expect(git(remote, 'log', '-1', '--format=%an|%s')).toBe('github-actions[bot]|Build $(touch pwned)');
    expect(git(remote, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'Home.md',
      'Stable_Tag.md',
    ]);
    expect(fs.existsSync(path.join(clone, 'pwned'))).toBe(false);
  });

  it('does nothing when the wiki is unchanged', () => {
    const { remote, clone } = wikiClone();
    const before = git(remote, 'rev-parse', 'HEAD');
    const res = runScript(step.run as string, { COMMIT_MESSAGE: 'nothing' }, { cwd: clone });
    expect(res.status).toBe(0);
    expect(git(remote, 'rev-parse', 'HEAD')).toBe(before);
  });

  it('rebases onto a wiki that another run pushed in the meantime', () => {
    const { remote, seed, clone } = wikiClone();
    fs.writeFileSync(path.join(seed, 'Other.md'), 'other\n');
    git(seed, 'add', '-A');
    git(seed, 'commit', '-q', '-m', 'other run');
    git(seed, 'push', '-q', 'origin', 'HEAD');
    fs.appendFileSync(path.join(clone, 'Home.md'), 'row\n');
    const res = runScript(step.run as string, { COMMIT_MESSAGE: 'mine' }, { cwd: clone });
    expect(res.status).toBe(0);
    expect(git(remote, 'log', '--format=%s').split('\n')).toEqual(['mine', 'other run', 'init']);
  }, 30_000);
});

describe('action-validator (the schemas of GitHub workflows and actions)', () => {
  const files = [
    ...fs.readdirSync(path.join(root, '.github/workflows')).map((file) => `.github/workflows/${file}`),
    '.github/actions/push-wiki/action.yml',
  ];

  test.each(files)('%s is valid', (file) => {
    const cli = path.join(root, 'node_modules/@action-validator/cli/cli.mjs');
    const res = spawnSync(process.execPath, [cli, file], { cwd: root, encoding: 'utf8' });
    expect(`${res.stdout}${res.stderr}`).not.toMatch(/error/i);
    expect(res.status).toBe(0);
  });

  test('rejects a workflow with an unknown key, so the check can fail', () => {
    const broken = path.join(os.tmpdir(), `broken-${process.pid}.yml`);
    fs.writeFileSync(broken, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n');
    try {
      const cli = path.join(root, 'node_modules/@action-validator/cli/cli.mjs');
      expect(spawnSync(process.execPath, [cli, broken], { encoding: 'utf8' }).status).not.toBe(0);
    } finally {
      fs.rmSync(broken, { force: true });
    }
  });
});
