import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import Docker from 'dockerode';

/**
 * A second dockerd with nothing in it (no images, no build cache): a "later runner" on this machine. It has its
 * own socket, data, exec root, pid file and bridge (never the host's docker0), and no iptables rules; stop()
 * ends only the process started here and deletes the bridge.
 */
export class SecondEngine {
  readonly dir = mkdtempSync('/tmp/bk-engine-');
  readonly host = `unix://${this.dir}/docker.sock`;
  readonly docker = new Docker({ socketPath: `${this.dir}/docker.sock` });
  private readonly bridge = `bk${Math.random().toString(36).slice(2, 10)}`;
  private process?: ChildProcess;

  async start(): Promise<void> {
    execFileSync('ip', ['link', 'add', this.bridge, 'type', 'bridge']);
    execFileSync('ip', ['addr', 'add', `172.31.${Math.floor(Math.random() * 250) + 2}.1/24`, 'dev', this.bridge]);
    execFileSync('ip', ['link', 'set', this.bridge, 'up']);
    const dir = this.dir;
    this.process = spawn(
      'dockerd',
      [`--host=${this.host}`, `--data-root=${dir}/data`, `--exec-root=${dir}/exec`, `--pidfile=${dir}/docker.pid`, '--iptables=false', `--bridge=${this.bridge}`],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 120; attempt++) {
      if (await this.docker.ping().then(() => true, () => false)) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the second dockerd at ${this.host} did not answer within 30 s`);
  }

  /** Copies an image of the main engine in (docker save | docker load). */
  copyImage(reference: string): void {
    execFileSync('sh', ['-c', `docker save "$1" | docker -H "$2" load -q`, 'sh', reference, this.host], { stdio: 'ignore' });
  }

  async stop(): Promise<void> {
    const running = this.process;
    if (running && running.exitCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    }
    spawnSync('ip', ['link', 'delete', this.bridge]); // may not exist when start() failed early
    rmSync(this.dir, { recursive: true, force: true });
  }
}
