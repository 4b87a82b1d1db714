/** Test counts of a JUnit XML report (as pytest's --junitxml writes it). */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export const NO_TESTS: TestCounts = { passed: 0, failed: 0, skipped: 0 };

/** Sums every `<testsuite>` of the report: failures and errors count as failed. */
export function junitCounts(xml: string): TestCounts {
  const counts = { ...NO_TESTS };
  for (const [tag] of xml.matchAll(/<testsuite\b[^>]*>/g)) {
    const number = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(tag)?.[1] ?? 0);
    const failed = number('failures') + number('errors');
    counts.failed += failed;
    counts.skipped += number('skipped');
    counts.passed += number('tests') - failed - number('skipped');
  }
  return counts;
}

export function addCounts(a: TestCounts, b: TestCounts): TestCounts {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}
