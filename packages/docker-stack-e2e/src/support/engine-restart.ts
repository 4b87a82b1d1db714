/**
 * Stopping and starting a PrivateDockerd again on the same data root, socket and bridge, as `systemctl restart
 * docker` does to a runner's engine. Kept apart from private-dockerd.ts, which another suite owns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil, type PrivateDockerd } from './private-dockerd';

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the engine with SIGTERM, as a service manager does, and waits until it has exited (its files stay). */
export async function stopEngine(engine: PrivateDockerd): Promise<void> {
  const pid = Number(readFileSync(join(engine.dir, 'docker.pid'), 'utf8'));
  process.kill(pid, 'SIGTERM');
  if (!(await waitUntil(async () => !running(pid), 60))) {
    throw new Error(`dockerd ${pid} (${engine.host}) did not stop within 60 s`);
  }
}

/**
 * Starts the engine again with the arguments it first had. PrivateDockerd owns those arguments in its private
 * launch(); it is called through a cast rather than copied, and it records the new process, so stop() still ends it.
 */
export async function startEngineAgain(engine: PrivateDockerd): Promise<void> {
  await (engine as unknown as { launch(): Promise<void> }).launch();
}
