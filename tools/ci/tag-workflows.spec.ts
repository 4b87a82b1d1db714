/**
 * The promotion workflows (tag.yml, tag_global_stable.yml) and the GPU test (test_gpu.yml): their inputs keep the
 * former pipeline's names, and, run by support/simulate.ts with GitHub's expression library and a stub `npx` and
 * `docker`, the promotion waits for the GPU test, a dry run pushes nothing, and tag-artifacts is always uploaded.
 */
import { dispatch, executionsOf, npxCalls, simulate, type Result } from './support/simulate';
import { evaluateValue, loadWorkflow, type Input } from './support/workflows';

// Simulations run bash and git on a shared machine: more time than jest's default 5 s.
jest.setTimeout(60_000);

const inputsOf = (file: string, trigger = 'workflow_dispatch') => loadWorkflow(file).on[trigger].inputs as Record<string, Input>;
const tag = (inputs: Record<string, unknown>) => dispatch('main', { originalTag: '2026.3-main', dryRun: false, skipGPUTest: false, ...inputs });
const globalTag = (inputs: Record<string, unknown>) => dispatch('main', { stablePrefix: '2026.3', dryRun: false, ...inputs });
const TAG_ARTIFACTS = { name: 'tag-artifacts', path: 'artifacts/\nmanifests/\n', 'if-no-files-found': 'ignore' };

describe('the workflow inputs of the former pipeline', () => {
  it('tag.yml: originalTag, dryRun (boolean, required) and skipGPUTest (boolean, required), started by hand', () => {
    expect(Object.keys(loadWorkflow('tag.yml').on)).toEqual(['workflow_dispatch']);
    const inputs = inputsOf('tag.yml');
    expect(Object.keys(inputs).sort()).toEqual(['dryRun', 'originalTag', 'skipGPUTest']);
    expect(inputs.originalTag).toMatchObject({ type: 'string', required: true });
    expect(inputs.dryRun).toMatchObject({ type: 'boolean', required: true });
    expect(inputs.skipGPUTest).toMatchObject({ type: 'boolean', required: true });
  });

  it('tag_global_stable.yml: stablePrefix and dryRun, started by hand', () => {
    expect(Object.keys(loadWorkflow('tag_global_stable.yml').on)).toEqual(['workflow_dispatch']);
    const inputs = inputsOf('tag_global_stable.yml');
    expect(Object.keys(inputs).sort()).toEqual(['dryRun', 'stablePrefix']);
    expect(inputs.stablePrefix).toMatchObject({ type: 'string', required: true });
    expect(inputs.dryRun).toMatchObject({ type: 'boolean', required: true });
  });

  it.each(['workflow_call', 'workflow_dispatch'])('test_gpu.yml: originalTag and dryRun (%s)', (trigger) => {
    const inputs = inputsOf('test_gpu.yml', trigger);
    expect(Object.keys(inputs).sort()).toEqual(['dryRun', 'originalTag']);
    expect(inputs.originalTag).toMatchObject({ type: 'string', required: true });
    expect(inputs.dryRun).toMatchObject({ type: 'boolean' });
  });

  it('tag.yml hands test_gpu.yml its tag and dry run flag', () => {
    const call = loadWorkflow('tag.yml').jobs['test-gpu'];
    expect(call.uses).toBe('./.github/workflows/test_gpu.yml');
    const passed = Object.fromEntries(
      Object.entries(call.with ?? {}).map(([k, v]) => [k, evaluateValue(v, tag({ dryRun: true }).context)]),
    );
    expect(passed).toEqual({ originalTag: '2026.3-main', dryRun: true });
  });
});

describe.each([
  ['tag.yml', tag({}), ['--tag=2026.3-main']],
  ['tag_global_stable.yml', globalTag({}), ['--tag=2026.3', '--global']],
])('%s', (file, ev, args) => {
  const run = (dryRun: boolean) => {
    const inputs = { ...(ev.context.inputs as object), dryRun };
    return executionsOf(simulate(file, { ...ev, context: { ...ev.context, inputs } }), 'promote')[0];
  };

  it('dry run: promotes with --dry-run, pushes no wiki, uploads tag-artifacts', () => {
    const promote = run(true);
    expect(promote.calls).toEqual([['npx', 'nx', 'run', 'stack:promote', ...args, '--dry-run']]);
    expect(promote.steps).not.toContain('Push the wiki');
    expect(promote.with['Upload artifacts/ and manifests/']).toEqual(TAG_ARTIFACTS);
  });

  it('real run: promotes, pushes the wiki, uploads tag-artifacts', () => {
    const promote = run(false);
    expect(promote.calls).toEqual([['npx', 'nx', 'run', 'stack:promote', ...args]]);
    expect(promote.steps).toContain('Push the wiki');
    expect(promote.with['Upload artifacts/ and manifests/']).toEqual(TAG_ARTIFACTS);
  });
});

