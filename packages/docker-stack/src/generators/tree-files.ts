import type { Tree } from '@nx/devkit';
import type { FileView } from '../stack/files';

/** A generator's virtual file system as the stack loader reads it. */
export function treeFileView(tree: Tree): FileView {
  return {
    kind: (path) => (!tree.exists(path) ? undefined : tree.isFile(path) ? 'file' : 'directory'),
    list: (path) => tree.children(path),
    read: (path) => (tree.exists(path) && tree.isFile(path) ? (tree.read(path, 'utf-8') ?? undefined) : undefined),
    readBytes: (path) => (tree.exists(path) && tree.isFile(path) ? (tree.read(path) ?? undefined) : undefined),
    // The generator's tree shows no links.
    isLink: () => false,
  };
}
