import type { Tree } from '@nx/devkit';
import type { FileView } from '../../stack/files';
import { readStack } from '../../stack/load';
import { stackDiagram, withDiagram } from '../../stack/mermaid';
import type { ReadmeDiagramGeneratorSchema } from './schema';

/** The generator's virtual file system as the stack loader reads it. */
function treeFileView(tree: Tree): FileView {
  return {
    kind: (path) => (!tree.exists(path) ? undefined : tree.isFile(path) ? 'file' : 'directory'),
    list: (path) => tree.children(path),
    read: (path) => (tree.exists(path) && tree.isFile(path) ? (tree.read(path, 'utf-8') ?? undefined) : undefined),
    readBytes: (path) => (tree.exists(path) && tree.isFile(path) ? (tree.read(path) ?? undefined) : undefined),
    // The generator's tree shows no links.
    isLink: () => false,
  };
}

/** Writes the Mermaid picture of the stack into the README, between its markers. */
export default async function readmeDiagramGenerator(tree: Tree, options: ReadmeDiagramGeneratorSchema) {
  const stackDir = options.stackDir ?? 'images';
  const readme = options.readme ?? 'README.md';
  const { spec } = readStack(treeFileView(tree), stackDir);
  tree.write(readme, withDiagram(tree.read(readme, 'utf-8') ?? '', stackDiagram(spec)));
}
