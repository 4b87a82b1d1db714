/**
 * The main job (build, test, push, manifest) on issue 9's stack (tools/benchmark-stack.ts: 12 images, 3 levels),
 * with Nx's daemon off as in CI, for each --parallel given:
 *   a: first run, 12 images   b: one leaf changed   c: the root changed, 12 rebuilt   d: a change outside images/
 * For each: wall time, the sum of step seconds from artifacts/, the overhead per task on the critical path and
 * the time to the first task; for a, the peak RSS of nx and its workers. Then Nx's own cost: 12 chained empty
 * tasks. Each repeat gets its own registry namespace, so no Docker layer cache or Nx cache helps it; figures
 * are medians over the repeats. The repository's .env (NX_ISOLATE_PLUGINS) is copied in; the environment overrides it.
 * BENCHMARK_BUILDER=classic (or buildkit) sets the build executor's `builder`; unset, its default is measured.
 * --kit-stack=DIR runs on a stack of the side-by-side kit's generator instead (../shared/bench/gen-stack.py's output
 * folder, which needs the kit's base image), so the breakdown is of the very stack the side-by-side table measured.
 * Run: npm run benchmark:pipeline [-- --parallel=1,2 --repeat=3 --dump=/tmp/bench --kit-stack=DIR] (--dump keeps every step's timing)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeImagesUnder, REGISTRY } from '../packages/docker-stack-e2e/src/support/docker';
import { NX_CLI, nxEnvironment, REPO_ROOT, TempWorkspace, uniqueId } from '../packages/docker-stack-e2e/src/support/workspace';
import { scenarioFigures, writeBenchmarkStack, writeKitStack, type ScenarioFigures } from './benchmark-stack';

const PIPELINE = ['build', 'test', 'push', 'manifest'];
const BUILDER = process.env.BENCHMARK_BUILDER;

/** Summed RSS (MiB) of the node processes under `pid`: nx, its plugin workers and its task processes. */
function treeRss(pid: number): number {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map(([p, pp, rss, comm]) => ({ pid: Number(p), ppid: Number(pp), rss: Number(rss), comm }));
  const inTree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (!inTree.has(row.pid) && inTree.has(row.ppid)) {
        inTree.add(row.pid);
        grew = true;
      }
    }
  }
  return rows.filter((row) => inTree.has(row.pid) && row.comm.startsWith('node')).reduce((sum, row) => sum + row.rss, 0) / 1024;
}

/** Runs nx in the workspace; resolves with its wall time and the peak RSS of its node processes. */
function runNx(ws: TempWorkspace, args: string[], env: Record<string, string> = {}): Promise<{ started: number; wall: number; peakRss: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [NX_CLI, ...args], {
    cwd: ws.root,
    env: nxEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let peakRss = 0;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRss(child.pid ?? 0))), 200);
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      clearInterval(sampler);
      const wall = (Date.now() - started) / 1000;
      code === 0 ? resolve({ started, wall, peakRss }) : reject(new Error(`nx ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`));
    }),
  );
}

/** The repository's .env (Nx start-up settings), as a workspace set up like this one has it. */
function useRepositoryEnv(ws: TempWorkspace): void {
  if (existsSync(join(REPO_ROOT, '.env'))) {
    ws.write('.env', readFileSync(join(REPO_ROOT, '.env'), 'utf8'));
  }
}

type Scenario = 'a' | 'b' | 'c' | 'd';
type Run = Record<Scenario, ScenarioFigures> & { rss: number };

async function oneRun(parallel: number): Promise<Run> {
  const namespace = `bench-${uniqueId()}`;
  const ws = new TempWorkspace(`bench-p${parallel}`);
  try {
    const kitStack = arg('kit-stack', '');
    const prefix = `${REGISTRY}/${namespace}/`;
    const { root, leaf, inputFile } = kitStack ? writeKitStack(ws, kitStack, prefix) : writeBenchmarkStack(ws, prefix);
    useRepositoryEnv(ws);
    if (BUILDER) {
      ws.write('nx.json', JSON.stringify({ ...JSON.parse(ws.read('nx.json')), targetDefaults: { build: { options: { builder: BUILDER } } } }));
    }
    ws.commit('benchmark stack');
    const affected = ['affected', '-t', ...PIPELINE, '--base=HEAD~1', '--head=HEAD', `--parallel=${parallel}`];
    const measure = async (args: string[]) => {
      const run = await runNx(ws, args);
      return { figures: scenarioFigures(ws.root, run.started, run.wall), rss: run.peakRss };
    };
    const a = await measure(['run-many', '-t', ...PIPELINE, `--parallel=${parallel}`]);
    const change = (file: string, message: string) => {
      ws.write(file, `${existsSync(ws.path(file)) ? ws.read(file) : ''}${message}\n`);
      ws.commit(message);
    };
    // b and d are short, so noisier: each is measured `--small` times (default 3) and the median kept.
    const small = Number(arg('small', '3'));
    const bs: ScenarioFigures[] = [];
    for (let i = 0; i < small; i++) {
      change(inputFile(leaf), `leaf changed ${i}`);
      bs.push((await measure(affected)).figures);
    }
    change(inputFile(root), 'root changed');
    const c = await measure(affected);
    const ds: ScenarioFigures[] = [];
    for (let i = 0; i < small; i++) {
      change('docs/notes.md', `A change outside images/ ${i}`);
      ds.push((await measure(affected)).figures);
    }
    return { a: a.figures, b: medianRun(bs), c: c.figures, d: medianRun(ds), rss: a.rss };
  } finally {
    ws.remove();
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
  }
}

