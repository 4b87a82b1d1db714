import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasLog, logPath, type StepName } from '../../pipeline/outputs';
import { printStepOutputLive, readStepResult } from '../../pipeline/step';
import buildExecutor from '../build/executor';
import manifestExecutor from '../manifest/executor';
import pruneExecutor from '../prune/executor';
import pushExecutor from '../push/executor';
import { integrationTestExecutor, testExecutor } from '../image-tests/executor';
import { runInOrder } from './run-in-order';
import type { PipelineExecutorOptions } from './schema';

type StepExecutor = (options: PipelineExecutorOptions, context: ExecutorContext) => Promise<{ success: boolean }>;

/** Each step's own executor, which stays the one owner of what the step does. */
const STEPS: Record<StepName, StepExecutor> = {
  build: buildExecutor,
  test: testExecutor,
  push: pushExecutor,
  'integration-test': integrationTestExecutor,
  manifest: manifestExecutor,
  prune: pruneExecutor,
};

/**
 * Every step of an image's pipeline under one executor name, the step chosen by the `step` option: Nx batches only
 * tasks of one executor, so with NX_BATCH_MODE=true it runs a whole chain (build -> test -> push -> manifest, and
 * the children's builds) in one process instead of starting one per task.
 */
export default function pipelineExecutor(options: PipelineExecutorOptions, context: ExecutorContext) {
  const run = STEPS[options.step];
  if (!run) {
    throw new Error(`unknown pipeline step "${options.step}" (one of ${Object.keys(STEPS).join(', ')})`);
  }
  return run(options, context);
}

/** What Nx shows (and replays from its cache) for a step run in a batch: its log, else the messages it printed. */
function terminalOutput(root: string, image: string, step: StepName): string {
  const log = join(root, logPath(image, step));
  if (hasLog(step) && existsSync(log)) {
    return readFileSync(log, 'utf8');
  }
  return (readStepResult(root, image, step)?.messages ?? []).map((message) => `${message}\n`).join('');
}

/**
 * The batch: the tasks in dependency order, as many at once as `--parallel` would run (NX_PARALLEL, else
 * nx.json's `parallel`, else 3, Nx's default), each reported as it ends.
 */
export async function* pipelineBatch(taskGraph: TaskGraph, inputs: Record<string, PipelineExecutorOptions>, _overrides: unknown, context: ExecutorContext) {
  const parallel = Number(process.env.NX_PARALLEL) || Number(context.nxJsonConfiguration?.parallel) || 3;
  // Nx prints each task's output when the batch reports it: live, the steps running at once would interleave.
  printStepOutputLive(false);
  const runTask = async (id: string) => {
    const { project, target, configuration } = taskGraph.tasks[id].target;
    const options = inputs[id];
    const { success } = await pipelineExecutor(options, { ...context, projectName: project, targetName: target, configurationName: configuration });
    return { success, terminalOutput: terminalOutput(context.root, project, options.step) };
  };
  yield* runInOrder(taskGraph, runTask, parallel);
}
