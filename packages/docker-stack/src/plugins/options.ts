import { DEFAULT_PYTHON, normalizeStackDir } from '../defaults';

/**
 * The plugin's targets under their default names. Each can be renamed with the plugin option
 * `<camelCase>TargetName` (e.g. `buildTargetName`, `integrationTestTargetName`), as `@nx/vite` or `@nx/jest`
 * allow, so the plugin lives beside `@nx/docker` or `@nx/jest` in one workspace.
 */
export const IMAGE_TARGETS = ['build', 'test', 'push', 'integration-test', 'manifest', 'prune', 'lint', 'serve'] as const;
export const STACK_TARGETS = ['promote', 'tag-unchanged', 'merge-index', 'new-generation', 'wiki', 'gc', 'summary'] as const;
export type TargetKey = (typeof IMAGE_TARGETS)[number] | (typeof STACK_TARGETS)[number];

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
type TargetNameOptions = { [K in TargetKey as `${CamelCase<K>}TargetName`]?: string };

export interface DockerStackPluginOptions extends TargetNameOptions {
  /** The stack folder, relative to the workspace root. */
  stackDir?: string;
  /** Python interpreter that runs the pytest suites. */
  python?: string;
}

export interface NormalizedPluginOptions {
  stackDir: string;
  python: string;
  /** Each target's name in this workspace. */
  targetNames: Record<TargetKey, string>;
}

/** `integration-test` -> `integrationTestTargetName`. */
export function targetNameOption(target: TargetKey): keyof TargetNameOptions {
  return `${target.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())}TargetName` as keyof TargetNameOptions;
}

/** The plugin's options with every default applied: the only place the plugin reads them. */
export function normalizePluginOptions(options: DockerStackPluginOptions | undefined): NormalizedPluginOptions {
  const targetNames = Object.fromEntries(
    [...IMAGE_TARGETS, ...STACK_TARGETS].map((target) => [target, options?.[targetNameOption(target)] ?? target]),
  ) as Record<TargetKey, string>;
  const taken = new Map<string, TargetKey>();
  for (const [target, name] of Object.entries(targetNames) as [TargetKey, string][]) {
    if (taken.has(name)) {
      throw new Error(
        `nx.json: plugin @datahub/docker-stack options "${targetNameOption(target)}" and "${targetNameOption(taken.get(name) as TargetKey)}" both name the target "${name}"`,
      );
    }
    taken.set(name, target);
  }
  return { stackDir: normalizeStackDir(options?.stackDir), python: options?.python ?? DEFAULT_PYTHON, targetNames };
}
