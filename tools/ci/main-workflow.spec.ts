/**
 * main.yml, run for the events that start it (push to main or a branch, pull request, fork pull request, dispatch,
 * schedule) by support/simulate.ts: its `if:`s, matrix and env are evaluated with GitHub's expression library and
 * its scripts run with a stub `npx`, so each test checks what the workflow does, not how the YAML reads.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { dispatch, executionsOf, npxCalls, pullRequest, push, schedule, simulate, type Simulation } from './support/simulate';
import { evaluateValue, loadAction, loadWorkflow, root, type Input } from './support/workflows';

// Simulations run bash and git on a shared machine: more time than jest's default 5 s.
jest.setTimeout(60_000);

const wf = loadWorkflow('main.yml');
const ALL_TARGETS = ['build', 'test', 'push', 'integration-test', 'manifest', 'prune'];
const FULL_REBUILD = ['nx', 'run-many', '-t', ...ALL_TARGETS, '--parallel=1', '--skip-nx-cache', '--noCache'];
const AFFECTED = ['nx', 'affected', '-t', ...ALL_TARGETS, '--base=base-sha', '--head=head-sha', '--parallel=1'];
const TAG_UNCHANGED = ['nx', 'run', 'stack:tag-unchanged'];
const NEW_GENERATION = ['nx', 'run', 'stack:new-generation'];
const BUILD_AND_TEST_ONLY = (cmd: string) => expect.arrayContaining([cmd, '-t', 'build', 'test']);

const nxBuilds = (sim: Simulation) => npxCalls(sim).filter((c) => c[1] === 'run-many' || c[1] === 'affected' || c[2] === 'stack:tag-unchanged' || c[2] === 'stack:new-generation');
const ran = (sim: Simulation) => Object.keys(sim.results).filter((job) => sim.results[job] !== 'skipped');
const wikiWritten = (sim: Simulation) => npxCalls(sim).filter((c) => c.join(' ') === 'nx run stack:wiki').length;

describe('main.yml triggers', () => {
  it('runs on pushes to branches, pull requests, a weekly schedule and by hand', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push', 'schedule', 'workflow_dispatch']);
    expect(wf.on.push.branches).toEqual(['**']); // not for pushed git tags
    const [cron] = wf.on.schedule.map((s: { cron: string }) => s.cron.split(' '));
    expect(cron).toHaveLength(5);
    expect([cron[2], cron[3]]).toEqual(['*', '*']); // every month, every day of the month…
    expect(cron[4]).toMatch(/^[0-6]$/); // …on one weekday: weekly
  });

  it('takes fullRebuild and distribute (booleans) and agents (number) when started by hand', () => {
    const inputs = wf.on.workflow_dispatch.inputs as Record<string, Input>;
    expect(inputs.fullRebuild).toMatchObject({ type: 'boolean', default: false });
    expect(inputs.distribute).toMatchObject({ type: 'boolean', default: false });
    expect(inputs.agents).toMatchObject({ type: 'number', default: 3 });
  });

  it("keys concurrency on the head branch, so a branch's push and pull request runs queue", () => {
    const group = (ev: ReturnType<typeof push>) => evaluateValue(wf.concurrency?.group, { ...ev.context, github: { ...(ev.context.github as object), workflow: 'Build images' } });
    expect(group(push('feature/x', 'Change'))).toBe(group(pullRequest('feature/x')));
    expect(group(push('feature/x', 'Change'))).not.toBe(group(push('feature/y', 'Change')));
    expect(group(push('main', 'Change'))).toBe(group(schedule()));
    expect(wf.concurrency?.['cancel-in-progress']).toBe(false);
  });
});

describe('"skip ci"', () => {
  it.each([
    ['a push whose head commit says it', () => push('feature/x', 'Tidy [skip ci]')],
    ['a pull request whose title says it', () => pullRequest('feature/x', { title: 'WIP skip ci' })],
  ])('skips every job for %s', (_, ev) => {
    expect(ran(simulate('main.yml', ev()))).toEqual([]);
  });

  it('does not skip an ordinary push', () => {
    expect(ran(simulate('main.yml', push('feature/x', 'Bump pandas')))).toEqual(['plan', 'build', 'collect']);
  });
});

describe('what a run builds', () => {
  it('calls tools/ci/main-job.sh, which chooses and runs the build', () => {
    const step = wf.jobs.build.steps?.find((s) => s.run?.includes('main-job.sh'));
    expect(step?.run?.trim()).toBe('"$GITHUB_WORKSPACE/tools/ci/main-job.sh" "$PART"');
    expect(fs.statSync(path.join(root, 'tools/ci/main-job.sh')).mode & 0o111).not.toBe(0);
  });

  it.each([
    ['push to main', () => push('main', 'Bump pandas')],
    ['dispatch on main', () => dispatch('main', { fullRebuild: false, distribute: false, agents: 3 })],
  ])('%s: builds what the push changed, then tags every other image <prefix>-main from its content tag', (_, ev) => {
    expect(nxBuilds(simulate('main.yml', ev()))).toEqual([AFFECTED, TAG_UNCHANGED]);
  });

  it.each([
    ['weekly schedule', () => schedule()],
    ['dispatch on main with fullRebuild', () => dispatch('main', { fullRebuild: true, distribute: false, agents: 3 })],
    ['"full rebuild" in a push to main', () => push('main', 'Bump CUDA\n\nfull rebuild')],
  ])('%s: moves the rebuild generation on, then rebuilds every image with no Nx cache and no layer cache', (_, ev) => {
    expect(nxBuilds(simulate('main.yml', ev()))).toEqual([NEW_GENERATION, FULL_REBUILD]);
  });

  it.each([
    ['dispatch on a branch with fullRebuild', () => dispatch('feature/x', { fullRebuild: true, distribute: false, agents: 3 })],
    ['"full rebuild" in a branch commit', () => push('feature/x', 'Bump CUDA\n\nfull rebuild')],
    ['"full rebuild" in a pull request head commit', () => pullRequest('feature/x', { message: 'Base image\n\nfull rebuild' })],
  ])("%s: rebuilds every image with no Nx cache and no layer cache, leaving the stack's generation to main", (_, ev) => {
    expect(nxBuilds(simulate('main.yml', ev()))).toEqual([FULL_REBUILD]);
  });

  it('"full rebuild" in a fork pull request: builds and tests everything, and leaves the generation alone', () => {
    const [call, ...more] = nxBuilds(simulate('main.yml', pullRequest('feature/x', { fork: true, message: 'Base\n\nfull rebuild' })));
    expect(more).toEqual([]);
    expect(call).toEqual(BUILD_AND_TEST_ONLY('run-many'));
  });

  it.each([
    ['push to a branch', () => push('feature/x', 'Bump pandas')],
    ['push to main-2 (not main)', () => push('main-2', 'Fix')],
    ['pull request into main', () => pullRequest('feature/x')],
  ])('%s: builds the affected images between NX_BASE and NX_HEAD', (_, ev) => {
    expect(nxBuilds(simulate('main.yml', ev()))).toEqual([AFFECTED]);
  });

  it('keeps a commit message out of the shell (it reaches the plan only through env)', () => {
    const ev = push('dev', '$(touch pwned) `touch pwned` "; touch pwned; "');
    expect(nxBuilds(simulate('main.yml', ev))).toEqual([AFFECTED]);
    expect(fs.existsSync(path.join(ev.cwd, 'pwned'))).toBe(false);
  });

  it('may forward --noCache to every target: the pipeline executor runs every step, declares it, and refuses no extra option', () => {
    // The plugin infers every step target with the pipeline executor (the step as an option); executors.json says
    // where its schema is.
    const plugin = path.join(root, 'packages/docker-stack');
    const { executors } = JSON.parse(fs.readFileSync(path.join(plugin, 'executors.json'), 'utf8'));
    const schema = JSON.parse(fs.readFileSync(path.join(plugin, executors.pipeline.schema), 'utf8'));
    expect(schema.properties.step.enum).toEqual(ALL_TARGETS);
    expect(schema.properties.noCache.type).toBe('boolean');
    expect(schema.additionalProperties).not.toBe(false);
  });
});

describe('"skip push" and pull requests from forks: build and test only', () => {
  it.each([
    ['"skip push" on a branch', () => push('feature/x', 'Try it\n\nskip push'), 'affected'],
    ['"skip push" on main (nothing is tagged either)', () => push('main', 'Try it (skip push)'), 'affected'],
    ['"skip push" in a pull request head commit', () => pullRequest('feature/x', { message: 'skip push' }), 'affected'],
    ['a pull request from a fork', () => pullRequest('feature/x', { fork: true }), 'affected'],
  ])('%s: runs only build and test, and writes no wiki', (_, ev, command) => {
    const sim = simulate('main.yml', ev());
    const [call, ...more] = nxBuilds(sim);
    expect(more).toEqual([]);
    expect(call).toEqual(BUILD_AND_TEST_ONLY(command));
    expect(call.slice(call.indexOf('-t') + 1).filter((a) => !a.startsWith('--'))).toEqual(['build', 'test']);
    expect(sim.results.wiki).toBe('skipped');
    expect(wikiWritten(sim)).toBe(0);
  });

  it('a same-repository pull request pushes (its branch tag), a fork cannot', () => {
    expect(simulate('main.yml', pullRequest('feature/x')).outputs.plan.push).toBe('true');
    expect(simulate('main.yml', pullRequest('feature/x', { fork: true })).outputs.plan.push).toBe('false');
  });
});

describe('the wiki', () => {
  it.each([
    ['push to main', () => push('main', 'Bump pandas')],
    ['weekly schedule', () => schedule()],
    ['dispatch on main', () => dispatch('main', { distribute: false, agents: 3 })],
  ])('is written once after a successful build for %s', (_, ev) => {
    const sim = simulate('main.yml', ev());
    expect(sim.results.wiki).toBe('success');
    expect(wikiWritten(sim)).toBe(1);
    expect(executionsOf(sim, 'wiki')[0].steps).toEqual(expect.arrayContaining(['Check out the wiki', 'Push the wiki']));
  });

  it.each([
    ['push to a branch', () => push('feature/x', 'Bump pandas')],
    ['pull request into main', () => pullRequest('feature/x')],
    ['dispatch on a branch', () => dispatch('feature/x', { distribute: false, agents: 3 })],
  ])('is not written for %s', (_, ev) => {
    const sim = simulate('main.yml', ev());
    expect(sim.results.build).toBe('success');
    expect(sim.results.wiki).toBe('skipped');
  });

  it('is not written when the build on main fails, while the results of every machine are still collected', () => {
    const sim = simulate('main.yml', push('main', 'Bump pandas'), { build: 'failure' });
    expect(sim.results.collect).toBe('success');
    expect(sim.results.wiki).toBe('skipped');
  });
});

describe('distributed mode', () => {
  const distributed = () => simulate('main.yml', dispatch('main', { distribute: true, agents: 3 }));

  it('runs one agent job per requested agent, each logging in to the registry and starting an Nx agent', () => {
    const sim = distributed();
    const agents = executionsOf(sim, 'agents');
    expect(agents.map((a) => a.matrix.agent)).toEqual([1, 2, 3]);
    const prepare = loadAction('prepare-build-host').runs.steps.find((s) => s.uses?.startsWith('docker/login-action@'));
    expect(prepare?.with?.registry).toBe('ghcr.io');
    for (const agent of agents) {
      expect(agent.steps).toContain('Prepare the build host');
      expect(agent.calls).toEqual([['npx', 'nx-cloud', 'start-agent']]);
    }
  });

  it('coordinates from the main job: start the run, the usual build command, then stop the agents', () => {
    const [main] = executionsOf(distributed(), 'build');
    expect(main.calls.map((c) => c.slice(1, 3).join(' '))).toEqual(['nx-cloud start-ci-run', 'nx affected', 'nx run', 'nx-cloud stop-all-agents']);
    expect(main.calls[0]).toContain('--distribute-on=manual');
    expect(main.steps).toContain('Prepare the build host');
  });

  it("collects every machine's results into one upload, which the single wiki job reads", () => {
    const sim = distributed();
    const template = loadAction('upload-results').runs.steps[0].with?.name;
    const uploadName = (machine: unknown) => evaluateValue(template, { github: { run_attempt: '1' }, inputs: { machine } });
    const machines = sim.executions
      .filter((e) => e.job !== 'collect')
      .flatMap((e) => Object.entries(e.with).filter(([step]) => step === "Upload this machine's results").map(([, w]) => w.machine));
    const names = machines.map(uploadName);
    expect(names).toHaveLength(4); // the main job and 3 agents
    expect(new Set(names).size).toBe(4);
    const [collect] = executionsOf(sim, 'collect');
    const pattern = String(collect.with["Download every machine's results"].pattern);
    for (const name of names) expect(String(name).startsWith(pattern.replace(/\*$/, ''))).toBe(true);
    const merged = uploadName(collect.with['Upload the results of the whole run'].machine);
    expect(executionsOf(sim, 'wiki')[0].with["Download the results of every machine"].name).toBe(merged);
    expect(wikiWritten(sim)).toBe(1);
  });

  it('writes the wiki only after every agent finished, and not when one failed', () => {
    expect([wf.jobs.wiki.needs].flat()).toEqual(expect.arrayContaining(['agents', 'collect', 'build']));
    expect(simulate('main.yml', dispatch('main', { distribute: true, agents: 2 }), { agents: 'failure' }).results.wiki).toBe('skipped');
  });

  it('is switched on for pushes by the repository variables DISTRIBUTE and DISTRIBUTE_AGENTS', () => {
    const sim = simulate('main.yml', push('main', 'Bump', { vars: { DISTRIBUTE: 'true', DISTRIBUTE_AGENTS: '2' } }));
    expect(executionsOf(sim, 'agents')).toHaveLength(2);
    expect(executionsOf(simulate('main.yml', push('main', 'Bump')), 'agents')).toHaveLength(0);
  });

  it('is never used for a fork (no Nx Cloud token there)', () => {
    const sim = simulate('main.yml', pullRequest('feature/x', { fork: true, vars: { DISTRIBUTE: 'true' } }));
    expect(sim.results.agents).toBe('skipped');
    expect(npxCalls(sim).filter((c) => c[0] === 'nx-cloud')).toEqual([]);
  });

  it.each([
    ['without the Nx Cloud secret', dispatch('main', { distribute: true, agents: 3 }, { secrets: { GITHUB_TOKEN: 'x' } }), /NX_CLOUD_ACCESS_TOKEN/],
    ['with 0 agents', dispatch('main', { distribute: true, agents: 0 }), /number of agents must be 1 to 99/],
  ])('stops at the plan with a clear error %s', (_, ev, message) => {
    const sim = simulate('main.yml', ev);
    expect(sim.results.plan).toBe('failure');
    expect(ran(sim)).toEqual(['plan']);
    expect(executionsOf(sim, 'plan')[0].log).toMatch(message);
  });
});

describe('one runner per platform (platformRunners)', () => {
  const split = (ev = push('main', 'Bump', { vars: { PLATFORM_RUNNERS: 'true' } }), outcomes = {}) => simulate('main.yml', ev, outcomes);
  const MERGE_INDEX = ['nx', 'run', 'stack:merge-index'];

  it('builds each platform on a runner of that platform, with STACK_PLATFORM set, and nothing stack-wide there', () => {
    const sim = split();
    const builds = executionsOf(sim, 'build');
    const runsOn = builds.map((b) => evaluateValue(wf.jobs.build['runs-on'], { matrix: b.matrix }));
    expect(runsOn).toEqual(['ubuntu-24.04', 'ubuntu-24.04-arm']);
    for (const [index, platform] of ['linux/amd64', 'linux/arm64'].entries()) {
      expect(builds[index].log).toContain(`Main job (build): main build of the images this push to main changed; the others keep their content tag (targets: ${ALL_TARGETS.join(' ')}), platform ${platform} only`);
      expect(builds[index].calls.map((c) => c.slice(1))).toEqual([AFFECTED, ['nx', 'run', 'stack:summary']]);
    }
    expect(wf.jobs.build.env?.STACK_PLATFORM).toBe('${{ matrix.runner.platform }}');
  });

  it('then merges the indexes once, and tags the unchanged images, before the wiki', () => {
    const sim = split();
    expect(executionsOf(sim, 'merge-index')[0].calls.map((c) => c.slice(1))).toEqual([MERGE_INDEX, TAG_UNCHANGED]);
    expect(sim.results.wiki).toBe('success');
    // Each platform's results are uploaded under a name of its own; the collect job leaves the summary to them.
    const machines = executionsOf(sim, 'build').map((b) => b.with["Upload this machine's results"].machine);
    expect(machines).toEqual(['linux-amd64', 'linux-arm64']);
    // The merge job brings in both runners' manifests/ (for the index pages) and uploads what it wrote.
    const template = loadAction('upload-results').runs.steps[0].with?.name;
    const uploadName = (machine: unknown) => String(evaluateValue(template, { github: { run_attempt: '1' }, inputs: { machine } }));
    const [merge] = executionsOf(sim, 'merge-index');
    const pattern = String(merge.with["Download the platform runners' results"].pattern).replace(/\*$/, '');
    expect(machines.map(uploadName).every((name) => name.startsWith(pattern))).toBe(true);
    expect(merge.with["Upload this machine's results"].machine).toBe('merge-index');
    expect(executionsOf(sim, 'collect')[0].steps).not.toContain('Write the build summary');
  });

  it('moves the rebuild generation on once, before both runners, for a full rebuild on main', () => {
    const sim = split(dispatch('main', { fullRebuild: true, distribute: false, agents: 3, platformRunners: true }));
    expect(executionsOf(sim, 'prepare')[0].calls.map((c) => c.slice(1))).toEqual([NEW_GENERATION]);
    expect(executionsOf(sim, 'build').map((b) => b.calls.map((c) => c.slice(1)).filter((c) => c[0] === 'nx' && c[2] !== 'stack:summary'))).toEqual([[FULL_REBUILD], [FULL_REBUILD]]);
    expect(executionsOf(sim, 'merge-index')[0].calls.map((c) => c.slice(1))).toEqual([MERGE_INDEX]);
  });

  it('writes no index and no wiki when one platform failed, nor anything for a run that does not push', () => {
    const failed = split(undefined, { build: 'failure' });
    expect([failed.results['merge-index'], failed.results.wiki, failed.results.collect]).toEqual(['skipped', 'skipped', 'success']);
    const fork = split(pullRequest('feature/x', { fork: true, vars: { PLATFORM_RUNNERS: 'true' } }));
    expect(executionsOf(fork, 'build')).toHaveLength(2);
    expect(fork.results['merge-index']).toBe('skipped');
    expect(npxCalls(fork).filter((c) => c[2]?.startsWith('stack:') && c[2] !== 'stack:summary')).toEqual([]);
  });

  it("main-job.sh refuses a part it does not know, naming the ones it has", () => {
    const run = spawnSync(path.join(root, 'tools/ci/main-job.sh'), ['merge'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect([run.status, run.stderr.trim()]).toEqual([2, "main-job.sh: unknown part 'merge' (all, prepare, build or finish)"]);
  });

  it('is one runner of every platform by default, and refuses to be combined with distribute', () => {
    const plain = simulate('main.yml', push('main', 'Bump'));
    expect(executionsOf(plain, 'build').map((b) => b.matrix)).toEqual([{ runner: { name: 'main', platform: '', 'runs-on': 'ubuntu-latest' } }]);
    expect([plain.results.prepare, plain.results['merge-index']]).toEqual(['skipped', 'skipped']);
    const both = simulate('main.yml', dispatch('main', { distribute: true, agents: 2, platformRunners: true }));
    expect(both.results.plan).toBe('failure');
    expect(executionsOf(both, 'plan')[0].log).toMatch(/platformRunners and distribute cannot be combined/);
  });
});
