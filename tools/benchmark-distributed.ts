/**
 * Wall time of the main job (build, test, push, manifest) on the example stack (tools/example-stack, 4 images in
 * 3 levels) on one agent and on three, each agent with a Docker engine of its own, sharing only a registry and
 * the remote Nx cache, scheduled by the e2e suite's stand-in for Nx Cloud (support/distributed-driver.ts);
 * plus the bytes each agent pulled from the registry. Every run starts from empty engines, registry and caches.
 * On this 2-core machine the figures show the overhead of distribution, not its speed-up.
 * Run: bash tools/benchmark-distributed.sh (needs tools/setup.sh first, and root for dockerd).
 */
import { join } from 'node:path';
import { CacheServer } from '../packages/docker-stack-e2e/src/support/cache-server';
import { Agent, readTaskGraph, rotate, runDistributed, type Assign, type TaskGraph } from '../packages/docker-stack-e2e/src/support/distributed-driver';
import { PrivateRegistry } from '../packages/docker-stack-e2e/src/support/private-registry';
import { REPO_ROOT, TempWorkspace, uniqueId } from '../packages/docker-stack-e2e/src/support/workspace';

const TARGETS = ['build', 'test', 'push', 'manifest'];

interface Scenario {
  label: string;
  agents: number;
  /** How tasks are spread; undefined: one plain `nx run-many --parallel=2` on the single agent. */
  spread?: 'image' | 'rotate';
}

interface Figures {
  seconds: number;
  tasks: number;
  pulledBytes: number[];
  servedBytes: number;
}

/** All the steps of an image on one agent, images spread round the agents (as Nx Cloud does when it can). */
function byImage(graph: TaskGraph, agents: number): Assign {
  const projects = [...new Set(Object.keys(graph).map((task) => task.split(':')[0]))];
  return (task) => projects.indexOf(task.split(':')[0]) % agents;
}

/**
 * Compressed bytes an agent pulled: the blobs of the images it holds but did not build, less the layers it
 * made itself (an image's layers beyond its parent's; the engine knows their blobs from pushing them). The total
 * over all agents is checked against the registry's access log.
 */
async function pulledBytes(agent: Agent, registry: PrivateRegistry, namespace: string, graph: TaskGraph, built: string[]): Promise<number> {
  const layers = async (image: string | undefined) =>
    image === undefined ? [] : (await registry.manifest(`${namespace}/${image}`, '2026.3-main')).layers;
  // `<image>:build` depends on `<parent>:test`.
  const parentOf = (image: string) => graph[`${image}:build`][0]?.split(':')[0];
  const made = new Set<string>();
  for (const image of built) {
    const inherited = new Set((await layers(parentOf(image))).map((layer) => layer.digest));
    (await layers(image)).filter((layer) => !inherited.has(layer.digest)).forEach((layer) => made.add(layer.digest));
  }
  const held = (await agent.engine.repositoriesUnder(`${registry.host}/${namespace}/`)).map((repository) => repository.split('/').pop() ?? '');
  const pulled = new Map<string, number>();
  for (const image of held.filter((name) => !built.includes(name))) {
    const { config, layers: blobs } = await registry.manifest(`${namespace}/${image}`, '2026.3-main');
    [config, ...blobs].filter((blob) => !made.has(blob.digest)).forEach((blob) => pulled.set(blob.digest, blob.size));
  }
  return [...pulled.values()].reduce((sum, size) => sum + size, 0);
}

async function run(scenario: Scenario): Promise<Figures> {
  const namespace = `bench-${uniqueId()}`;
  const registry = await PrivateRegistry.start();
  const cache = new CacheServer();
  await cache.start();
  const seed = new TempWorkspace('bench-dist-seed');
  const agents: Agent[] = [];
  try {
    seed.copyStack(join(REPO_ROOT, 'tools/example-stack/images'), [['127.0.0.1:5000/datahub-example/', `${registry.host}/${namespace}/`]]);
    seed.commit('example stack');
    for (let index = 0; index < scenario.agents; index++) {
      agents.push(await Agent.create(index, seed));
    }
    const graph = readTaskGraph(agents[0].ws, TARGETS);
    const started = Date.now();
    let assign: Assign = () => 0;
    if (scenario.spread) {
      assign = scenario.spread === 'image' ? byImage(graph, agents.length) : rotate(graph, TARGETS, agents.length);
      const report = await runDistributed(agents, graph, assign, cache.env());
      const failed = report.runs.filter((taskRun) => taskRun.status !== 0);
      if (failed.length > 0) {
        throw new Error(`${failed[0].task} failed on agent ${failed[0].agent}:\n${failed[0].output.slice(-3000)}`);
      }
    } else {
      const result = await agents[0].nx(['run-many', '-t', ...TARGETS, '--parallel=2']);
      if (result.status !== 0) {
        throw new Error(result.output.slice(-3000));
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const builtOn = (agent: Agent) => Object.keys(graph).filter((task) => task.endsWith(':build') && assign(task) === agent.index).map((task) => task.split(':')[0]);
    const pulled = await Promise.all(agents.map((agent) => pulledBytes(agent, registry, namespace, graph, builtOn(agent))));
    return { seconds, tasks: Object.keys(graph).length, pulledBytes: pulled, servedBytes: registry.blobBytesServed() };
  } finally {
    await Promise.all(agents.map((agent) => agent.remove()));
    await cache.stop();
    await registry.stop();
    seed.remove();
  }
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;

async function main(): Promise<void> {
  const scenarios: Scenario[] = [
    { label: '1 agent, one nx run-many --parallel=2', agents: 1 },
    { label: '1 agent, one nx run per task', agents: 1, spread: 'image' },
    { label: '3 agents, each image\'s steps on one agent', agents: 3, spread: 'image' },
    { label: '3 agents, each step of an image elsewhere', agents: 3, spread: 'rotate' },
  ];
  console.log(`example stack: 4 images, 3 levels; ${TARGETS.join(' + ')}; every agent with its own dockerd`);
  console.log('| run | wall time | pulled per agent (compressed) | pulled, all agents | registry served |');
  console.log('|---|---|---|---|---|');
  for (const scenario of scenarios) {
    const figures = await run(scenario);
    const total = figures.pulledBytes.reduce((sum, bytes) => sum + bytes, 0);
    console.log(`| ${scenario.label} | ${figures.seconds.toFixed(1)} s | ${figures.pulledBytes.map(kB).join(', ')} | ${kB(total)} | ${kB(figures.servedBytes)} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
