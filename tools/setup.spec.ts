/**
 * tools/setup.sh uses what is already there. These tests run it where it can install and start nothing: a PATH
 * of symlinks with no apt-get, dpkg-query, dockerd or docker-registry, against the shared engine and registry.
 * It runs from a scratch workspace (tools/ linked to this repo's scripts) whose node_modules stamp is up to date,
 * so it never runs npm ci and never shares the repo's set-up lock.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const repo = join(__dirname, '..');
// What setup.sh and make-base-image.sh call (python3 is linked on its own), and nothing that installs or serves.
const TOOLS = ['bash', 'env', 'cat', 'cp', 'chmod', 'chown', 'dirname', 'grep', 'id', 'ldd', 'ln', 'mkdir', 'mktemp',
  'nohup', 'rm', 'seq', 'setsid', 'sleep', 'tail', 'tar', 'touch', 'flock', 'curl', 'docker', 'git', 'node', 'npm', 'npx'];
const FORBIDDEN = ['apt-get', 'dpkg-query', 'dockerd', 'docker-registry'];

let ws: string;
let bin: string;

function onPath(tool: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return join(dir, tool);
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${tool} is not on PATH; the test needs it to build its own PATH`);
}

function writeNxJson(python: string): void {
  const plugins = [{ plugin: '@datahub/docker-stack', options: { stackDir: 'images', python } }];
  writeFileSync(join(ws, 'nx.json'), JSON.stringify({ plugins }));
}

function runSetup(env: NodeJS.ProcessEnv = {}) {
  return spawnSync(join(bin, 'bash'), [join(ws, 'tools/setup.sh')], {
    env: { ...process.env, PATH: bin, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'setup-spec-'));
  bin = join(ws, 'bin');
  mkdirSync(bin);
  for (const tool of TOOLS) symlinkSync(onPath(tool), join(bin, tool));
  // Debian's interpreter has pytest, docker and requests (the e2e suites rely on it too).
  symlinkSync('/usr/bin/python3', join(bin, 'python3'));
  mkdirSync(join(ws, 'tools'));
  for (const script of ['setup.sh', 'make-base-image.sh']) symlinkSync(join(repo, 'tools', script), join(ws, 'tools', script));
  // node_modules newer than package-lock.json: setup.sh sees it up to date.
  writeFileSync(join(ws, 'package-lock.json'), '{}');
  utimesSync(join(ws, 'package-lock.json'), new Date(0), new Date(0));
  mkdirSync(join(ws, 'node_modules'));
  writeFileSync(join(ws, 'node_modules/.package-lock.json'), '{}');
});

afterAll(() => rmSync(ws, { recursive: true, force: true }));

it('the PATH the tests give setup.sh has no package manager and no servers to start', () => {
  const found = spawnSync(join(bin, 'bash'), ['-c', `command -v ${FORBIDDEN.join(' ')}`], { env: { PATH: bin }, encoding: 'utf8' });
  expect(found.stdout).toBe('');
  expect(found.status).not.toBe(0);
});

it('succeeds with the running engine, registry and a Python that has the modules, with no dpkg-query or apt-get', () => {
  writeNxJson('python3');
  const run = runSetup();
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('setup: docker engine reachable');
  expect(run.stdout).toContain('setup: registry answering on 127.0.0.1:5000');
  expect(run.stdout).toContain('setup: Python "python3" has pytest docker requests');
  expect(run.stdout).toContain('setup: node_modules up to date');
  expect(run.stdout).toMatch(/setup: ready\n$/);
  expect(run.stdout).not.toMatch(/installed|started|ran npm ci/);
}, 120_000);

it('names an unreachable DOCKER_HOST and how to fix it, and exits 1', () => {
  writeNxJson('python3');
  const dead = `unix://${ws}/dead.sock`;
  const run = runSetup({ DOCKER_HOST: dead });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(`setup: missing: a Docker engine at DOCKER_HOST=${dead} (`);
  expect(run.stderr).toContain('setup: to provide it: start the engine DOCKER_HOST names, or unset DOCKER_HOST');
  expect(run.stdout).not.toContain('setup: ready');
});

it('names the Python modules the configured interpreter lacks and how to install them, and exits 1', () => {
  // -S hides site-packages, where pytest, docker and requests live.
  const bare = join(bin, 'python-bare');
  writeFileSync(bare, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
  writeNxJson(bare);
  const run = runSetup();
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(`setup: missing: Python modules pytest docker requests for ${bare} (the plugin's "python" option in nx.json`);
  expect(run.stderr).toContain(`setup: to provide it: ${bare} -m pip install pytest docker requests`);
  expect(run.stdout).not.toContain('setup: ready');
}, 120_000);
