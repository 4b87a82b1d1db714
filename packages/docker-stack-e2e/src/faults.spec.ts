/**
 * Issue 11 §3, faults 1, 2, 3, 5 and 6 (4, the engine restart, is faults-engine.spec.ts), through the nx CLI on
 * the real engine, real pytest and a registry of the suite's own behind a FaultProxy. beforeAll makes one clean
 * run (the pipeline on `main`, then the promotion of its tags); each test starts from an empty registry and Nx
 * cache, breaks something on cue, checks that the run stopped naming the image and the step and left no wrong or
 * half-pushed tag and no cached success for failed work, then re-runs plainly and compares every tag's digest
 * with the clean run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { removeImagesUnder } from './support/docker';
import { ranTasks } from './support/workspace';
import {
  expectOnlyFailuresRanAgain,
  FaultStack,
  forgetRuns,
  IMAGES,
  manifestPutAfter,
  ORIGIN,
  referenceRun,
  STABLE_TAG,
  succeeded,
  type RegistryState,
} from './support/fault-stack';
import { waitUntil } from './support/private-dockerd';
import { TempWorkspace, type NxResult } from './support/workspace';

jest.setTimeout(600_000);

/** The processes of a group still running (zombies waiting to be reaped are dead), as `pid state command`. */
function runningInGroup(pgid: number): string[] {
  const running: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(group) === pgid && state !== 'Z') {
        running.push(`${pid} ${state} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
      }
    } catch {
      // gone meanwhile
    }
  }
  return running;
}

describe('faults of the registry and the runner', () => {
  let stack: FaultStack;
  let clean: { pipeline: RegistryState; promoted: RegistryState };

  beforeAll(async () => {
    stack = await FaultStack.create('faults');
    const pipeline = await referenceRun(stack);
    await succeeded(stack.promote());
    clean = { pipeline, promoted: await stack.state() };
  });

  afterAll(async () => stack?.remove());

  /** A failed pipeline run left only right tags; the plain re-run redoes exactly what failed and ends as the clean run. */
  async function expectRerunFinishes(failed: NxResult): Promise<void> {
    expect(await stack.wrongTags(clean.pipeline)).toEqual([]);
    expect(await stack.state()).not.toEqual(clean.pipeline);
    await stack.proxy.set('pass');
    expectOnlyFailuresRanAgain(failed, await succeeded(stack.pipeline()));
    expect(await stack.state()).toEqual(clean.pipeline);
  }

  it('1. the registry stops in the middle of a push, then comes back: the re-run pushes what a clean run pushes', async () => {
    await stack.fresh();
    // The root's two tags are written; the registry dies as a child's manifest arrives, its layers already uploaded.
    stack.proxy.on(manifestPutAfter(2), 'down');
    const failed = await stack.pipeline().result;

    expect(failed.status).not.toBe(0);
    expect(failed.output).toMatch(/(gen-l\d-\d):push failed: push \S+\/\1:\S+ failed after 4 attempts: .*(ECONNREFUSED|connection refused)/);
    // It stopped midway: the tags written before it stopped are kept (expectRerunFinishes checks they are right).
    expect((await stack.state()).size).toBeGreaterThanOrEqual(2);
    await expectRerunFinishes(failed);
  });

  it('2. the registry answers 500 for longer than the retries, then recovers: the re-run pushes what a clean run pushes', async () => {
    await stack.fresh();
    stack.proxy.on(manifestPutAfter(2), 'error500');
    const failed = await stack.pipeline().result;

    expect(failed.status).not.toBe(0);
    expect(failed.output).toMatch(/(gen-l\d-\d):push failed: push \S+\/\1:\S+ failed after 4 attempts: .*500/);
    // Every retry met a 500: the step gave up after 1, 2 and 4 s of backoff, not at the first error.
    expect(failed.output).toMatch(/transient error .*500.*retrying in 4s/);
    expect(stack.proxy.errors500).toBeGreaterThanOrEqual(4);
    await expectRerunFinishes(failed);
  });

  it('5. two branches\' pipelines at once on one engine each push their own tags, as when run one after the other', async () => {
    // Branch b changes the root, so none of its tags (branch or content) is one of main's.
    const other = new TempWorkspace('faults-branch-b');
    try {
      other.copyStack(stack.ws.path('images'));
      other.write('.nxignore', stack.ws.read('.nxignore'));
      other.write('images/gen-l0-0/gen-l0-0.txt', 'changed on branch b\n');
      other.git('remote', 'add', 'origin', ORIGIN);
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
      expect(await stack.state()).toEqual(new Map([...clean.pipeline, ...alone]));
    } finally {
      other.remove();
    }
  });
  it('6. a promotion cut after one tag names the image, moved only right tags, and the plain re-run finishes it', async () => {
    await stack.fresh();
    await succeeded(stack.pipeline());
    expect(await stack.state()).toEqual(clean.pipeline);
    // The promotion writes its first stable tag; the registry dies as the second arrives.
    stack.proxy.on(manifestPutAfter(stack.proxy.manifestPuts + 1), 'down');
    const failed = await stack.promote().result;

    expect(failed.status).not.toBe(0);
    const stable = (state: RegistryState) => [...state.keys()].filter((key) => key.endsWith(`:${STABLE_TAG}`));
    const moved = stable(await stack.state());
    expect(moved).toHaveLength(1);
    const cut = IMAGES.find((image) => !moved.includes(stack.key(image, STABLE_TAG)) && failed.output.includes(`stack:promote failed: ${image}: writing `));
    expect(cut).toBeDefined();
    expect(failed.output).toMatch(/writing \S+:2026\.3-stable failed: PUT \S+ failed after 4 attempts: fetch failed/);
    expect(failed.output).toMatch(/1 of 3 tag\(s\) moved \([\w-]+\); run the same promotion again to finish it/);
    // The tag that moved is the clean promotion's: never a wrong digest, whatever the order of the re-run.
    expect(await stack.wrongTags(clean.promoted)).toEqual([]);

    await stack.proxy.set('pass');
    await succeeded(stack.promote());
    expect(await stack.state()).toEqual(clean.promoted);
  });

  it('3. nx killed with SIGKILL during a build records nothing of the cut build; the re-run rebuilds it and pushes the clean run\'s other tags', async () => {
    await stack.fresh();
    // Last in the file: it makes the engine rebuild gen-l1-0, which the other tests reuse. Without gen-l1-0 in the engine its build step really builds (an image the engine holds is reused). The step
    // holds while it asks the registry for a cache image, and the runner dies then: nx and all its tasks.
    await removeImagesUnder(`${stack.proxy.host}/${stack.path('gen-l1-0')}`);
    stack.proxy.on((seen) => /^(GET|HEAD)$/.test(seen.method) && seen.url.includes('/gen-l1-0/manifests/'), 'hold');
    const run = stack.pipeline();
    const pgid = run.child.pid ?? 0;
    expect(await waitUntil(async () => stack.proxy.current === 'hold', 120)).toBe(true);
    process.kill(-pgid, 'SIGKILL');
    const killed = await run.result;
    await stack.proxy.set('pass');

    expect(killed.status).toBe(137);
    // Killed processes may take a moment to finish exiting (state R, no command line left).
    await waitUntil(async () => runningInGroup(pgid).length === 0, 10);
    expect(runningInGroup(pgid)).toEqual([]);
    expect(stack.ws.read('logs/gen-l1-0/build.log')).toContain(`building ${stack.reference('gen-l1-0')}`);
    // The build was cut before it finished: no result file and no Nx cache entry claims it succeeded.
    expect(existsSync(stack.ws.path('artifacts/gen-l1-0/build.json'))).toBe(false);
    expect(await stack.wrongTags(clean.pipeline)).toEqual([]);

    const rerun = await succeeded(stack.pipeline());
    // The cut image's steps all run again (other images' steps that finished before the kill may be restored).
    expect(ranTasks(rerun)).toEqual(expect.arrayContaining(['gen-l1-0:build', 'gen-l1-0:test', 'gen-l1-0:push']));
    // KNOWN LIMITATION (reported with issue 11): BuildKit on this engine (Docker 20.10, BuildKit < 0.11, no
    // SOURCE_DATE_EPOCH) stamps a rebuilt image's config with the build time, so gen-l1-0, rebuilt because the
    // engine lost it, gets a digest of its own; every other tag must be the clean run's, and gen-l1-0's two tags
    // one complete image.
    const state = await stack.state();
    const others = (tags: RegistryState) => new Map([...tags].filter(([key]) => !key.startsWith(`${stack.path('gen-l1-0')}:`)));
    expect(others(state)).toEqual(others(clean.pipeline));
    const rebuilt = [...state].filter(([key]) => key.startsWith(`${stack.path('gen-l1-0')}:`));
    expect(rebuilt.map(([key]) => key).sort()).toEqual([...clean.pipeline.keys()].filter((key) => key.includes('/gen-l1-0:')).sort());
    expect(new Set(rebuilt.map(([, digest]) => digest)).size).toBe(1);
    expect(await stack.wrongTags(new Map([...clean.pipeline, ...rebuilt]))).toEqual([]);
  });
});