describe('tag.yml', () => {
  it.each<[Result, Result]>([
    ['success', 'success'],
    ['failure', 'skipped'],
  ])('promotes only after the GPU test: GPU test %s → promote %s', (gpu, promote) => {
    const sim = simulate('tag.yml', tag({}), { 'test-gpu': gpu });
    expect(sim.results.promote).toBe(promote);
    expect(npxCalls(sim).some((c) => c.includes('stack:promote'))).toBe(promote === 'success');
  });

  it('skips the GPU test when asked, and then promotes', () => {
    const sim = simulate('tag.yml', tag({ skipGPUTest: true }));
    expect(sim.results).toMatchObject({ 'test-gpu': 'skipped', promote: 'success' });
  });

  it.each([
    ['2026.3-main', 'success'],
    ['2026.12-feature-x', 'success'],
    ['2026.3', 'failure'],
    ['2026.3-stable; rm -rf /', 'failure'],
    ['$(id)', 'failure'],
    ['', 'failure'],
  ])('checks originalTag %j before promoting anything (%s), and uploads tag-artifacts either way', (originalTag, result) => {
    const sim = simulate('tag.yml', tag({ originalTag, skipGPUTest: true }));
    expect(sim.results.promote).toBe(result);
    if (result === 'failure') expect(npxCalls(sim)).toEqual([]);
    expect(executionsOf(sim, 'promote')[0].with['Upload artifacts/ and manifests/']).toEqual(TAG_ARTIFACTS);
  });
});

describe('tag_global_stable.yml', () => {
  it.each([
    ['2026.3', 'success'],
    ['2026.12', 'success'],
    ['2026', 'failure'],
    ['26.3', 'failure'],
    ['2026.3-main', 'failure'],
    ['2026.3\n2026.4', 'failure'],
    ['2026.3; curl evil', 'failure'],
  ])('accepts only <year>.<n> as stablePrefix: %j (%s)', (stablePrefix, result) => {
    const sim = simulate('tag_global_stable.yml', globalTag({ stablePrefix }));
    expect(sim.results.promote).toBe(result);
    if (result === 'failure') expect(npxCalls(sim)).toEqual([]);
  });
});

describe('test_gpu.yml', () => {
  const gpu = (inputs: Record<string, unknown>) => dispatch('main', { originalTag: '2026.3-main', dryRun: false, ...inputs });
  const IMAGE = 'ghcr.io/ucsd-ets/scipy-ml-notebook:2026.3-main';
  const runsOn = (dryRun: boolean) => evaluateValue(loadWorkflow('test_gpu.yml').jobs['test-gpu']['runs-on'], gpu({ dryRun }).context);

  it('pulls scipy-ml-notebook:<originalTag> on a GPU runner and runs its workflow_tests on all GPUs', () => {
    expect(runsOn(false)).toEqual(['self-hosted', 'gpu']);
    const ev = gpu({});
    const [job] = executionsOf(simulate('test_gpu.yml', ev), 'test-gpu');
    const docker = job.calls.filter((c) => c[0] === 'docker');
    expect(docker[0]).toEqual(['docker', 'pull', IMAGE]);
    expect(docker).toContainEqual([
      'docker', 'run', '--rm', '--gpus', 'all',
      '-v', `${ev.cwd}/images/scipy-ml-notebook/workflow_tests:/tests:ro`,
      IMAGE, 'python', '-m', 'pytest', '-v', '/tests',
    ]);
  });

  it('dry run: needs no GPU runner, pulls and runs nothing, and says so', () => {
    expect(runsOn(true)).toBe('ubuntu-latest');
    const [job] = executionsOf(simulate('test_gpu.yml', gpu({ dryRun: true })), 'test-gpu');
    expect(job.calls).toEqual([]);
    expect(job.steps).not.toContain('Log in to ghcr.io');
    expect(job.log).toContain(`Dry run: the GPU test of ${IMAGE} was skipped`);
    expect(job.summary).toContain('Dry run');
  });

  it.each(['', 'x y', '$(id)', 'a;b'])('rejects the tag %j before pulling anything', (originalTag) => {
    const sim = simulate('test_gpu.yml', gpu({ originalTag }));
    expect(sim.results['test-gpu']).toBe('failure');
    expect(executionsOf(sim, 'test-gpu')[0].calls).toEqual([]);
  });
});
