import { nodeFileView, type FileView } from './files';
import { CHANGE_IGNORE_FILE, SPEC_FILE } from './model';
import { parseStack, type ParsedStack, type StackFolder } from './parse';
import { StackSpecError } from './errors';

/**
 * The one loader of a stack, for the plugin, the executors, lint and the generators: reads `<stackDir>/spec.yml`,
 * `change_ignore.json`, each folder's Dockerfile and the workspace's `.nxignore` through `files`, then parses and
 * checks them. Throws a `StackSpecError` listing every problem.
 */
export function readStack(files: FileView, stackDir: string): ParsedStack {
  const specText = files.read(`${stackDir}/${SPEC_FILE}`);
  if (specText === undefined) {
    throw new StackSpecError([{ file: `${stackDir}/${SPEC_FILE}`, message: 'does not exist' }]);
  }
  const folders = new Map<string, StackFolder>();
  for (const name of files.list(stackDir)) {
    if (files.kind(`${stackDir}/${name}`) === 'directory') {
      folders.set(name, { dockerfile: files.read(`${stackDir}/${name}/Dockerfile`) });
    }
  }
  return parseStack({
    stackDir,
    specText,
    changeIgnoreText: files.read(`${stackDir}/${CHANGE_IGNORE_FILE}`),
    folders,
    nxignoreText: files.read('.nxignore'),
  });
}

/** `readStack` on the workspace's file system. */
export function loadStack(workspaceRoot: string, stackDir: string): ParsedStack {
  return readStack(nodeFileView(workspaceRoot), stackDir);
}
