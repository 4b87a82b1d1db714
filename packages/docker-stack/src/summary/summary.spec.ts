import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StackSpec } from '../stack/model';
import { stackReports } from './collect';
import { junitCounts } from './junit';
import { renderSummary } from './render';

const image = (name: string, dependOn?: string) => ({
  name, imageName: `ghcr.io/org/${name}`, dependOn, buildArgs: {}, infoCmds: [], integrationTests: false, prune: false, prepull: true, platforms: [],
});
const SPEC: StackSpec = {
  stackDir: 'images', images: [image('base'), image('child', 'base'), image('other', 'base')], tagPrefix: '2026.3',
  infoCommands: {}, changeIgnore: [], buildAll: [],
};
const JUNIT = '<testsuites><testsuite name="pytest" errors="1" failures="2" skipped="3" tests="10"></testsuite></testsuites>';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const step = (name: string, stepName: string, success: boolean, seconds: number, extra: object = {}) =>
  write(`artifacts/${name}/${stepName}.json`, JSON.stringify({ image: name, step: stepName, success, seconds, messages: [`${stepName} message`], ...extra }));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'summary-'));
  for (const stepName of ['build', 'test', 'push', 'manifest']) {
    step('base', stepName, true, 1.25, stepName === 'push' ? { tags: ['ghcr.io/org/base:2026.3-main'], digest: 'sha256:abc' } : {});
  }
  step('child', 'build', true, 2);
  step('child', 'test', false, 3);
  write('artifacts/child/test.xml', JUNIT);
  write('logs/child/test.log', `${Array.from({ length: 40 }, (_, index) => `line ${index}`).join('\n')}\n`);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('build summary', () => {
  it('counts JUnit failures and errors as failed, the rest of the tests less skipped as passed', () => {
    expect(junitCounts(JUNIT)).toEqual({ passed: 4, failed: 3, skipped: 3 });
  });

  it('puts failed images first with the last 30 lines of the failing step log; an image with no artifacts is not run', () => {
    const reports = stackReports(root, SPEC);
    expect(reports.map((report) => [report.image.name, report.result])).toEqual([['child', 'failed'], ['base', 'passed'], ['other', 'not run']]);
    expect(reports[0].failure?.step).toBe('test');
    expect(reports[0].failure?.tail.split('\n')).toEqual(Array.from({ length: 30 }, (_, index) => `line ${index + 10}`));
    expect(reports[0]).toMatchObject({ seconds: 5, tests: { passed: 4, failed: 3, skipped: 3 } });
    expect(reports[1]).toMatchObject({ seconds: 5, pushed: { reference: 'ghcr.io/org/base:2026.3-main', digest: 'sha256:abc' } });
  });

  it('renders sizes against stable, the failures and the graph coloured by result', () => {
    const sizes = new Map([
      ['base', { bytes: 1_100_000, where: 'registry' as const, stableBytes: 1_000_000 }],
      ['child', { bytes: 2_000_000, where: 'local' as const }],
    ]);
    const markdown = renderSummary({ spec: SPEC, reports: stackReports(root, SPEC), sizes });
    expect(markdown).toContain('3 images: 1 passed, 1 failed, 0 incomplete, 1 not run. Tests: 4 passed, 3 failed.');
    expect(markdown).toContain('| child | ❌ failed | ✅ | ❌ | ⏸️ |  | ⏸️ |  | 5.0 s | 2.0 MB (local) | no stable | – | 4 | 3 | 3 |');
    expect(markdown).toContain('| base | ✅ passed | ✅ | ✅ | ✅ |  | ✅ |  | 5.0 s | 1.1 MB | +100.0 KB (+10.0%) | `sha256:abc` | 0 | 0 | 0 |');
    expect(markdown).toContain('| other | ⏸️ not run | ⏸️ | ⏸️ | ⏸️ |  | ⏸️ |  | 0.0 s | – | – | – | 0 | 0 | 0 |');
    expect(markdown).toContain('### child: test failed\n\n```text\nline 10\n');
    expect(markdown).toContain('  class base passed\n');
    expect(markdown).toContain('  class child failed\n');
    expect(markdown).toContain('  class other not_run\n```\n');
  });

  it("shows each platform's size, and its change against that platform's stable, for an image pushed as an index", () => {
    const platforms = [
      { platform: 'linux/amd64', bytes: 1_100_000, stableBytes: 1_000_000 },
      { platform: 'linux/arm64', bytes: 900_000 },
    ];
    const markdown = renderSummary({ spec: SPEC, reports: stackReports(root, SPEC), sizes: new Map([['base', { where: 'registry' as const, platforms }]]) });
    expect(markdown).toContain('| 5.0 s | linux/amd64 1.1 MB<br>linux/arm64 900.0 KB | linux/amd64 +100.0 KB (+10.0%)<br>linux/arm64 no stable | `sha256:abc` |');
  });
});
