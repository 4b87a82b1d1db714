import { runInOrder, type TaskOutcome, type TaskOrder } from './run-in-order';

/** root -> a -> a2, root -> b: each task ends after the tick it starts on. */
const ORDER: TaskOrder = {
  tasks: { root: {}, a: {}, a2: {}, b: {} },
  dependencies: { root: ['outside:done'], a: ['root'], a2: ['a'], b: ['root'] },
};

async function collect(order: TaskOrder, failing: string[], parallel: number) {
  const started: string[] = [];
  let now = 0;
  let most = 0;
  const outcomes: TaskOutcome[] = [];
  const run = async (task: string) => {
    started.push(task);
    most = Math.max(most, started.length - outcomes.length);
    await new Promise((resolve) => setTimeout(resolve, 5));
    now += 1;
    return { success: !failing.includes(task), terminalOutput: `${task} at ${now}\n` };
  };
  for await (const outcome of runInOrder(order, run, parallel)) {
    outcomes.push(outcome);
  }
  return { started, outcomes, most };
}

describe('runInOrder', () => {
  it('starts a task only after every dependency in the batch ended well, and reports each task once', async () => {
    const { started, outcomes } = await collect(ORDER, [], 3);
    expect(started[0]).toBe('root');
    expect(started.indexOf('a2')).toBeGreaterThan(started.indexOf('a'));
    expect(outcomes.map((outcome) => outcome.task).sort()).toEqual(['a', 'a2', 'b', 'root']);
    expect(outcomes.every((outcome) => outcome.result.success)).toBe(true);
  });

  it('runs independent tasks side by side, never more than `parallel` at once', async () => {
    const wide: TaskOrder = { tasks: { a: {}, b: {}, c: {}, d: {} }, dependencies: {} };
    expect((await collect(wide, [], 2)).most).toBe(2);
    expect((await collect(wide, [], 4)).most).toBe(4);
  });

  it("does not run a failed task's dependents, reporting them failed with the reason; the others go on", async () => {
    const { started, outcomes } = await collect(ORDER, ['a'], 3);
    expect(started).not.toContain('a2');
    const byTask = Object.fromEntries(outcomes.map((outcome) => [outcome.task, outcome.result]));
    expect(byTask.a2).toEqual({ success: false, terminalOutput: 'not run: a failed\n' });
    expect(byTask.b.success).toBe(true);
  });

  it('reports a task that throws as failed, with its message', async () => {
    const outcomes: TaskOutcome[] = [];
    for await (const outcome of runInOrder({ tasks: { x: {} }, dependencies: {} }, () => Promise.reject(new Error('engine gone')), 1)) {
      outcomes.push(outcome);
    }
    expect(outcomes).toEqual([{ task: 'x', result: { success: false, terminalOutput: 'engine gone\n' } }]);
  });
});
