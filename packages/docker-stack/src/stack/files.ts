import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Read-only view of the workspace; paths are workspace-relative with `/` separators. */
export interface FileView {
  /** What is at `path`, or `undefined` when nothing is. */
  kind(path: string): 'file' | 'directory' | undefined;
  /** Names directly inside a directory (`[]` when it is not one). */
  list(path: string): string[];
  /** A file's text, or `undefined` when it is not a readable file. */
  read(path: string): string | undefined;
  /** A file's bytes, or `undefined` when it is not a readable file (to check an encoding before decoding). */
  readBytes(path: string): Uint8Array | undefined;
  /** Whether `path` itself is a symbolic link. */
  isLink(path: string): boolean;
}

/** The real file system below `root`. */
export function nodeFileView(root: string): FileView {
  const stat = (path: string) => {
    try {
      return statSync(join(root, path));
    } catch {
      return undefined;
    }
  };
  return {
    kind(path) {
      const stats = stat(path);
      return stats?.isDirectory() ? 'directory' : stats?.isFile() ? 'file' : undefined;
    },
    list(path) {
      try {
        return readdirSync(join(root, path));
      } catch {
        return [];
      }
    },
    read(path) {
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
    readBytes(path) {
      try {
        return readFileSync(join(root, path));
      } catch {
        return undefined;
      }
    },
    isLink(path) {
      try {
        return lstatSync(join(root, path)).isSymbolicLink();
      } catch {
        return false;
      }
    },
  };
}

/** Every file below `path` (workspace-relative), in a stable order. */
export function walkFiles(files: FileView, path: string): string[] {
  return files
    .list(path)
    .sort()
    .flatMap((name) => {
      const child = `${path}/${name}`;
      const kind = files.kind(child);
      return kind === 'directory' ? walkFiles(files, child) : kind === 'file' ? [child] : [];
    });
}
