/**
 * `nx run stack:summary` after a real pipeline run (nx CLI, engine, registry, pytest) of the example stack in
 * which one image fails its tests: every number of the report is checked against artifacts/ and the registry.
 */
import { existsSync } from 'node:fs';
import { copyRegistryTag, REGISTRY } from './support/docker';
import { CI_TARGETS, ExampleStack, IMAGES, MAIN_TAG } from './support/example-stack';

jest.setTimeout(900_000);

const COLUMNS = ['Image', 'Result', 'build', 'test', 'push', 'integration-test', 'manifest', 'prune', 'Duration', 'Size', 'vs 2026.3-stable', 'Digest', 'Passed', 'Failed', 'Skipped'];

/** The report's table as one record per image, keyed by column name. */
function tableOf(markdown: string): Record<string, string>[] {
  const lines = markdown.split('\n').filter((line) => line.startsWith('| '));
  expect(lines[0]).toBe(`| ${COLUMNS.join(' | ')} |`);
  return lines.slice(1).map((line) => {
    const cells = line.slice(2, -2).split(' | ');
    return Object.fromEntries(COLUMNS.map((column, index) => [column, cells[index]]));
  });
}

/** Compressed size of a tag as the registry's manifest lists it (config plus layers). */
async function registrySize(path: string, tag: string): Promise<number> {
  const response = await fetch(`http://${REGISTRY}/v2/${path}/manifests/${tag}`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  const manifest = (await response.json()) as { config: { size: number }; layers: { size: number }[] };
  return manifest.layers.reduce((sum, layer) => sum + layer.size, manifest.config.size);
}

describe('nx run stack:summary', () => {
  let stack: ExampleStack;

  beforeAll(() => {
    stack = new ExampleStack('summary');
  });

  afterAll(async () => stack?.remove());

  it('reports each image of a run with one failing image, the numbers matching artifacts/ and the registry', async () => {
    const { ws } = stack;
    const testFile = 'images/example-ml/test/test_example_ml.py';
    ws.write(testFile, `${ws.read(testFile)}\n\ndef test_fails_on_purpose():\n    assert 1 == 2, "example-ml broken on purpose"\n`);
    ws.commit('break a test of example-ml');
    expect(ws.nx(['run-many', '-t', ...CI_TARGETS, '--parallel=1']).status).not.toBe(0);
    // A stable tag for example-base only: its size change is shown, the others have none.
    await copyRegistryTag(stack.path('example-base'), MAIN_TAG, '2026.3-stable');

    // As in CI: $GITHUB_STEP_SUMMARY already holds another step's text, and the report is appended.
    ws.write('step-summary.md', '# earlier step\n');
    const result = ws.nxOk(['run', 'stack:summary'], { GITHUB_STEP_SUMMARY: ws.path('step-summary.md') });
    const markdown = ws.read('artifacts/summary.md');
    expect(result.output).toContain(markdown.split('\n')[2]);
    expect(ws.read('step-summary.md')).toBe(`# earlier step\n${markdown}`);
    const rows = tableOf(markdown);
    expect(rows.map((row) => row.Image)).toEqual(['example-ml', ...IMAGES.filter((image) => image !== 'example-ml')]);
    for (const row of rows) {
      const image = row.Image;
      const steps = ['build', 'test', 'push', 'integration-test', 'manifest', 'prune'].filter((step) => existsSync(ws.path(`artifacts/${image}/${step}.json`)));
      const records = steps.map((step) => JSON.parse(ws.read(`artifacts/${image}/${step}.json`)));
      const seconds = records.reduce((sum, record) => sum + record.seconds, 0);
      expect(row.Duration).toBe(`${seconds.toFixed(1)} s`);
      const junit = ['test', 'integration-test'].filter((step) => existsSync(ws.path(`artifacts/${image}/${step}.xml`))).map((step) => ws.read(`artifacts/${image}/${step}.xml`)).join('');
      const cases = junit.split('<testcase ').length - 1;
      const failures = junit.split('<failure ').length - 1;
      expect([row.Passed, row.Failed, row.Skipped]).toEqual([String(cases - failures), String(failures), '0']);
      if (image === 'example-ml') {
        expect([row.Result, row.build, row.test, row.push, row.manifest, row.prune]).toEqual(['❌ failed', '✅', '❌', '⏸️', '⏸️', '⏸️']);
        expect(row.Digest).toBe('–');
        continue;
      }
      expect(row.Result).toBe('✅ passed');
      expect(row.Digest).toBe(`\`${JSON.parse(ws.read(`artifacts/${image}/push.json`)).digest}\``);
      const bytes = await registrySize(stack.path(image), MAIN_TAG);
      expect(row.Size).toBe(formatBytes(bytes));
      expect(row['vs 2026.3-stable']).toBe(image === 'example-base' ? '+0 B (+0.0%)' : 'no stable');
    }
    expect(rows.find((row) => row.Image === 'example-r')?.['integration-test']).toBe('✅');
    expect(Number(rows.find((row) => row.Image === 'example-ml')?.Failed)).toBe(1);

    expect(markdown).toContain('## Failures\n\n### example-ml: test failed\n\n```text\n');
    expect(markdown).toContain('example-ml broken on purpose');
    expect(markdown).toContain('1 failed,');
    expect(markdown).toMatch(/class example_ml failed\n/);
    expect(markdown).toMatch(/class example_base,example_python,example_r passed\n/);
  });
});

/** As the report prints sizes (decimal units, like Docker). */
function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  const unit = bytes < 1000 ? 0 : Math.min(units.length - 1, Math.floor(Math.log10(bytes) / 3));
  return unit === 0 ? `${bytes} B` : `${(bytes / 1000 ** unit).toFixed(1)} ${units[unit]}`;
}
