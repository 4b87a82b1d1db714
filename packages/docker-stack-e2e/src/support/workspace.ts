import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository this suite belongs to: its node_modules and plugin serve every temporary workspace. */
export const REPO_ROOT = resolve(__dirname, '../../../..');

/** The repository's nx CLI, which every workspace here runs. */
export const NX_CLI = join(REPO_ROOT, 'node_modules/nx/dist/bin/nx.js');

export interface NxResult {
  status: number;
  stdout: string;
  stderr: string;
  output: string;
}

/** A tsconfig.base.json for a workspace using the plugin through node_modules. */
export function pluginTsconfig(): object {
  return {
    extends: join(REPO_ROOT, 'tsconfig.base.json'),
    include: ['node_modules/@datahub/docker-stack/src/**/*.ts'],
    exclude: [],
  };
}

/** Newest modification time (ms) of the files under a folder; 0 when it does not exist. */
function newest(dir: string): number {
  if (!existsSync(dir)) {
    return 0;
  }
  return Math.max(0, ...readdirSync(dir, { recursive: true }).map((file) => statSync(join(dir, String(file))).mtimeMs));
}

/**
 * The plugin runs from its compiled JavaScript (packages/docker-stack/dist, built by `npm ci` and `npm test`):
 * compile it again when a source file is newer, so a suite run on its own never tests stale code.
 */
export function ensurePluginBuilt(): void {
  const plugin = join(REPO_ROOT, 'packages/docker-stack');
  if (newest(join(plugin, 'dist')) < Math.max(newest(join(plugin, 'src')), statSync(join(plugin, 'tsconfig.build.json')).mtimeMs)) {
    // The package's own script: it also copies the generators' templates into dist.
    execFileSync('npm', ['run', '--silent', 'compile'], { cwd: plugin, stdio: 'inherit' });
  }
}

/** Debian's interpreter has pytest and the Docker SDK (python3 on PATH may be another one). */
export const PYTHON = '/usr/bin/python3';

/**
 * A throw-away Nx workspace in a git repository: the given stack folder, an nx.json registering the plugin,
 * and the repository's node_modules. Each workspace has its own Nx cache folder, so runs never share a cache
 * unless a test asks for it.
 */
export class TempWorkspace {
  readonly root: string;

