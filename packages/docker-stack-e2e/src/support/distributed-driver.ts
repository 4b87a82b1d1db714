/**
 * Stands in, for the tests and the benchmark only, for what Nx Cloud's distributed task execution does: agents that
 * share nothing but a registry and the remote Nx cache, each a separate clone with its own Docker engine, and a
 * driver that runs `nx run <project>:<target>` on the agent whose turn it is, in dependency order. Each agent runs
 * one task at a time; agents run at the same time. A failed task stops the tasks that depend on it, as Nx does.
 */
import { PrivateDockerd } from './private-dockerd';
import { ranTasks, startNx, TempWorkspace, type NxResult } from './workspace';

/** task id (`project:target`) -> the tasks it depends on, as `nx run-many --graph=<file>.json` gives them. */
export type TaskGraph = Record<string, string[]>;

/** Which agent (by index) runs a task. */
export type Assign = (task: string) => number;

export interface TaskRun {
  task: string;
  agent: number;
  status: number;
  /** The tasks nx really ran for it (the task and any dependency it did not find in a cache). */
  executed: string[];
  output: string;
  /** Milliseconds since the driver started. */
  started: number;
  ended: number;
}

export interface DriverReport {
  runs: TaskRun[];
  /** Tasks never started because a task they depend on failed. */
  skipped: string[];
  seconds: number;
}

/** An agent: a clone of the workspace at the seed's HEAD, and an engine of its own. */
export class Agent {
  private constructor(
    readonly index: number,
    readonly ws: TempWorkspace,
    readonly engine: PrivateDockerd,
  ) {}

  static async create(index: number, seed: TempWorkspace): Promise<Agent> {
    const engine = await PrivateDockerd.start();
    const ws = new TempWorkspace(`agent${index}`);
    const agent = new Agent(index, ws, engine);
    await engine.loadFromShared();
    agent.checkout(seed);
    return agent;
  }

  /** Moves the clone to the seed's current commit, as a CI checkout of that commit would. */
  checkout(seed: TempWorkspace): void {
    this.ws.git('fetch', '-q', seed.root, 'HEAD');
    this.ws.git('checkout', '-q', '-f', '-B', 'main', 'FETCH_HEAD');
  }

  /** Runs the real nx CLI in the clone against this agent's engine, without blocking the other agents. */
  nx(args: string[], env: Record<string, string> = {}): Promise<NxResult> {
    return startNx(this.ws, args, { ...env, ...this.engine.env() }).result;
  }

  async remove(): Promise<void> {
    await this.engine.stop();
    this.ws.remove();
  }
}

/** The task graph of `nx run-many -t <targets>`, read on one agent. */
export function readTaskGraph(ws: TempWorkspace, targets: string[]): TaskGraph {
  ws.nxOk(['run-many', '-t', ...targets, '--graph=.nx-task-graph.json']);
  return (JSON.parse(ws.read('.nx-task-graph.json')) as { tasks: { dependencies: TaskGraph } }).tasks.dependencies;
}

/**
 * Spreads the tasks so that no two steps of one image share an agent and siblings land on different agents:
 * image `i` (in graph order) has its `t`-th target on agent `(i + t) % agents`. Every test and push then runs
 * on an agent that did not build the image, the hardest case for "pull what another agent built".
 */
export function rotate(graph: TaskGraph, targets: string[], agents: number): Assign {
  const projects = [...new Set(Object.keys(graph).map((task) => task.split(':')[0]))];
  return (task) => {
    const [project, target] = task.split(':');
    return (projects.indexOf(project) + targets.indexOf(target)) % agents;
  };
}

/** Runs every task of the graph on its agent, in dependency order, agents in parallel. */
export async function runDistributed(agents: Agent[], graph: TaskGraph, assign: Assign, env: Record<string, string>): Promise<DriverReport> {
  const started = Date.now();
  const pending = new Set(Object.keys(graph));
  const succeeded = new Set<string>();
  const stopped = new Set<string>(); // failed or skipped
  const report: DriverReport = { runs: [], skipped: [], seconds: 0 };
  let wakeUp: (() => void)[] = [];
  const changed = () => wakeUp.splice(0).forEach((resolve) => resolve());

  /** Drops the pending tasks that depend on a failed or skipped one, as Nx does. */
  const skipBlocked = () => {
    for (let again = true; again; ) {
      again = false;
      for (const task of pending) {
        if (graph[task].some((dependency) => stopped.has(dependency))) {
          pending.delete(task);
          stopped.add(task);
          report.skipped.push(task);
          again = true;
        }
      }
    }
  };

  const agentLoop = async (agent: Agent) => {
    for (;;) {
      skipBlocked();
      const mine = [...pending].filter((task) => assign(task) === agent.index);
      if (mine.length === 0) {
        return;
      }
      const ready = mine.find((task) => graph[task].every((dependency) => succeeded.has(dependency)));
      if (!ready) {
        await new Promise<void>((resolve) => wakeUp.push(resolve));
        continue;
      }
      pending.delete(ready);
      const taskStarted = Date.now() - started;
      const result = await agent.nx(['run', ready], env);
      (result.status === 0 ? succeeded : stopped).add(ready);
      const timing = { started: taskStarted, ended: Date.now() - started };
      report.runs.push({ task: ready, agent: agent.index, status: result.status, executed: ranTasks(result), output: result.output, ...timing });
      changed();
    }
  };
  await Promise.all(agents.map(agentLoop));
  wakeUp = [];
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
