/**
 * Issue 11 §3, registry faults (1, 2 and 6), through the nx CLI on the real engine, real pytest and a registry of
 * the suite's own behind a FaultProxy. beforeAll makes one clean run (pipeline, then promotion of its branch tags); each test starts
 * from an empty registry and Nx cache, fails the registry on cue, checks that the run stopped naming the image and
 * the step and left no wrong or half-pushed tag, then re-runs plainly and compares the registry with the clean run.
 */
import { expectOnlyFailuresRanAgain, failedTasks, FaultStack, IMAGES, manifestPutAfter, referenceRun, STABLE_TAG, succeeded, type RegistryState } from './support/fault-stack';
import type { NxResult } from './support/workspace';

jest.setTimeout(600_000);

describe('registry faults', () => {
  let stack: FaultStack;
  let clean: { pipeline: RegistryState; promoted: RegistryState };

  beforeAll(async () => {
    stack = await FaultStack.create('faults-registry');
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
    expect(failed.output).toMatch(/gen-l1-[01]:push failed: push \S+\/gen-l1-[01]:\S+ failed after 4 attempts: .*(ECONNREFUSED|connection refused)/);
    expect(failedTasks(failed)).not.toContain('gen-l0-0:push');
    await expectRerunFinishes(failed);
  });

  it('2. the registry answers 500 for longer than the retries, then recovers: the re-run pushes what a clean run pushes', async () => {
    await stack.fresh();
    stack.proxy.on(manifestPutAfter(2), 'error500');
    const failed = await stack.pipeline().result;

    expect(failed.status).not.toBe(0);
    expect(failed.output).toMatch(/gen-l1-[01]:push failed: push \S+\/gen-l1-[01]:\S+ failed after 4 attempts: .*500/);
    // Every retry met a 500: the step gave up after 1, 2 and 4 s of backoff, not at the first error.
    expect(failed.output).toMatch(/transient error .*500.*retrying in 4s/);
    expect(stack.proxy.errors500).toBeGreaterThanOrEqual(4);
    await expectRerunFinishes(failed);
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
    expect(failed.output).toMatch(/fetch failed \((ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)\)/);
    expect(failed.output).toMatch(/1 of 3 tag\(s\) moved \([\w-]+\); run the same promotion again to finish it/);
    // The tag that moved is the clean promotion's: never a wrong digest, whatever the order of the re-run.
    expect(await stack.wrongTags(clean.promoted)).toEqual([]);

    await stack.proxy.set('pass');
    await succeeded(stack.promote());
    expect(await stack.state()).toEqual(clean.promoted);
  });
});
