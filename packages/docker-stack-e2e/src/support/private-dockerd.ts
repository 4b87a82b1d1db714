/**
 * A Docker engine of the test's own, beside the shared one: its own socket, data root, exec root, pid file and
 * bridge, so it sees none of the shared engine's images and the shared engine sees none of its. It is of the kind
 * under test (engine-under-test.ts): on tools/engines.sh's Docker 28 it runs those binaries, that image store and a
 * containerd 2 of its own. Never `--bridge=none`: a second engine started that way deletes the host's docker0.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { docker as sharedDocker } from './docker';
import { checkEngine, engineUnderTest, type EngineUnderTest } from './engine-under-test';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The image every stack here is built on (tools/make-base-image.sh). */
export const BASE_IMAGE = 'datahub-example-base:busybox';

/** Waits until `check` passes, twice a second, for up to `seconds`; false on time-out. */
export async function waitUntil(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  for (let tries = seconds * 2; tries > 0; tries--) {
    if (await check().catch(() => false)) {
      return true;
    }
    await sleep(500);
  }
  return false;
}

/** Runs `ip` (iproute2); a bridge needs root, as dockerd does. */
function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Creates a bridge on an unused 172.31.N.0/24 (N random): another test may be making bridges at the same time. */
function createBridge(name: string): void {
  ip('link', 'add', name, 'type', 'bridge');
  for (let attempt = 0; attempt < 20; attempt++) {
    const subnet = `172.31.${64 + Math.floor(Math.random() * 190)}`;
    if (ip('-o', '-4', 'addr').includes(`${subnet}.`)) {
      continue;
    }
    try {
      ip('addr', 'add', `${subnet}.1/24`, 'dev', name);
      ip('link', 'set', name, 'up');
      return;
    } catch {
      // taken meanwhile: try another
    }
  }
  ip('link', 'del', name);
  throw new Error(`no free 172.31.N.0/24 subnet for bridge ${name}`);
}

/** Ends a child as a service manager does: SIGTERM, then SIGKILL after 30 s. */
async function terminate(child: ChildProcess | undefined): Promise<void> {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    if (!(await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]))) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

export class PrivateDockerd {
  /** A dockerode client of this engine. */
  readonly docker: Docker;
  /** `unix://…/docker.sock`: what DOCKER_HOST must say for the pipeline (and pytest) to use this engine. */
  readonly host: string;
  private process?: ChildProcess;
  private containerd?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly bridge: string,
    readonly kind: EngineUnderTest,
  ) {
    this.host = `unix://${join(dir, 'docker.sock')}`;
    this.docker = new Docker({ socketPath: join(dir, 'docker.sock') });
  }

  /** Starts an engine and waits until it answers; stops and cleans it up again if it does not come up right. */
  static async start(): Promise<PrivateDockerd> {
    // Short paths: containerd's sockets live under the exec root, and a socket path has at most 107 bytes.
    const engine = new PrivateDockerd(mkdtempSync('/tmp/pd-'), `pd${Math.random().toString(36).slice(2, 10)}`, engineUnderTest());
    try {
      createBridge(engine.bridge);
      engine.startContainerd();
      await engine.launch();
    } catch (error) {
      await engine.stop();
      throw error;
    }
    return engine;
  }

  /** Spawns one of the engine's programs with its output in `<name>.log`, from the kind's binaries. */
  private spawnLogged(program: string, args: string[]): ChildProcess {
    const log = openSync(join(this.dir, `${program}.log`), 'a');
    const env = this.kind.binaries ? { ...process.env, PATH: `${this.kind.binaries}:${process.env.PATH}` } : process.env;
    const child = spawn(program, args, { stdio: ['ignore', log, log], env });
    closeSync(log);
    return child;
  }

  /** dockerd 28 would otherwise use the host's containerd 1.6: a Docker 28 engine runs containerd 2 of its own. */
  private startContainerd(): void {
    if (this.kind.daemonConfig) {
      writeFileSync(join(this.dir, 'daemon.json'), JSON.stringify(this.kind.daemonConfig));
      const at = (name: string) => join(this.dir, name);
      this.containerd = this.spawnLogged('containerd', ['--address', at('containerd.sock'), '--root', at('containerd'), '--state', at('containerd-state')]);
    }
  }

  private async launch(): Promise<void> {
    const args = [
      `--host=${this.host}`,
      `--data-root=${join(this.dir, 'data')}`,
      `--exec-root=${join(this.dir, 'exec')}`,
      `--pidfile=${join(this.dir, 'docker.pid')}`,
      '--iptables=false',
      `--bridge=${this.bridge}`,
      ...(this.containerd ? [`--containerd=${join(this.dir, 'containerd.sock')}`, `--config-file=${join(this.dir, 'daemon.json')}`] : []),
    ];
    this.process = this.spawnLogged('dockerd', args);
    const exited = new Promise<boolean>((resolve) => this.process?.once('exit', () => resolve(false)));
    const up = await Promise.race([waitUntil(async () => Boolean(await this.docker.ping()), 60), exited]);
    if (!up) {
      throw new Error(`dockerd on ${this.host} did not come up; its log:\n${this.logTail()}`);
    }
    await checkEngine(this.docker, this.host, this.kind);
  }

  logTail(): string {
    return readFileSync(join(this.dir, 'dockerd.log'), 'utf8').split('\n').slice(-30).join('\n');
  }

  env(): Record<string, string> {
    return { DOCKER_HOST: this.host };
  }

  /** Copies an image from the shared engine into this one (`docker save | docker load`): nothing here can be pulled. */
  async loadFromShared(reference = BASE_IMAGE): Promise<void> {
    const progress = await this.docker.loadImage(await sharedDocker.getImage(reference).get());
    await new Promise((resolve, reject) => this.docker.modem.followProgress(progress, (error) => (error ? reject(error) : resolve(undefined))));
  }

  /** The repositories (names without tag) this engine holds under a prefix, sorted. */
  async repositoriesUnder(prefix: string): Promise<string[]> {
    const tags = (await this.docker.listImages()).flatMap((image) => image.RepoTags ?? []).filter((tag) => tag.startsWith(prefix));
    return [...new Set(tags.map((tag) => tag.slice(0, tag.lastIndexOf(':'))))].sort();
  }

  /**
   * Stops the engine as a service manager does (SIGTERM, then SIGKILL after 30 s) and keeps its socket path, data
   * root, containerd and bridge: `startAgain()` then restarts it, as `systemctl restart docker` does to a runner's engine.
   */
  halt(): Promise<void> {
    return terminate(this.process);
  }

  /** Starts a halted engine again with the arguments it first had. */
  startAgain(): Promise<void> {
    return this.launch();
  }

  /** Stops the engine, deletes its bridge and every file it had. */
  async stop(): Promise<void> {
    await this.halt();
    await terminate(this.containerd);
    try {
      ip('link', 'del', this.bridge);
    } catch {
      // never created
    }
    // A killed engine can leave its overlay mounts behind; rm cannot delete through them.
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '');
    for (const mount of mounts.filter((path) => path.startsWith(`${this.dir}/`)).reverse()) {
      execFileSync('umount', ['-l', mount]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