  constructor(name: string, pluginOptions: Record<string, unknown> = {}) {
    ensurePluginBuilt();
    this.root = mkdtempSync(join(tmpdir(), `stack-e2e-${name}-`));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(this.root, 'node_modules'));
    // Nx compiles the plugin's TypeScript with the workspace's tsconfig.base.json: point it at the plugin's sources.
    this.write('tsconfig.base.json', JSON.stringify(pluginTsconfig(), null, 2));
    this.write('package.json', JSON.stringify({ name: 'stack-e2e', private: true }, null, 2));
    this.write(
      'nx.json',
      JSON.stringify(
        {
          plugins: [{ plugin: '@datahub/docker-stack', options: { stackDir: 'images', python: PYTHON, ...pluginOptions } }],
          namedInputs: { default: ['{projectRoot}/**/*'] },
          cacheDirectory: '.nx/cache',
        },
        null,
        2,
      ),
    );
    this.write('.gitignore', 'node_modules\n.nx\nartifacts\nlogs\nmanifests\nwiki\n');
    this.write('.nxignore', 'images/README.md\n'); // the ChangeIgnore entry of the example stack
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'e2e@example.invalid');
    this.git('config', 'user.name', 'e2e');
  }

  path(relative: string): string {
    return join(this.root, relative);
  }

  write(relative: string, text: string): void {
    const file = this.path(relative);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }

  read(relative: string): string {
    return readFileSync(this.path(relative), 'utf8');
  }

  /** Copies a stack folder in as `images/`, replacing strings (e.g. the registry namespace) in every file. */
  copyStack(from: string, replacements: [string, string][] = []): void {
    cpSync(from, this.path('images'), { recursive: true, dereference: true });
    if (replacements.length === 0) {
      return;
    }
    const files = execFileSync('find', [this.path('images'), '-type', 'f'], { encoding: 'utf8' }).trim().split('\n');
    for (const file of files) {
      let text = readFileSync(file, 'utf8');
      for (const [before, after] of replacements) {
        text = text.split(before).join(after);
      }
      writeFileSync(file, text);
    }
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8', env: hostEnvWithoutLeaks() }).trim();
  }

  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Runs the real nx CLI in the workspace and waits for it (environment: nxEnvironment). */
  nx(args: string[], env: Record<string, string | undefined> = {}): NxResult {
    const result = spawnSync(process.execPath, [NX_CLI, ...args], {
      cwd: this.root,
      encoding: 'utf8',
      env: nxEnvironment(env),
      maxBuffer: 64 * 1024 * 1024,
    });
    return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}\n${result.stderr}` };
  }

  /** Like nx(), but fails the test with nx's output when the command fails. */
  nxOk(args: string[], env: Record<string, string | undefined> = {}): NxResult {
    const result = this.nx(args, env);
    if (result.status !== 0) {
      throw new Error(`nx ${args.join(' ')} exited ${result.status}:\n${result.output.slice(-6000)}`);
    }
    return result;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * The environment of every nx run here: the host's without its leaks, no Nx Cloud, no branch from the host's CI,
 * and never the daemon (with it, task output and cache messages reach the terminal differently, and the suites
 * parse that output); `env` adds to it.
 */
export function nxEnvironment(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const nxEnv = { ...hostEnvWithoutLeaks(), NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true', FORCE_COLOR: '0', GITHUB_HEAD_REF: '', GITHUB_REF_NAME: '', ...env };
  if (nxEnv.NX_DAEMON !== 'false') {
    throw new Error(`the suites parse nx output, which needs NX_DAEMON=false (got ${nxEnv.NX_DAEMON})`);
  }
  return nxEnv;
}

export interface RunningNx {
  child: ChildProcess;
  /** nx's output and exit status; a signal's death reads as a shell does, 128 + the signal's number. */
  result: Promise<NxResult>;
}

/**
 * TempWorkspace.nx without waiting: for runs beside others, or watched or signalled meanwhile. `detached` gives nx
 * a process group of its own, as in a terminal, so that a signal to the group reaches its task processes too.
 */
export function startNx(ws: TempWorkspace, args: string[], env: Record<string, string | undefined> = {}, options: { detached?: boolean } = {}): RunningNx {
  const child = spawn(process.execPath, [NX_CLI, ...args], { cwd: ws.root, env: nxEnvironment(env), detached: options.detached ?? false });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const result = new Promise<NxResult>((resolve) =>
    child.on('close', (code, signal) => {
      const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
      resolve({ status, stdout, stderr, output: `${stdout}\n${stderr}` });
    }),
  );
  return { child, result };
}

/**
 * The host environment minus what would make a test depend on the developer's machine: another repository
 * (`GIT_DIR`), Docker credentials (`DOCKER_CONFIG`), a remote Nx cache and registry credentials. A test that
 * wants one of these passes it explicitly.
 */
export function hostEnvWithoutLeaks(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !['GIT_DIR', 'DOCKER_CONFIG'].includes(name) && !/^(NX_SELF_HOSTED_REMOTE_CACHE_|REGISTRY_)/.test(name),
    ),
  );
}

/** How nx marks a task it took from a cache, after the task's `nx run` line. */
const FROM_CACHE = /\[(?:local cache|remote cache|existing outputs match the cache, left as is)\]/;

/** The tasks of one nx run, as "project:target", in order and once each: those taken from a cache, or the others. */
function tasks(result: NxResult, fromCache: boolean): string[] {
  const lines = [...result.output.matchAll(/nx run ([\w-]+:[\w-]+)(.*)$/gm)].filter((match) => FROM_CACHE.test(match[2]) === fromCache);
  return [...new Set(lines.map((match) => match[1]))];
}

/** The tasks nx really ran. */
export const ranTasks = (result: NxResult) => tasks(result, false);

/** The tasks nx took from a cache (local, remote, or outputs already in place). */
export const cachedTasks = (result: NxResult) => tasks(result, true);

/** A short random id for image names and tags, so runs on a shared engine never collide. */
export function uniqueId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Resolves with the first match of `pattern` in the process's output, failing with the output on exit or timeout. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, seconds: number): Promise<RegExpMatchArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${seconds}s:\n${output.slice(-4000)}`)), seconds * 1000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`nx exited (${code}) before ${pattern}:\n${output.slice(-4000)}`)));
  });
}
