import { nodeFileView, type FileView } from './files';
import { CHANGE_IGNORE_FILE, SPEC_FILE, type StackFolder } from './model';
import { parseStack, type ParsedStack } from './parse';
import { StackSpecError } from './errors';
import { decodeSpecText } from './spec-text';

/**
 * The one loader of a stack, for the plugin, the executors, lint and the generators: reads `<stackDir>/spec.yml`,
 * `change_ignore.json`, each folder's Dockerfile and the workspace's `.nxignore` through `files`, then parses and
 * checks them. Throws a `StackSpecError` listing every problem.
 */
export function readStack(files: FileView, stackDir: string): ParsedStack {
  const specText = readSpecText(files, stackDir);
  const folders = new Map<string, StackFolder>();
  for (const name of files.list(stackDir)) {
    const path = `${stackDir}/${name}`;
    if (files.kind(path) === 'directory') {
      const dockerfileKind = files.kind(`${path}/Dockerfile`);
      folders.set(name, {
        dockerfile: dockerfileKind === 'file' ? files.read(`${path}/Dockerfile`) : undefined,
        dockerfileIsFolder: dockerfileKind === 'directory',
        link: files.isLink(path),
      });
    }
  }
  return parseStack({
    stackDir,
    specText,
    changeIgnoreText: files.read(`${stackDir}/${CHANGE_IGNORE_FILE}`),
    folders,
    nxignoreText: files.read('.nxignore'),
    gitignores: ['.gitignore', `${stackDir}/.gitignore`].flatMap((file) => {
      const text = files.read(file);
      return text === undefined ? [] : [{ file, text }];
    }),
  });
}

/** spec.yml as UTF-8 text; a build that finds no spec must fail, naming the path it looked for. */
function readSpecText(files: FileView, stackDir: string): string {
  const specFile = `${stackDir}/${SPEC_FILE}`;
  const refuse = (message: string) => new StackSpecError([{ file: specFile, message }]);
  const kind = files.kind(specFile);
  if (kind === 'directory') {
    throw refuse('is a directory: it must be the stack\'s YAML file');
  }
  const bytes = kind === 'file' ? files.readBytes(specFile) : undefined;
  if (bytes === undefined) {
    throw refuse(
      files.kind(stackDir) === 'directory'
        ? 'does not exist: every stack folder needs one'
        : `does not exist: there is no folder ${stackDir}/ (check the plugin's "stackDir" option in nx.json)`,
    );
  }
  const decoded = decodeSpecText(specFile, bytes);
  if ('problem' in decoded) {
    throw new StackSpecError([decoded.problem]);
  }
  return decoded.text.replace(/^\uFEFF/, '');
}

/** `readStack` on the workspace's file system. */
export function loadStack(workspaceRoot: string, stackDir: string): ParsedStack {
  return readStack(nodeFileView(workspaceRoot), stackDir);
}
