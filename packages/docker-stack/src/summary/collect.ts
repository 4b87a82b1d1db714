import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { junitPaths, logPath, type StepName } from '../pipeline/outputs';
import { readStepResult } from '../pipeline/step';
import type { StepRecord } from '../pipeline/step-results';
import type { ImageSpec, StackSpec } from '../stack/model';
import { addCounts, junitCounts, NO_TESTS, type TestCounts } from './junit';

export type StepStatus = 'passed' | 'failed' | 'not run';
/** An image's result: a step failed; every step passed; some passed and the rest did not run; none ran. */
export type ImageResult = 'failed' | 'passed' | 'incomplete' | 'not run';

export interface ImageReport {
  image: ImageSpec;
  result: ImageResult;
  /** The steps this image has (integration-test and prune only where the spec asks), in pipeline order. */
  steps: { step: StepName; status: StepStatus }[];
  seconds: number;
  /** The pushed reference and digest, when it was pushed. */
  pushed?: { reference: string; digest: string };
  imageId?: string;
  tests: TestCounts;
  failure?: { step: StepName; tail: string };
}

const PIPELINE: StepName[] = ['build', 'test', 'push', 'integration-test', 'manifest', 'prune'];
const TEST_STEPS: StepName[] = ['test', 'integration-test'];
const TAIL_LINES = 30;

function stepsOf(image: ImageSpec): StepName[] {
  return PIPELINE.filter((step) => (step === 'integration-test' ? image.integrationTests : step === 'prune' ? image.prune : true));
}

/** The last lines of the failing step's log, else its recorded messages (a step without a log, e.g. push). */
function failureTail(root: string, image: string, record: StepRecord): string {
  const log = join(root, logPath(image, record.step));
  const text = existsSync(log) ? readFileSync(log, 'utf8') : record.messages.join('\n');
  return text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
}

/** What `artifacts/` (and `logs/`) say about one image of the last run. */
export function imageReport(root: string, image: ImageSpec): ImageReport {
  const report: ImageReport = { image, result: 'not run', steps: [], seconds: 0, tests: { ...NO_TESTS } };
  for (const step of stepsOf(image)) {
    const record = readStepResult(root, image.name, step);
    report.steps.push({ step, status: record && !record.skipped ? (record.success ? 'passed' : 'failed') : 'not run' });
    if (!record || record.skipped) {
      continue;
    }
    report.seconds += record.seconds;
    for (const junit of TEST_STEPS.includes(step) ? junitPaths(image.name, step, image.platforms).map((file) => join(root, file)) : []) {
      if (existsSync(junit)) {
        report.tests = addCounts(report.tests, junitCounts(readFileSync(junit, 'utf8')));
      }
    }
    if (!record.success && !report.failure) {
      report.failure = { step, tail: failureTail(root, image.name, record) };
    }
  }
  const build = readStepResult(root, image.name, 'build');
  report.imageId = build?.success ? build.imageId : undefined;
  const push = readStepResult(root, image.name, 'push');
  if (push?.success && !push.skipped) {
    report.pushed = { reference: push.tags[0], digest: push.digest };
  }
  const ran = report.steps.filter((step) => step.status !== 'not run');
  report.result = report.failure ? 'failed' : ran.length === report.steps.length ? 'passed' : ran.length > 0 ? 'incomplete' : 'not run';
  return report;
}

/** Every image of the stack, the failed ones first, otherwise in spec order. */
export function stackReports(root: string, spec: StackSpec): ImageReport[] {
  const reports = spec.images.map((image) => imageReport(root, image));
  return [...reports.filter((report) => report.result === 'failed'), ...reports.filter((report) => report.result !== 'failed')];
}
