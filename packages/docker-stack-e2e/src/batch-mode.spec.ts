/**
 * Nx's batch mode (NX_BATCH_MODE=true, the repository's .env) through the real nx CLI, engine, registry and pytest:
 * every step of every image runs in one process of the pipeline executor's batch, in dependency order; a failed
 * test stops its image's descendants and the rest goes on; each task's output is shown once; what passed is cached.
 * Stack: bm-root <- bm-mid <- bm-leaf, bm-root <- bm-sib.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeImagesUnder, REGISTRY } from './support/docker';
import { cachedTasks, ranTasks, REPO_ROOT, TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(600_000);

const PARENTS: Record<string, string | undefined> = { 'bm-root': undefined, 'bm-mid': 'bm-root', 'bm-leaf': 'bm-mid', 'bm-sib': 'bm-root' };
const namespace = `e2e-batch-${uniqueId()}`;
const repository = (image: string) => `${REGISTRY}/${namespace}/${image}`;
const EXAMPLE = join(REPO_ROOT, 'tools/example-stack/images');
const BATCH = { NX_BATCH_MODE: 'true', GITHUB_REF_NAME: 'batch' };
const TARGETS = ['run-many', '-t', 'build', 'test', 'push', 'manifest'];

function writeStack(ws: TempWorkspace): void {
  const spec = ['root: bm-root', 'images:'];
  for (const [image, parent] of Object.entries(PARENTS)) {
    spec.push(`  ${image}:`, `    image_name: ${repository(image)}`, ...(parent ? [`    depend_on: ${parent}`] : []), '    prepull: false');
    const from = parent ? ['ARG BASE_TAG=latest', `FROM ${repository(parent)}:\${BASE_TAG}`] : ['FROM datahub-example-base:busybox'];
    ws.write(`images/${image}/Dockerfile`, [...from, `COPY ${image}.txt /opt/stack/${image}.txt`, ''].join('\n'));
    ws.write(`images/${image}/${image}.txt`, `${image}\n`);
    ws.write(`images/${image}/test/test_${image.replace('-', '_')}.py`, `def test_has_its_file(container):\n    assert container.run("cat /opt/stack/${image}.txt") == (0, "${image}\\n")\n`);
  }
  spec.push('tag:', '  prefix: "2026.3"', '');
  ws.write('images/spec.yml', spec.join('\n'));
  ws.write('images/change_ignore.json', readFileSync(join(EXAMPLE, 'change_ignore.json'), 'utf8'));
  ws.write('images/conftest.py', readFileSync(join(EXAMPLE, 'conftest.py'), 'utf8'));
}

const stepResult = (ws: TempWorkspace, image: string, step: string) => JSON.parse(ws.read(`artifacts/${image}/${step}.json`)) as { success: boolean };

describe('batch mode (NX_BATCH_MODE=true)', () => {
  let ws: TempWorkspace;

  beforeAll(() => {
    ws = new TempWorkspace('batch-mode');
    writeStack(ws);
    // bm-mid's test fails: its image is built, but nothing is built on it.
    ws.write('images/bm-mid/test/test_bm_mid.py', 'def test_fails():\n    assert False, "bm-mid is broken"\n');
    ws.commit('batch stack');
  });

  afterAll(async () => {
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    ws?.remove();
  });

  it("runs every step in one batch; a failed test stops its image's descendants, the rest goes on", () => {
    const run = ws.nx(TARGETS, BATCH);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('Running 16 tasks with @datahub/docker-stack:pipeline');
    expect(run.output).toMatch(/- bm-mid:test/);
    expect(run.output).toContain('not run: bm-mid:test failed');
    expect(existsSync(ws.path('artifacts/bm-leaf/build.json'))).toBe(false);
    for (const step of ['build', 'test', 'push', 'manifest']) {
      expect([step, stepResult(ws, 'bm-sib', step).success]).toEqual([step, true]);
    }
    // Each task's output once, when it ends (not also live from the batch process): pytest's failure shows once.
    expect(run.output.match(/E {7}AssertionError: bm-mid is broken/g)).toHaveLength(1);
  });

  it('the next run takes what passed from the cache and builds the rest on the fixed parent', () => {
    ws.write('images/bm-mid/test/test_bm_mid.py', 'def test_has_its_file(container):\n    assert container.run("cat /opt/stack/bm-mid.txt") == (0, "bm-mid\\n")\n');
    ws.commit('fix bm-mid');
    const run = ws.nxOk(TARGETS, BATCH);
    expect(cachedTasks(run)).toEqual(expect.arrayContaining(['bm-root:build', 'bm-root:test', 'bm-sib:build', 'bm-sib:manifest', 'bm-mid:build']));
    expect(ranTasks(run).sort()).toEqual(['bm-leaf:build', 'bm-leaf:manifest', 'bm-leaf:push', 'bm-leaf:test', 'bm-mid:manifest', 'bm-mid:push', 'bm-mid:test']);
    const leaf = JSON.parse(ws.read('artifacts/bm-leaf/build.json')) as { parent: { imageId: string } };
    expect(leaf.parent.imageId).toBe((JSON.parse(ws.read('artifacts/bm-mid/build.json')) as { imageId: string }).imageId);
  });
});
