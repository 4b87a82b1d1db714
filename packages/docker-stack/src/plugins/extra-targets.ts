import type { TargetConfiguration } from '@nx/devkit';
import type { TargetKey } from './options';
import { ARTIFACTS_DIR, SUMMARY_FILE } from '../pipeline/outputs';

import { PLUGIN } from './plugin-name';

/**
 * `metadata.help` for a target that takes command-line options: Nx Console and `nx show project` show how to
 * list them and an example.
 */
function help(project: string, target: string, options: Record<string, unknown>): NonNullable<TargetConfiguration['metadata']>['help'] {
  return { command: `npx nx run ${project}:${target} --help`, example: { options } };
}

/** `serve`: the built image on a free local port, until Ctrl-C (a continuous task, as `nx serve` is elsewhere). */
export function serveTarget(stackDir: string): TargetConfiguration {
  return {
    executor: `${PLUGIN}:serve`,
    options: { stackDir },
    dependsOn: ['build'],
    continuous: true,
    cache: false,
    metadata: { description: 'run the built image with its usual command on a free 127.0.0.1 port and follow its logs (Ctrl-C removes it)' },
  };
}

/** `summary`: one Markdown report of the last pipeline run, from artifacts/. */
export function summaryTarget(stackDir: string): TargetConfiguration {
  return {
    executor: `${PLUGIN}:summary`,
    options: { stackDir },
    cache: false,
    outputs: [`{workspaceRoot}/${ARTIFACTS_DIR}/${SUMMARY_FILE}`],
    metadata: { description: `write ${ARTIFACTS_DIR}/${SUMMARY_FILE}: each image's steps, size, digest and tests, failures first, and the coloured graph` },
  };
}

/** Adds `metadata.help` to the targets (keyed by default name, shown under their names in `names`) that take options on the command line. */
export function withHelp(project: string, targets: Record<string, TargetConfiguration>, names: Record<TargetKey, string>): Record<string, TargetConfiguration> {
  const examples: Record<string, Record<string, unknown>> = {
    build: { noCache: true },
    serve: { port: 8888 },
    promote: { tag: '2026.3-main', dryRun: true },
  };
  return Object.fromEntries(
    Object.entries(targets).map(([name, target]) => [
      name,
      examples[name] ? { ...target, metadata: { ...target.metadata, help: help(project, names[name as TargetKey], examples[name]) } } : target,
    ]),
  );
}
