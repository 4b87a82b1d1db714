import { logger, type ExecutorContext } from '@nx/devkit';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { withStackDefaults } from '../../defaults';
import { DockerEngine } from '../../docker/docker-engine';
import { ServedContainer } from '../../docker/served-container';
import { ensureBuilt } from '../../pipeline/built-image';
import { imageTask, StepLog } from '../../pipeline/step';
import type { ServeExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export function normalizeOptions(options: ServeExecutorOptions) {
  return {
    ...withStackDefaults(options),
    port: options.port ?? 0,
    containerPort: options.containerPort,
    token: options.token ?? randomBytes(24).toString('hex'),
    timeoutSeconds: options.timeout ?? 180,
  };
}

/** Polls until the port gives any HTTP answer (docker-proxy accepts TCP before the server listens). */
async function waitUntilAnswering(served: ServedContainer, timeoutSeconds: number, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${served.hostPort}/`, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
      return;
    } catch {
      const state = await served.state();
      if (!state.running) {
        throw new Error(`the container stopped (exit code ${state.exitCode}) before its port answered; its output:\n${logs().slice(-2000)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`port ${served.hostPort} did not answer within ${timeoutSeconds}s (set --timeout)`);
      }
      await sleep(300);
    }
  }
}

/** The URL to open: with the token the server printed, else ours for a notebook image (its command or env says so). */
export function serveUrl(hostPort: number, config: { cmd: string[]; env: string[] }, token: string, logs: string): string {
  const printed = /[?&]token=([\w-]+)/.exec(logs)?.[1];
  const notebook = /jupyter|notebook/i.test([...config.cmd, ...config.env].join(' '));
  const shown = printed ?? (notebook ? token : undefined);
  return `http://127.0.0.1:${hostPort}/${shown ? `?token=${shown}` : ''}`;
}

/**
 * `nx serve <image>`: the built image with its usual command on a free 127.0.0.1 port until Ctrl-C (SIGINT) or
 * SIGTERM, which remove the container; so does the container stopping by itself.
 */
export default async function serveExecutor(raw: ServeExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const options = normalizeOptions(raw);
  const name = context.projectName ?? '';
  let served: ServedContainer | undefined;
  let stopping = false;
  const stop = () => {
    stopping = true;
    void served?.remove();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const task = imageTask(context.root, options.stackDir, name, new StepLog());
    await ensureBuilt(task, await DockerEngine.connect());
    served = await ServedContainer.start({
      reference: task.reference,
      image: name,
      hostPort: options.port,
      containerPort: options.containerPort,
      env: [`JUPYTER_TOKEN=${options.token}`],
    });
    if (stopping) {
      return { success: true };
    }
    let logs = '';
    await served.followLogs((text) => {
      logs += text;
      process.stdout.write(text);
    });
    await waitUntilAnswering(served, options.timeoutSeconds, () => logs);
    logger.info(`\n${name} (${task.reference}) is serving at ${serveUrl(served.hostPort, served.config, options.token, logs)}\nPress Ctrl-C to stop it and remove the container.\n`);
    const exitCode = await served.wait();
    return { success: stopping || exitCode === 0 };
  } catch (error) {
    if (stopping) {
      return { success: true };
    }
    logger.error(`${name}:serve failed: ${(error as Error).message}`);
    return { success: false };
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await served?.remove();
  }
}
