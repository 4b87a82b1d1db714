/**
 * `nx serve <image>` through the nx CLI on the example stack against the real engine: it builds what it needs,
 * prints a URL on 127.0.0.1 that serves the image's page, and Ctrl-C (SIGINT to nx's process group) removes
 * the container.
 */
import type { ChildProcess } from 'node:child_process';
import { docker } from './support/docker';
import { ExampleStack } from './support/example-stack';
import { startNx, waitForOutput } from './support/workspace';

jest.setTimeout(600_000);

/** Containers (running or not) of the repository, whatever their tag. */
async function containersOf(repository: string): Promise<string[]> {
  const containers = await docker.listContainers({ all: true });
  return containers.filter((container) => container.Image.startsWith(`${repository}:`)).map((container) => container.Id);
}

describe('nx serve <image>', () => {
  let stack: ExampleStack;
  let nx: ChildProcess | undefined;

  beforeAll(() => {
    stack = new ExampleStack('serve');
  });

  afterAll(async () => {
    if (nx?.exitCode === null && nx.pid) {
      process.kill(-nx.pid, 'SIGKILL');
    }
    for (const id of await containersOf(stack.repository('example-r'))) {
      // It may be on its way out already (404).
      await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
    }
    await stack?.remove();
  });

  it('serves the page on a local port, and Ctrl-C removes the container', async () => {
    // Its own process group, as in a terminal: Ctrl-C reaches nx and its task processes together.
    const run = startNx(stack.ws, ['serve', 'example-r'], {}, { detached: true });
    nx = run.child;
    const [, url] = await waitForOutput(nx, /is serving at (http:\/\/127\.0\.0\.1:\d+\/\S*)/, 400);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<h1>example-r</h1>');
    const running = await containersOf(stack.repository('example-r'));
    expect(running).toHaveLength(1);
    expect((await docker.getContainer(running[0]).inspect()).State.Running).toBe(true);

    process.kill(-(nx.pid as number), 'SIGINT');
    await run.result;
    // The engine may finish removing the container a moment after nx exits: give it up to 15 s.
    for (let waited = 0; waited < 15_000 && (await containersOf(stack.repository('example-r'))).length > 0; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await containersOf(stack.repository('example-r'))).toEqual([]);
    await expect(fetch(url)).rejects.toThrow();
  });
});
