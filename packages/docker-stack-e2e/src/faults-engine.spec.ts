/**
 * Issue 11 §3, fault 4: the Docker engine restarted during a run, through the nx CLI, real pytest and a registry
 * of the suite's own. The engine is a dockerd of the suite's own (DOCKER_HOST; own socket, data root, exec root,
 * pid file and bridge), since the shared one must never stop. beforeAll makes one clean run on that engine.
 */
import { expectOnlyFailuresRanAgain, FaultStack, manifestPutAfter, referenceRun, succeeded, type RegistryState } from './support/fault-stack';
import { PrivateDockerd, waitUntil } from './support/private-dockerd';

jest.setTimeout(600_000);

describe('engine faults', () => {
  let engine: PrivateDockerd;
  let stack: FaultStack;
  let clean: RegistryState;

  beforeAll(async () => {
    engine = await PrivateDockerd.start();
    await engine.loadFromShared();
    stack = await FaultStack.create('faults-engine');
    stack.env = engine.env();
    clean = await referenceRun(stack);
  });

  afterAll(async () => {
    await stack?.remove();
    await engine?.stop();
  });

  it('4. the engine stopped mid-run stops the run naming the image and step; after a restart the re-run pushes what a clean run pushes', async () => {
    await stack.fresh();
    // The engine goes down once the root is pushed, while a child's push waits on its manifest.
    stack.proxy.on(manifestPutAfter(2), 'hold');
    const run = stack.pipeline();
    expect(await waitUntil(async () => stack.proxy.current === 'hold', 300)).toBe(true);
    await engine.halt();
    await stack.proxy.set('pass');
    const failed = await run.result;

    expect(failed.status).not.toBe(0);
    expect(failed.output).toMatch(/gen-l\d-\d:(build|test|push|manifest) failed: .*(docker\.sock|Docker engine is not running)/);
    expect(await stack.wrongTags(clean)).toEqual([]);

    await engine.startAgain();
    const rerun = await succeeded(stack.pipeline());
    expectOnlyFailuresRanAgain(failed, rerun);
    expect(await stack.state()).toEqual(clean);
  });
});
