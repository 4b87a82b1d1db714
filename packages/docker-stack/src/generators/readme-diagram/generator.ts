import { readNxJson, type Tree } from '@nx/devkit';
import { DEFAULT_README, normalizeStackDir } from '../../defaults';
import { readStack } from '../../stack/load';
import { stackDiagram, withDiagram } from '../../stack/mermaid';
import { treeFileView } from '../tree-files';
import type { ReadmeDiagramGeneratorSchema } from './schema';

/** What Nx reads from a sync generator: a message when it had to change files. */
type SyncGeneratorResult = void | { outOfSyncMessage?: string };

const PLUGIN = '@datahub/docker-stack';

/**
 * The options with their defaults. As a sync generator (`nx sync`) it gets none: the stack folder is then the
 * one the plugin entry of nx.json names.
 */
export function normalizeOptions(tree: Tree, options: ReadmeDiagramGeneratorSchema | undefined) {
  const plugin = readNxJson(tree)?.plugins?.find((entry) => (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN);
  const pluginStackDir = typeof plugin === 'object' ? (plugin.options as { stackDir?: string } | undefined)?.stackDir : undefined;
  return { stackDir: normalizeStackDir(options?.stackDir ?? pluginStackDir), readme: options?.readme ?? DEFAULT_README };
}

/**
 * Writes the Mermaid picture of the stack into the README, between its markers. Registered in nx.json
 * `sync.globalGenerators`, so `nx sync` refreshes it and `nx sync:check` fails while it is stale.
 */
export default async function readmeDiagramGenerator(tree: Tree, raw?: ReadmeDiagramGeneratorSchema): Promise<SyncGeneratorResult> {
  const { stackDir, readme } = normalizeOptions(tree, raw);
  const { spec } = readStack(treeFileView(tree), stackDir);
  const before = tree.read(readme, 'utf-8') ?? '';
  const after = withDiagram(before, stackDiagram(spec));
  if (after === before) {
    return;
  }
  tree.write(readme, after);
  // `nx g` passes options and would take a returned object for a task to run; `nx sync` passes none.
  if (raw) {
    return;
  }
  return { outOfSyncMessage: `The stack diagram in ${readme} does not match ${stackDir}/spec.yml: run "npx nx sync".` };
}
