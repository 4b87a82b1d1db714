import type { ExecutorContext } from '@nx/devkit';
import { logger } from '@nx/devkit';
import { withStackDefaults } from '../../defaults';
import { readGeneration, writeGeneration } from '../../registry/stack-generation';
import { loadStack } from '../../stack/load';
import type { NewGenerationExecutorOptions } from './schema';

/** A new generation: when, and on GitHub which run, so the registry tells whose full rebuild it was. */
export function nextGeneration(now: Date, env: NodeJS.ProcessEnv): string {
  return `${now.toISOString()}${env.GITHUB_RUN_ID ? ` run ${env.GITHUB_RUN_ID}` : ''}`;
}

/**
 * Moves the stack's rebuild generation on, in the registry, before a full rebuild: every image's identity (and
 * Nx hash) changes with it, so from now on no run, on any runner, reuses, tests or promotes an image built before.
 */
export default async function newGenerationExecutor(raw: NewGenerationExecutorOptions, context: ExecutorContext) {
  const options = withStackDefaults(raw);
  try {
    const { spec } = loadStack(context.root, options.stackDir);
    const before = await readGeneration(spec);
    const generation = nextGeneration(new Date(), process.env);
    const where = await writeGeneration(spec, generation);
    logger.info(`rebuild generation ${before} -> ${generation} (${where}): no image built before it will be reused`);
    return { success: true };
  } catch (error) {
    logger.error(`stack:new-generation failed: ${(error as Error).message}`);
    return { success: false };
  }
}
