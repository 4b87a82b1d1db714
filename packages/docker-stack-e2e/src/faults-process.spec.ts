/**
 * Issue 11 §3, runner faults (3 and 5), through the nx CLI on the real engine, real pytest and a registry of the
 * suite's own: nx killed with SIGKILL in the middle of a build, and two branches' pipelines at once on one engine.
 * beforeAll makes one clean run of the stack on `main`; each test starts from an empty registry and Nx cache.
 */
import { existsSync } from 'node:fs';
import { ranTasks } from './support/example-stack';
import { FaultStack, forgetRuns, IMAGES, referenceRun, succeeded, type RegistryState } from './support/fault-stack';
import { TempWorkspace } from './support/workspace';

jest.setTimeout(600_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether any process of the group is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runner faults', () => {
  let stack: FaultStack;
  let clean: RegistryState;

  beforeAll(async () => {
    stack = await FaultStack.create('faults-process');
    clean = await referenceRun(stack);
  });

  afterAll(async () => stack?.remove());

  it('3. nx killed with SIGKILL during a build records nothing of the cut build; the re-run pushes what a clean run pushes', async () => {
    await stack.fresh();
    const run = stack.pipeline();
    const pgid = run.child.pid ?? 0;
    const log = stack.ws.path('logs/gen-l1-0/build.log');
    // The runner dies (nx and every task process) as soon as a child's build is past its first Dockerfile step.
    for (let polls = 0; !(existsSync(log) && /Step 2\/\d+/.test(stack.ws.read('logs/gen-l1-0/build.log'))); polls++) {
      expect(polls).toBeLessThan(6000); // 5 minutes
      await sleep(50);
    }
    process.kill(-pgid, 'SIGKILL');
    const killed = await run.result;

    expect(killed.status).toBe(137);
    expect(groupAlive(pgid)).toBe(false);
    // The build was cut before it finished: no result file and no Nx cache entry claims it succeeded.
    expect(existsSync(stack.ws.path('artifacts/gen-l1-0/build.json'))).toBe(false);
    expect(await stack.wrongTags(clean)).toEqual([]);

    const rerun = await succeeded(stack.pipeline());
    expect(ranTasks(rerun)).toEqual(expect.arrayContaining(['gen-l1-0:build', ...IMAGES.map((image) => `${image}:push`)]));
    expect(await stack.state()).toEqual(clean);
  });

  it('5. two branches\' pipelines at once on one engine each push their own tags, as when run one after the other', async () => {
    // Branch b changes the root, so none of its tags (branch or content) is one of main's.
    const other = new TempWorkspace('faults-branch-b');
    try {
      other.copyStack(stack.ws.path('images'));
      other.write('.nxignore', stack.ws.read('.nxignore'));
      other.write('images/gen-l0-0/gen-l0-0.txt', 'changed on branch b\n');
      other.commit('branch b');
      const branchB = { GITHUB_HEAD_REF: 'feat-b' };

      await stack.fresh();
      forgetRuns(other);
      await succeeded(stack.pipeline(branchB, other));
      const alone = await stack.state();
      expect([...alone.keys()].filter((key) => key.endsWith(':2026.3-feat-b')).sort()).toEqual(IMAGES.map((image) => stack.key(image, '2026.3-feat-b')));

      await stack.fresh();
      forgetRuns(other);
      const [main, b] = await Promise.all([succeeded(stack.pipeline({ GITHUB_REF_NAME: 'main' })), succeeded(stack.pipeline(branchB, other))]);
      expect(ranTasks(main)).toEqual(expect.arrayContaining(IMAGES.map((image) => `${image}:push`)));
      expect(ranTasks(b)).toEqual(expect.arrayContaining(IMAGES.map((image) => `${image}:push`)));
      expect(await stack.state()).toEqual(new Map([...clean, ...alone]));
    } finally {
      other.remove();
    }
  });
});
