import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStack, type ParsedStack, type StackFolder } from './parse-stack';
import { CHANGE_IGNORE_FILE, SPEC_FILE } from './spec';
import { StackSpecError } from './spec-error';

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Reads `<stackDir>/spec.yml`, `change_ignore.json` and each folder's Dockerfile, then parses and checks them. */
export function loadStack(workspaceRoot: string, stackDir: string): ParsedStack {
  const absolute = join(workspaceRoot, stackDir);
  const specText = readIfExists(join(absolute, SPEC_FILE));
  if (specText === undefined) {
    throw new StackSpecError([{ file: `${stackDir}/${SPEC_FILE}`, message: 'does not exist' }]);
  }
  const folders = new Map<string, StackFolder>();
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      folders.set(entry.name, { dockerfile: readIfExists(join(absolute, entry.name, 'Dockerfile')) });
    }
  }
  return parseStack({
    stackDir,
    specText,
    changeIgnoreText: readIfExists(join(absolute, CHANGE_IGNORE_FILE)),
    folders,
    nxignoreText: readIfExists(join(workspaceRoot, '.nxignore')),
  });
}