/**
 * Nx's own cost per task: 12 chained tasks of an executor that does nothing (a local plugin, forked like ours),
 * against 1, medians of 3. No stack plugin, no cache. `batched`: the same with the executor's batchImplementation
 * and NX_BATCH_MODE=true, where Nx runs a chain of one executor in one process.
 */
async function emptyTasks(batched: boolean): Promise<{ wall: number; perTask: number }> {
  const ws = new TempWorkspace('bench-empty');
  try {
    ws.write('nx.json', JSON.stringify({ cacheDirectory: '.nx/cache' }));
    ws.write('package.json', JSON.stringify({ name: 'bench-empty', private: true, workspaces: ['empty-exec'] }));
    ws.write('tsconfig.base.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { 'empty-exec': ['empty-exec'] } } }));
    ws.write('empty-exec/package.json', JSON.stringify({ name: 'empty-exec', version: '0.0.0', executors: './executors.json' }));
    ws.write('empty-exec/project.json', JSON.stringify({ name: 'empty-exec' }));
    const noop = { implementation: './noop.js', batchImplementation: './noop.js#batch', schema: './schema.json', description: 'nothing' };
    ws.write('empty-exec/executors.json', JSON.stringify({ executors: { noop } }));
    ws.write(
      'empty-exec/noop.js',
      'module.exports = async () => ({ success: true });\n' +
        'module.exports.batch = async function* (graph) { for (const task of Object.keys(graph.tasks)) yield { task, result: { success: true, terminalOutput: "" } }; };\n',
    );
    ws.write('empty-exec/schema.json', JSON.stringify({ version: 2, type: 'object', properties: {} }));
    const targets = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`t${i}`, { executor: 'empty-exec:noop', dependsOn: i ? [`t${i - 1}`] : [], cache: false }]));
    ws.write('empty/project.json', JSON.stringify({ name: 'empty', targets }));
    useRepositoryEnv(ws);
    ws.commit('empty tasks');
    const walls = async (target: string) => {
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        samples.push((await runNx(ws, ['run', target], { NX_BATCH_MODE: String(batched) })).wall);
      }
      return median(samples);
    };
    const wall = await walls('empty:t11');
    return { wall, perTask: Math.max(0, (wall - (await walls('empty:t0'))) / 11) };
  } finally {
    ws.remove();
  }
}

/** The run of median wall time. */
const medianRun = (runs: ScenarioFigures[]) => [...runs].sort((x, y) => x.wall - y.wall)[Math.floor(runs.length / 2)];
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;

function report(parallel: number, runs: Run[]): void {
  const s = (value: number) => `${value.toFixed(1)} s`.padStart(8);
  console.log(`\n--parallel=${parallel} (median of ${runs.length}; builder: ${BUILDER ?? 'default'})`);
  console.log('scenario                      wall  step sum  overhead/task (critical tasks)  first task  tasks');
  const names: Record<Scenario, string> = { a: 'a: first run, 12 images', b: 'b: one leaf changed', c: 'c: root changed', d: 'd: change outside images/' };
  for (const key of Object.keys(names) as Scenario[]) {
    const m = (pick: (f: ScenarioFigures) => number) => median(runs.map((run) => pick(run[key])));
    const overhead = m((f) => f.tasks) ? `${m((f) => f.overheadPerTask).toFixed(2)} s (${m((f) => f.criticalTasks)})` : '-';
    console.log(`${names[key].padEnd(26)}${s(m((f) => f.wall))}${s(m((f) => f.stepSeconds))}  ${overhead.padStart(28)}  ${s(m((f) => f.firstTask))}  ${m((f) => f.tasks)}`);
  }
  console.log(`peak RSS of nx + workers, scenario a: ${median(runs.map((run) => run.rss)).toFixed(0)} MiB`);
}

async function main(): Promise<void> {
  const repeat = Number(arg('repeat', '1'));
  // --parallel= (empty) measures only Nx's own cost.
  for (const parallel of arg('parallel', '1,2').split(',').map(Number).filter(Boolean)) {
    const runs: Run[] = [];
    for (let i = 0; i < repeat; i++) {
      runs.push(await oneRun(parallel));
    }
    report(parallel, runs);
    const dump = arg('dump', '');
    if (dump) {
      writeFileSync(`${dump}-p${parallel}.json`, JSON.stringify(runs, null, 1));
    }
  }
  for (const batched of [false, true]) {
    const empty = await emptyTasks(batched);
    const how = batched ? ', batched (NX_BATCH_MODE=true)' : '';
    console.log(`${batched ? '' : '\n'}Nx alone: 12 chained tasks of an empty executor${how} ${empty.wall.toFixed(1)} s, ${empty.perTask.toFixed(2)} s per task`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
