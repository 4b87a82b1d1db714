/**
 * One stack built on three agents, as Nx Cloud's distributed task execution would run it: each agent a separate
 * clone with a Docker engine of its own, sharing only a registry of the test's own and the remote Nx cache (a
 * loopback server speaking Nx's self-hosted cache protocol). support/distributed-driver.ts stands in for Nx
 * Cloud's scheduling. Compared with a single-machine run of the same stack on an engine of its own.
 */
import { CacheServer } from './support/cache-server';
import { Agent, readTaskGraph, rotate, runDistributed, type DriverReport, type TaskGraph } from './support/distributed-driver';
import { GENERATED_REGISTRY, imageFileOf, writeGeneratedStack, type GeneratedSpec } from './support/generated-stack';
import { BASE_IMAGE } from './support/private-dockerd';
import { PrivateRegistry } from './support/private-registry';
import { ranTasks, TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(900_000);

const TARGETS = ['build', 'test', 'push'];
const BRANCH_TAG = '2026.3-main';
const namespace = `dist-${uniqueId()}`;

describe('one stack on three agents that share only a registry and the remote Nx cache', () => {
  const cache = new CacheServer();
  let registry: PrivateRegistry;
  let seed: TempWorkspace;
  let spec: GeneratedSpec;
  let agents: Agent[] = [];
  let graph: TaskGraph;
  let singleMachine: Record<string, string>;

  const images = () => [...spec.keys()];
  const repository = (image: string) => `${registry.host}/${namespace}/${image}`;
  const assign = () => rotate(graph, TARGETS, agents.length);

  /**
   * Which tags exist and which of them share a manifest. Two builds of the same inputs differ in their creation
   * times, so digests cannot match between runs; the tag names can (content tags are Nx hashes), and so can the
   * way tags group by digest. Each tag maps to the first tag (in sorted order) with the same digest.
   */
  async function registryState(): Promise<Record<string, string>> {
    const digests = await registry.tagDigests(namespace);
    const names = [...digests.keys()].sort();
    const first = new Map<string, string>();
    names.forEach((name) => first.has(digests.get(name) ?? '') || first.set(digests.get(name) ?? '', name));
    return Object.fromEntries(names.map((name) => [name, first.get(digests.get(name) ?? '') ?? '']));
  }

  /** Every child's manifest starts with all of its parent's layers, blob for blob: it was built on that very image. */
  async function expectChildrenOnTheirParents(): Promise<void> {
    for (const [image, parent] of spec) {
      if (parent !== undefined) {
        const parentLayers = (await registry.manifest(`${namespace}/${parent}`, BRANCH_TAG)).layers.map((layer) => layer.digest);
        const layers = (await registry.manifest(`${namespace}/${image}`, BRANCH_TAG)).layers.map((layer) => layer.digest);
        expect(layers.slice(0, parentLayers.length)).toEqual(parentLayers);
      }
    }
  }

  /** `image:target@agent` for every task that really ran in the report. */
  const ranOn = (report: DriverReport, target: string) =>
    report.runs.flatMap((run) => run.executed.filter((task) => task.endsWith(`:${target}`)).map((task) => `${task}@${run.agent}`)).sort();

  const failures = (report: DriverReport) => report.runs.filter((run) => run.status !== 0);

  beforeAll(async () => {
    registry = await PrivateRegistry.start();
    await cache.start();
    seed = new TempWorkspace('dist-seed');
    // The generated stack, in this test's registry and namespace, on the local base image.
    const target = `${registry.host}/${namespace}`;
    const write = (path: string, text: string) => seed.write(path, text.split(GENERATED_REGISTRY).join(target).replace(/^FROM busybox:\S+$/m, `FROM ${BASE_IMAGE}`));
    spec = writeGeneratedStack({ write }, { levels: [1, 2, 2] });
    seed.commit('a root, two children, a grandchild under each');
    for (let index = 0; index < 3; index++) {
      agents.push(await Agent.create(index, seed));
    }
    graph = readTaskGraph(agents[0].ws, TARGETS);
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.remove()));
    await registry?.stop();
    await cache.stop();
    seed?.remove();
  });

  it('a single-machine run, for reference, then an empty registry under the same name', async () => {
    const single = await Agent.create(0, seed);
    try {
      const result = await single.nx(['run-many', '-t', ...TARGETS, '--parallel=2']);
      expect(result.status).toBe(0);
      expect(ranTasks(result).filter((task) => task.endsWith(':build')).sort()).toEqual(images().map((image) => `${image}:build`).sort());
      singleMachine = await registryState();
      expect(Object.keys(singleMachine)).toHaveLength(2 * spec.size);
      await expectChildrenOnTheirParents();
    } finally {
      await single.remove();
    }
    const port = registry.port;
    await registry.stop();
    registry = await PrivateRegistry.start(port);
    expect(await registry.tagDigests(namespace)).toEqual(new Map());
  });

  it('builds each image once, on its parent\'s very image, and leaves the registry as one machine would', async () => {
    const report = await runDistributed(agents, graph, assign(), cache.env());
    expect(failures(report).map((run) => run.output.slice(-3000))).toEqual([]);
    expect(report.skipped).toEqual([]);
    // Each nx invocation ran its own task only: every dependency came from the remote cache.
    for (const run of report.runs) {
      expect(run.executed).toEqual([run.task]);
    }
    // Agents really worked at the same time: some tasks of different agents overlapped.
    expect(report.runs.some((a) => report.runs.some((b) => a.agent !== b.agent && a.started < b.ended && b.started < a.ended))).toBe(true);

    // No image was built twice: one build per image, and no step anywhere rebuilt an image it could not pull.
    expect(ranOn(report, 'build')).toEqual(images().map((image) => `${image}:build@${assign()(`${image}:build`)}`).sort());
    expect(report.runs.filter((run) => run.output.includes('building it again'))).toEqual([]);
    for (const run of report.runs.filter((run) => run.task.endsWith(':test'))) {
      expect(run.output).toMatch(/is not in the local engine .*; pulling \S+:build-\w+/);
    }
    expect(await registryState()).toEqual(singleMachine);
    await expectChildrenOnTheirParents();
    await expectOneImagePerImage();
    await expectPulledOnlyWhatTheirTasksNeeded();
  });

  /** The image each build made is the one in the registry and in every engine that holds it. */
  async function expectOneImagePerImage(): Promise<void> {
    for (const image of images()) {
      const pushed = (await registry.manifest(`${namespace}/${image}`, BRANCH_TAG)).config.digest;
      const builder = agents[assign()(`${image}:build`)];
      expect(JSON.parse(builder.ws.read(`artifacts/${image}/build.json`)).imageId).toBe(pushed);
      for (const agent of agents) {
        const held = await agent.engine.docker.getImage(`${repository(image)}:${BRANCH_TAG}`).inspect().catch(() => undefined);
        expect([undefined, pushed]).toContain(held?.Id);
      }
    }
  }

  /** An agent holds the images of its own tasks and the parents of the images it built, nothing else. */
  async function expectPulledOnlyWhatTheirTasksNeeded(): Promise<void> {
    for (const agent of agents) {
      const tasks = Object.keys(graph).filter((task) => assign()(task) === agent.index);
      const needed = tasks.flatMap((task) => {
        const [image, target] = task.split(':');
        const parent = spec.get(image);
        return target === 'build' && parent !== undefined ? [image, parent] : [image];
      });
      expect(await agent.engine.repositoriesUnder(`${registry.host}/${namespace}/`)).toEqual([...new Set(needed.map(repository))].sort());
    }
  }

  it('a failing test on one agent stops that image\'s descendants everywhere; its sibling goes on', async () => {
    const [root] = images();
    seed.write(imageFileOf(root), 'the root, changed: every image is built again\n');
    seed.write('images/gen-l1-0/test/test_broken.py', 'def test_broken():\n    assert False, "broken on purpose"\n');
    seed.commit('change the root, break the tests of gen-l1-0');
    agents.forEach((agent) => agent.checkout(seed));
    const before = await registry.tagDigests(namespace);

    const report = await runDistributed(agents, readTaskGraph(agents[0].ws, TARGETS), assign(), cache.env());
    expect(failures(report).map((run) => run.task)).toEqual(['gen-l1-0:test']);
    expect(failures(report)[0].output).toContain('broken on purpose');
    expect(report.skipped.sort()).toEqual(['gen-l1-0:push', 'gen-l2-0:build', 'gen-l2-0:push', 'gen-l2-0:test']);
    expect(ranOn(report, 'build')).toEqual(['gen-l0-0', 'gen-l1-0', 'gen-l1-1', 'gen-l2-1'].map((image) => `${image}:build@${assign()(`${image}:build`)}`).sort());

    const after = await registry.tagDigests(namespace);
    const branch = (image: string) => `${namespace}/${image}:${BRANCH_TAG}`;
    for (const image of ['gen-l0-0', 'gen-l1-1', 'gen-l2-1']) {
      expect(after.get(branch(image))).not.toBe(before.get(branch(image)));
    }
    for (const image of ['gen-l1-0', 'gen-l2-0']) {
      expect(after.get(branch(image))).toBe(before.get(branch(image)));
    }
    // Asked directly, another agent still builds nothing on the broken image: its tests run first, and fail.
    const direct = await agents[2].nx(['run', 'gen-l2-0:build'], cache.env());
    expect(direct.status).not.toBe(0);
    expect(direct.output).toContain('broken on purpose');
    expect(ranTasks(direct)).not.toContain('gen-l2-0:build');
  });
});
