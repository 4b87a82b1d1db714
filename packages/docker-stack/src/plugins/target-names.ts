import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { withHelp } from './extra-targets';
import type { TargetKey } from './options';

type Targets = Record<string, TargetConfiguration>;
type Dependency = NonNullable<TargetConfiguration['dependsOn']>[number];

/** The groups targets show under in `nx show project` and the graph, by default target name. */
const GROUPS: Record<string, TargetKey[]> = {
  'Docker image pipeline': ['build', 'test', 'push', 'integration-test', 'manifest', 'prune'],
  'Docker image tools': ['lint', 'serve'],
  'Docker stack': ['promote', 'tag-unchanged', 'merge-index', 'new-generation', 'wiki', 'gc', 'summary'],
};

/**
 * The targets under the names the plugin options chose: keys and every `dependsOn` (`build`, `^test`,
 * `{ target }`) follow a rename. The plugin infers its targets under their default names, then calls this once.
 */
export function renameTargets(targets: Targets, names: Record<TargetKey, string>): Targets {
  const rename = (name: string) => names[name as TargetKey] ?? name;
  const renameDependency = (dependency: Dependency): Dependency => {
    if (typeof dependency === 'string') {
      return dependency.startsWith('^') ? `^${rename(dependency.slice(1))}` : rename(dependency);
    }
    return { ...dependency, target: rename(dependency.target) };
  };
  return Object.fromEntries(
    Object.entries(targets).map(([name, target]) => [
      rename(name),
      target.dependsOn ? { ...target, dependsOn: target.dependsOn.map(renameDependency) } : target,
    ]),
  );
}

/** `metadata.targetGroups` of a project whose targets were renamed by `renameTargets`: only groups it has. */
export function targetGroups(targets: Targets, names: Record<TargetKey, string>): NonNullable<ProjectConfiguration['metadata']>['targetGroups'] {
  const groups = Object.entries(GROUPS)
    .map(([group, keys]) => [group, keys.map((key) => names[key]).filter((name) => name in targets)] as const)
    .filter(([, members]) => members.length > 0);
  return Object.fromEntries(groups);
}

/**
 * A project as inferred under the default target names, completed: `extra` targets added, `metadata.help`, the
 * targets renamed as the plugin options ask, and `metadata.targetGroups`.
 */
export function withNamesAndGroups(project: ProjectConfiguration, extra: Targets, names: Record<TargetKey, string>): ProjectConfiguration {
  const targets = renameTargets(withHelp(project.name ?? '', { ...project.targets, ...extra }, names), names);
  return { ...project, targets, metadata: { ...project.metadata, targetGroups: targetGroups(targets, names) } };
}
