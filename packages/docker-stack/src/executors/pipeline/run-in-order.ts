/** What a batch reports for each of its tasks, as Nx reads it from a batch implementation. */
export interface TaskOutcome {
  task: string;
  result: { success: boolean; terminalOutput: string };
}

/** The part of Nx's task graph the order needs: task ids and what each waits for. */
export interface TaskOrder {
  tasks: Record<string, unknown>;
  dependencies: Record<string, string[]>;
}

/**
 * Runs a batch's tasks in dependency order, at most `parallel` at once, reporting each as it ends. Dependencies
 * outside the batch have ended well (Nx batches a task only then). A task whose dependency failed is not run:
 * it is reported failed, naming the dependency, as Nx stops a failed task's dependents; the rest go on.
 */
export async function* runInOrder(order: TaskOrder, run: (task: string) => Promise<TaskOutcome['result']>, parallel: number): AsyncGenerator<TaskOutcome> {
  const inBatch = (task: string) => task in order.tasks;
  const waitsFor = (task: string) => (order.dependencies[task] ?? []).filter(inBatch);
  const outcome = new Map<string, boolean>();
  const waiting = new Set(Object.keys(order.tasks));
  const running = new Map<string, Promise<TaskOutcome>>();
  while (waiting.size || running.size) {
    const before = waiting.size;
    for (const task of [...waiting]) {
      const failed = waitsFor(task).find((dependency) => outcome.get(dependency) === false);
      if (failed) {
        waiting.delete(task);
        outcome.set(task, false);
        yield { task, result: { success: false, terminalOutput: `not run: ${failed} failed\n` } };
      } else if (running.size < parallel && waitsFor(task).every((dependency) => outcome.get(dependency) === true)) {
        waiting.delete(task);
        running.set(task, run(task).then((result) => ({ task, result }), (error: Error) => ({ task, result: { success: false, terminalOutput: `${error.message}\n` } })));
      }
    }
    if (!running.size) {
      if (waiting.size === before) {
        throw new Error(`tasks wait for each other: ${[...waiting].join(', ')}`);
      }
      continue;
    }
    const ended = await Promise.race(running.values());
    running.delete(ended.task);
    outcome.set(ended.task, ended.result.success);
    yield ended;
  }
}
