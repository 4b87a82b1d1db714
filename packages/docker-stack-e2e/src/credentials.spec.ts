/**
 * Credentials end to end: the real pipeline (nx CLI, engine, pytest) pushes to and promotes in a registry of the
 * test's own that requires a password (Debian's docker-registry, htpasswd auth, plain HTTP on loopback; dockerd
 * sends Basic auth there, 127.0.0.0/8 being an insecure registry). The password is recognisable, and every file the
 * run leaves, nx's output and the argv of every process the run starts are searched for it.
 */
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeImagesUnder } from './support/docker';
import { PrivateRegistry } from './support/private-registry';
import { writeTinyStack } from './support/tiny-stack';
import { startNx, TempWorkspace, uniqueId, type NxResult } from './support/workspace';

jest.setTimeout(600_000);

const id = uniqueId();
const USER = 'e2e-user';
const PASSWORD = `FakePw-${id}-Zx9`;
const WRONG = `WrongPw-${id}-Qy7`;
const FORBIDDEN = [PASSWORD, WRONG, Buffer.from(`${USER}:${PASSWORD}`).toString('base64'), Buffer.from(`${USER}:${WRONG}`).toString('base64')];

/** pid -> parent pid of every process now running. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // `pid (comm) state ppid …`; comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      map.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  return map;
}

/**
 * Hooks that make every node and python process of a run write its own argv (from /proc/self/cmdline) to a log
 * as it starts: nx, its task processes and pytest are recorded whatever the machine's load, where a poll can miss
 * a short-lived process.
 */
function argvRecorder(): { env: Record<string, string>; recorded: () => string[]; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-argv-'));
  const log = join(dir, 'argv.log');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'record-argv.cjs'),
    `require('node:fs').appendFileSync(${JSON.stringify(log)}, require('node:fs').readFileSync('/proc/self/cmdline', 'utf8').replace(/\\0/g, ' ') + '\\n');\n`,
  );
  writeFileSync(
    join(dir, 'sitecustomize.py'),
    `with open('/proc/self/cmdline', 'rb') as cmdline, open(${JSON.stringify(log)}, 'a') as log:\n    log.write(cmdline.read().replace(b'\\0', b' ').decode() + '\\n')\n`,
  );
  return {
    env: { NODE_OPTIONS: `--require ${join(dir, 'record-argv.cjs')}`, PYTHONPATH: dir },
    recorded: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

interface WatchedRun extends NxResult {
  /** The argv of every node and python process of the run, each written by the process itself as it started. */
  recorded: string[];
  /** The argv of nx and the processes under it seen by a poll: the net for the others (git, shells, helpers). */
  polled: string[];
}

/** Runs nx like TempWorkspace.nx, collecting the argv of nx and every process under it. */
async function nxWatched(ws: TempWorkspace, args: string[], env: Record<string, string>): Promise<WatchedRun> {
  const recorder = argvRecorder();
  const { child, result } = startNx(ws, args, { ...recorder.env, ...env });
  // Every argv seen, not the last per pid: an exec changes it, and a zombie's reads as ''.
  const polled = new Set<string>();
  const ours = new Set([child.pid!]);
  // The poll covers what the hooks do not (git, shells, credential helpers), 20 times a second.
  const poll = setInterval(() => {
    for (const [pid, parent] of parents()) {
      if (ours.has(parent)) ours.add(pid);
    }
    for (const pid of ours) {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
        if (argv !== '') polled.add(argv);
      } catch {
        // exited
      }
    }
  }, 50);
  const run = await result;
  clearInterval(poll);
  const recorded = recorder.recorded();
  recorder.remove();
  return { ...run, recorded, polled: [...polled] };
}

