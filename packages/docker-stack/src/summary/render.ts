import { formatBytes } from '../util/format-bytes';
import { stackDiagram, mermaidId } from '../stack/mermaid';
import type { StackSpec } from '../stack/model';
import type { ImageReport, ImageResult, StepStatus } from './collect';
import type { ImageSize } from './sizes';

const STEP_MARK: Record<StepStatus, string> = { passed: '✅', failed: '❌', 'not run': '⏸️' };
const RESULT_MARK: Record<ImageResult, string> = { passed: '✅ passed', failed: '❌ failed', incomplete: '🟡 incomplete', 'not run': '⏸️ not run' };
const COLOURS: Record<ImageResult, string> = {
  passed: 'fill:#2da44e,stroke:#1a7f37,color:#fff',
  failed: 'fill:#cf222e,stroke:#a40e26,color:#fff',
  incomplete: 'fill:#d4a72c,stroke:#9a6700,color:#000',
  'not run': 'fill:#d0d7de,stroke:#8c959f,color:#000',
};
const STEP_COLUMNS = ['build', 'test', 'push', 'integration-test', 'manifest', 'prune'];

export interface SummaryInput {
  spec: StackSpec;
  reports: ImageReport[];
  sizes: Map<string, ImageSize>;
}

/** The change against `<prefix>-stable`: `+1.2 MB (+3.4%)`. */
function change(bytes: number, stableBytes: number): string {
  const delta = bytes - stableBytes;
  const percent = stableBytes ? ` (${delta >= 0 ? '+' : ''}${((delta / stableBytes) * 100).toFixed(1)}%)` : '';
  return `${delta >= 0 ? '+' : '-'}${formatBytes(Math.abs(delta))}${percent}`;
}

function sizeCells(size: ImageSize | undefined): [string, string] {
  if (size?.platforms) {
    const cells = size.platforms.map(({ platform, bytes, stableBytes }) => [`${platform} ${formatBytes(bytes)}`, `${platform} ${stableBytes === undefined ? 'no stable' : change(bytes, stableBytes)}`]);
    return [cells.map(([shown]) => shown).join('<br>'), cells.map(([, versus]) => versus).join('<br>')];
  }
  if (size?.bytes === undefined) {
    return ['–', '–'];
  }
  const shown = `${formatBytes(size.bytes)}${size.where === 'local' ? ' (local)' : ''}`;
  if (size.where !== 'registry' || size.stableBytes === undefined) {
    return [shown, 'no stable'];
  }
  return [shown, change(size.bytes, size.stableBytes)];
}

function row(report: ImageReport, size: ImageSize | undefined): string {
  const steps = STEP_COLUMNS.map((column) => {
    const step = report.steps.find((candidate) => candidate.step === column);
    return step ? STEP_MARK[step.status] : '';
  });
  const { passed, failed, skipped } = report.tests;
  const cells = [
    report.image.name,
    RESULT_MARK[report.result],
    ...steps,
    `${report.seconds.toFixed(1)} s`,
    ...sizeCells(size),
    report.pushed?.digest ? `\`${report.pushed.digest}\`` : '–',
    String(passed),
    String(failed),
    String(skipped),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The stack diagram with every node coloured by its image's result. */
function colouredDiagram(spec: StackSpec, reports: ImageReport[]): string {
  const lines = (Object.keys(COLOURS) as ImageResult[]).flatMap((result) => {
    const names = reports.filter((report) => report.result === result).map((report) => mermaidId(report.image.name));
    const className = result.replace(' ', '_');
    return names.length ? [`  classDef ${className} ${COLOURS[result]}`, `  class ${names.join(',')} ${className}`] : [];
  });
  return stackDiagram(spec).replace(/\n```$/, `\n${lines.join('\n')}\n\`\`\``);
}

/** The whole report: totals, one row per image (failed first), each failure's log tail, the coloured graph. */
export function renderSummary({ spec, reports, sizes }: SummaryInput): string {
  const count = (result: ImageResult) => reports.filter((report) => report.result === result).length;
  const tests = reports.reduce((sum, report) => sum + report.tests.passed, 0);
  const failedTests = reports.reduce((sum, report) => sum + report.tests.failed, 0);
  const header = ['Image', 'Result', ...STEP_COLUMNS, 'Duration', 'Size', `vs ${spec.tagPrefix}-stable`, 'Digest', 'Passed', 'Failed', 'Skipped'];
  const failures = reports.filter((report) => report.failure);
  return [
    '# Build summary',
    '',
    `${reports.length} images: ${count('passed')} passed, ${count('failed')} failed, ${count('incomplete')} incomplete, ${count('not run')} not run. ` +
      `Tests: ${tests} passed, ${failedTests} failed.`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...reports.map((report) => row(report, sizes.get(report.image.name))),
    '',
    ...(failures.length ? ['## Failures', ''] : []),
    ...failures.flatMap((report) => [
      `### ${report.image.name}: ${report.failure?.step} failed`,
      '',
      '```text',
      report.failure?.tail ?? '',
      '```',
      '',
    ]),
    '## Stack',
    '',
    colouredDiagram(spec, reports),
    '',
  ].join('\n');
}
