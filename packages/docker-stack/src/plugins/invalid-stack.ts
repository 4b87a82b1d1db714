import { IMAGE_TARGETS, STACK_TARGETS } from './options';
import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { SPEC_FILE } from '../stack/model';

/**
 * Every target name the plugin infers, on images or on the `stack` project (plugin.spec.ts checks that this list
 * covers them). When the stack does not load, each of them exists on `stack` and fails, saying why.
 */
export const INFERRED_TARGETS: readonly string[] = [...IMAGE_TARGETS, ...STACK_TARGETS];

/**
 * Why a broken stack still gives a graph: if createNodes threw, `nx run-many` and `nx affected` (what CI and users
 * run) would print only "Failed to process project graph", and with the daemon the plugin's own log goes to the
 * daemon's log file. So the graph loads with one project, `stack`, whose every target runs the `invalid-stack`
 * executor: it reads the stack again, prints every problem as file:line image key message, and fails. Its inputs
 * are every file of the workspace, so whatever changed, `nx affected -t <target>` runs it too.
 */
export function invalidStackProject(stackDir: string, plugin: string): ProjectConfiguration {
  const target: TargetConfiguration = {
    executor: `${plugin}:invalid-stack`,
    options: { stackDir },
    inputs: ['{workspaceRoot}/**/*'],
    cache: false,
    metadata: { description: `fails: ${stackDir}/${SPEC_FILE} does not load; running it prints every problem` },
  };
  return {
    name: 'stack',
    root: stackDir,
    projectType: 'application',
    tags: ['docker-stack'],
    metadata: { description: `The stack defined by ${stackDir}/${SPEC_FILE}, which does not load: every target fails and prints why` },
    targets: Object.fromEntries(INFERRED_TARGETS.map((name) => [name, target])),
  };
}