/** Every file under the workspace (artifacts/, logs/, manifests/, wiki/, .nx/ and the rest; not node_modules). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || lstatSync(path).isSymbolicLink()) return [];
    return lstatSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function expectNoSecret(ws: TempWorkspace, ...runs: WatchedRun[]): void {
  const leaks: string[] = [];
  const check = (where: string, text: string) => FORBIDDEN.filter((secret) => text.includes(secret)).forEach(() => leaks.push(where));
  filesUnder(ws.root).forEach((file) => check(file, readFileSync(file, 'latin1')));
  for (const run of runs) {
    check('nx output', run.output);
    [...run.recorded, ...run.polled].forEach((argv) => check(`argv: ${argv.slice(0, 80)}`, argv));
  }
  expect(leaks).toEqual([]);
}

describe('registry credentials', () => {
  let registry: PrivateRegistry;
  let ws: TempWorkspace;
  let dockerConfig: string;
  let repository: string;
  const registryEnv = () => ({ DOCKER_CONFIG: dockerConfig, REGISTRY_HOST: registry.host, REGISTRY_USERNAME: USER });

  beforeAll(async () => {
    registry = await PrivateRegistry.start(undefined, { htpasswd: { username: USER, password: PASSWORD } });
    repository = `${registry.host}/cred-${id}/cred-img`;
    dockerConfig = mkdtempSync(join(tmpdir(), 'e2e-docker-config-'));
    ws = new TempWorkspace('credentials');
    writeTinyStack(ws, { 'cred-img': repository });
    // A promotion links the wiki rows to the repository: its address comes from the origin remote here.
    ws.git('remote', 'add', 'origin', 'https://github.com/ucsd-ets/datahub-docker-stack.git');
    ws.commit('tiny stack');
  });

  afterAll(async () => {
    await removeImagesUnder(`${registry.host}/`);
    await registry.stop();
    rmSync(dockerConfig, { recursive: true, force: true });
    ws?.remove();
  });

  it('refuses anonymous access (the registry really needs the password)', async () => {
    expect((await fetch(`http://${registry.host}/v2/`)).status).toBe(401);
  });

  it('pushes and promotes with REGISTRY_USERNAME/PASSWORD scoped to REGISTRY_HOST; the password is in no file, output or argv', async () => {
    const env = { ...registryEnv(), REGISTRY_PASSWORD: PASSWORD };
    const push = await nxWatched(ws, ['run-many', '-t', 'push', 'manifest'], env);
    expect(push.status).toBe(0);
    // The watch saw the run's processes: nx, its task processes and pytest.
    expect(push.recorded.some((argv) => argv.includes('nx.js run-many'))).toBe(true);
    expect(push.recorded.some((argv) => argv.includes('-m pytest'))).toBe(true);
    expect(push.polled.some((argv) => argv.includes('nx.js run-many'))).toBe(true);
    const promote = await nxWatched(ws, ['run', 'stack:promote', '--tag=2026.3-main'], env);
    expect(promote.status).toBe(0);
    const main = await registry.manifest(`cred-${id}/cred-img`, '2026.3-main');
    expect(await registry.manifest(`cred-${id}/cred-img`, '2026.3-stable')).toEqual(main);
    expectNoSecret(ws, push, promote);
  });

  it('gets the password from a credential helper (credHelpers) through the helper protocol', async () => {
    const helperDir = mkdtempSync(join(tmpdir(), 'e2e-helper-'));
    const calls = join(helperDir, 'calls.log');
    // The fake helper logs argv and stdin, and answers only for the test's registry.
    writeFileSync(
      join(helperDir, 'docker-credential-test'),
      `#!/bin/sh\nurl=$(cat)\necho "$* <$url>" >> ${calls}\n[ "$url" = "${registry.host}" ] || { echo "credentials not found"; exit 1; }\n` +
        `echo '{"ServerURL":"${registry.host}","Username":"${USER}","Secret":"${PASSWORD}"}'\n`,
    );
    chmodSync(join(helperDir, 'docker-credential-test'), 0o755);
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'test' } }));
    try {
      const env = { DOCKER_CONFIG: dockerConfig, PATH: `${helperDir}:${process.env.PATH}`, GITHUB_REF_NAME: 'helper' };
      // A promotion needs each image's manifest page, as in CI.
      const push = await nxWatched(ws, ['run-many', '-t', 'push', 'manifest'], env);
      expect(push.status).toBe(0);
      const promote = await nxWatched(ws, ['run', 'stack:promote', '--tag=2026.3-helper'], env);
      expect(promote.status).toBe(0);
      expect(await registry.manifest(`cred-${id}/cred-img`, '2026.3-helper')).toBeDefined();
      expect(new Set(readFileSync(calls, 'utf8').trim().split('\n'))).toEqual(new Set([`get <${registry.host}>`]));
      expectNoSecret(ws, push, promote);
    } finally {
      rmSync(join(dockerConfig, 'config.json'), { force: true });
      rmSync(helperDir, { recursive: true, force: true });
    }
  });

  it('fails a wrong password with a clear message that holds no secret, on push and on promotion', async () => {
    // No REGISTRY_HOST: the env credentials go to the registry all the stack's images share (so the 401 is theirs).
    const env = { DOCKER_CONFIG: dockerConfig, REGISTRY_USERNAME: USER, REGISTRY_PASSWORD: WRONG, GITHUB_REF_NAME: 'wrong' };
    const push = await nxWatched(ws, ['run-many', '-t', 'push'], env);
    expect(push.status).not.toBe(0);
    // The engine's own words: `unauthorized: …` (classic image store), `… 401 Unauthorized` (containerd store).
    expect(push.output).toMatch(new RegExp(`cred-img:push failed: push ${repository}:2026.3-wrong failed after 1 attempt: .*[Uu]nauthorized.*check the registry credentials for ${registry.host}`));
    const promote = await nxWatched(ws, ['run', 'stack:promote', '--tag=2026.3-main'], env);
    expect(promote.status).not.toBe(0);
    expect(promote.output).toContain(`${registry.host}/cred-${id}/cred-img:2026.3-main: reading the manifest failed: HTTP 401; check the registry credentials`);
    expectNoSecret(ws, push, promote);
  });
});
