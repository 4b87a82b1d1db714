import { logger, type ExecutorContext } from '@nx/devkit';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withStackDefaults } from '../../defaults';
import { DockerEngine } from '../../docker/docker-engine';
import { ARTIFACTS_DIR, SUMMARY_FILE } from '../../pipeline/outputs';
import { loadStack } from '../../stack/load';
import { stackReports } from '../../summary/collect';
import { renderSummary } from '../../summary/render';
import { imageSize, type ImageSize } from '../../summary/sizes';
import type { SummaryExecutorOptions } from './schema';

/** The options with their defaults: the one place this executor applies them. */
export const normalizeOptions = (options: SummaryExecutorOptions) => withStackDefaults(options);

/**
 * `nx run stack:summary`: one Markdown report of the last run from artifacts/, written to artifacts/summary.md,
 * printed, and appended to `$GITHUB_STEP_SUMMARY` when set. It reports failures; it does not fail because of them (CI shows it whether the build passed or not).
 */
export default async function summaryExecutor(raw: SummaryExecutorOptions, context: ExecutorContext) {
  const options = normalizeOptions(raw);
  try {
    const { spec } = loadStack(context.root, options.stackDir);
    const reports = stackReports(context.root, spec);
    let engine: Promise<DockerEngine> | undefined;
    const sizes = new Map<string, ImageSize>();
    for (const report of reports) {
      sizes.set(report.image.name, await imageSize(report, spec.tagPrefix, () => (engine ??= DockerEngine.connect())));
    }
    const markdown = renderSummary({ spec, reports, sizes });
    const file = join(context.root, ARTIFACTS_DIR, SUMMARY_FILE);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, markdown);
    process.stdout.write(markdown);
    // On GitHub Actions the report also becomes the run's summary page.
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) {
      appendFileSync(stepSummary, markdown);
    }
    logger.info(`Wrote ${ARTIFACTS_DIR}/${SUMMARY_FILE}${stepSummary ? ' and appended it to $GITHUB_STEP_SUMMARY' : ''}`);
    return { success: true };
  } catch (error) {
    logger.error(`stack:summary failed: ${(error as Error).message}`);
    return { success: false };
  }
}
