/**
 * How project inference scales with the size of the stack.
 *
 *   node --expose-gc -r @swc-node/register tools/benchmark-inference.ts     (or tools/benchmark-inference.sh)
 *
 * For generated stacks of 10, 100 and 1,000 images (3 levels, a Dockerfile and a file per image, in temporary
 * folders) it times the plugin's inference directly (`inferStack`, createNodes without its cache): the median of
 * 7 runs after a warm-up, and the heap it leaves in use (heapUsed after the call, result still referenced, minus
 * before; the largest of the runs); and createNodes served from its cache (the median of 7 hits). Then it times
 * `nx show projects` end to end (NX_DAEMON=false) for 10 and 1,000 images: a first run, and a second one that the
 * cache serves.
 */
import type { CreateNodesContext } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeGeneratedStack } from '../packages/docker-stack-e2e/src/support/generated-stack';
import { TempWorkspace } from '../packages/docker-stack-e2e/src/support/workspace';
import { createNodes, inferStack } from '@datahub/docker-stack';

const RUNS = 7;
/** Images per level; each sums to the stack size. */
const SIZES: Record<number, number[]> = {
  10: [2, 3, 5],
  100: [4, 16, 80],
  1000: [8, 64, 928],
};
const END_TO_END = [10, 1000];

const gc = (globalThis as { gc?: () => void }).gc;

function folderTarget(root: string) {
  return {
    write(relative: string, text: string): void {
      const file = join(root, relative);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Row {
  images: number;
  medianMs: number;
  minMs: number;
  heapMb: number;
  projects: number;
  /** createNodes when its cache has the stack. */
  cachedMs: number;
}

async function benchCreateNodes(images: number): Promise<Row> {
  const root = mkdtempSync(join(tmpdir(), `bench-inference-${images}-`));
  try {
    const spec = writeGeneratedStack(folderTarget(root), { levels: SIZES[images] });
    if (spec.size !== images) {
      throw new Error(`generated ${spec.size} images, not ${images}`);
    }
    const context: CreateNodesContext = { nxJsonConfiguration: {}, workspaceRoot: root };
    const infer = () => inferStack({ stackDir: 'images' }, root);
    const cached = () => createNodes[1](['images/spec.yml'], { stackDir: 'images' }, context);

    const projects = Object.keys(infer().projects).length;
    await cached();
    const hits: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      await cached();
      hits.push(performance.now() - start);
    }
    const times: number[] = [];
    let heapDelta = 0;
    for (let run = 0; run < RUNS; run++) {
      gc?.();
      const before = process.memoryUsage().heapUsed;
      const start = performance.now();
      const result = infer();
      times.push(performance.now() - start);
      heapDelta = Math.max(heapDelta, process.memoryUsage().heapUsed - before);
      if (Object.keys(result.projects).length !== projects) {
        throw new Error('inference returned a different number of projects');
      }
    }
    return { images, medianMs: median(times), minMs: Math.min(...times), heapMb: heapDelta / 2 ** 20, projects, cachedMs: median(hits) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function benchEndToEnd(images: number): { ms: number; cachedMs: number; projects: number } {
  const ws = new TempWorkspace(`bench-${images}`);
  try {
    writeGeneratedStack(ws, { levels: SIZES[images] });
    ws.commit('generated stack');
    const timed = () => {
      const start = performance.now();
      return { result: ws.nxOk(['show', 'projects', '--json']), ms: performance.now() - start };
    };
    const { result, ms } = timed();
    const cachedMs = timed().ms;
    const projects = (JSON.parse(result.stdout.split('\n').find((line: string) => line.startsWith('[')) ?? '[]') as string[]).length;
    if (projects !== images + 1) {
      throw new Error(`nx show projects listed ${projects} projects, expected ${images} images + stack`);
    }
    return { ms, cachedMs, projects };
  } finally {
    ws.remove();
  }
}

const pad = (value: string, width: number) => value.padStart(width);
const fixed = (value: number, digits: number) => value.toFixed(digits);

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${RUNS} runs after a warm-up, gc ${gc ? 'between runs' : 'not exposed (run with --expose-gc)'}\n`);
  const rows: Row[] = [];
  for (const images of Object.keys(SIZES).map(Number)) {
    rows.push(await benchCreateNodes(images));
  }
  console.log('inference (plugin function, in process; "cached": createNodes served from its cache)');
  console.log(`${pad('images', 7)} ${pad('levels', 12)} ${pad('projects', 9)} ${pad('median ms', 10)} ${pad('min ms', 8)} ${pad('ms/image', 9)} ${pad('heap MB', 8)} ${pad('cached ms', 10)}`);
  for (const row of rows) {
    console.log(
      `${pad(String(row.images), 7)} ${pad(SIZES[row.images].join('/'), 12)} ${pad(String(row.projects), 9)} ${pad(fixed(row.medianMs, 2), 10)} ` +
        `${pad(fixed(row.minMs, 2), 8)} ${pad(fixed(row.medianMs / row.images, 4), 9)} ${pad(fixed(row.heapMb, 2), 8)} ${pad(fixed(row.cachedMs, 2), 10)}`,
    );
  }
  const small = rows.find((row) => row.images === 10)!;
  const large = rows.find((row) => row.images === 1000)!;
  console.log(`ratio 1,000/10 images: ${fixed(large.medianMs / small.medianMs, 1)}x time for 100x images\n`);

  console.log('nx show projects --json (end to end, NX_DAEMON=false: a first run, then one served from the cache)');
  const endToEnd = END_TO_END.map((images) => ({ images, ...benchEndToEnd(images) }));
  for (const { images, ms, cachedMs, projects } of endToEnd) {
    console.log(`${pad(String(images), 7)} images: ${pad(fixed(ms, 0), 6)} ms, then ${pad(fixed(cachedMs, 0), 6)} ms (${projects} projects)`);
  }
  console.log(`ratio 1,000/10 images: ${fixed(endToEnd[1].ms / endToEnd[0].ms, 2)}x`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
