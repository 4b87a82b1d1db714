/**
 * Wall time of the main job on the example stack (tools/example-stack): a full build, test, push and manifest
 * run with --parallel=1 and with --parallel=2, then a no-change `nx affected -t build` run.
 * Each full run gets its own registry namespace and first layer, so no Docker layer cache or Nx cache helps it.
 * BENCHMARK_BUILDER=classic (or buildkit) sets the build executor's `builder`; unset, its default is measured.
 * Run: bash tools/benchmark-pipeline.sh (needs tools/setup.sh first).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { removeImagesUnder, REGISTRY } from '../packages/docker-stack-e2e/src/support/docker';
import { REPO_ROOT, TempWorkspace, uniqueId } from '../packages/docker-stack-e2e/src/support/workspace';

const PIPELINE = ['build', 'test', 'push', 'manifest'];
const BUILDER = process.env.BENCHMARK_BUILDER;

async function fullRun(parallel: number): Promise<{ full: number; noChange: number }> {
  const namespace = `bench-${uniqueId()}`;
  const ws = new TempWorkspace(`bench-p${parallel}`);
  try {
    ws.copyStack(join(REPO_ROOT, 'tools/example-stack/images'), [
      [`${REGISTRY}/datahub-example/`, `${REGISTRY}/${namespace}/`],
      // A first layer of its own, so the Docker layer cache of an earlier run does not help this one.
      ['FROM datahub-example-base:busybox', `FROM datahub-example-base:busybox\nRUN echo ${namespace} > /benchmark-run`],
    ]);
    if (BUILDER) {
      ws.write('nx.json', JSON.stringify({ ...JSON.parse(ws.read('nx.json')), targetDefaults: { build: { options: { builder: BUILDER } } } }));
    }
    ws.commit('example stack');
    let start = performance.now();
    ws.nxOk(['run-many', '-t', ...PIPELINE, `--parallel=${parallel}`]);
    const full = (performance.now() - start) / 1000;
    ws.commit('no change');
    start = performance.now();
    ws.nxOk(['affected', '-t', 'build', '--base=HEAD~1', '--head=HEAD']);
    const noChange = (performance.now() - start) / 1000;
    return { full, noChange };
  } finally {
    ws.remove();
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
  }
}

async function main(): Promise<void> {
  const one = await fullRun(1);
  const two = await fullRun(2);
  console.log(`example stack: 4 images, 3 levels; build + test + push + manifest; builder: ${BUILDER ?? 'default'}`);
  console.log(`full run, --parallel=1:            ${one.full.toFixed(1)} s`);
  console.log(`full run, --parallel=2:            ${two.full.toFixed(1)} s`);
  console.log(`speed-up parallel 2 over 1:        ${(one.full / two.full).toFixed(2)}x`);
  console.log(`no-change nx affected -t build:    ${one.noChange.toFixed(1)} s, ${two.noChange.toFixed(1)} s`);
  console.log(`full run / no-change run:          ${(one.full / one.noChange).toFixed(1)}x`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
