import { CHANGE_IGNORE_FILE, DEFAULT_BUILD_ALL, SPEC_FILE, type StackSources, type StackSpec } from './model';
import type { SpecProblem } from './errors';
import { isPlainObject } from '../util/plain-object';

/** `change_ignore.json`: which names under the stack folder never rebuild (ChangeIgnore) or rebuild everything (BuildAll). */
export function readChangeIgnore(sources: StackSources, problems: SpecProblem[]): { changeIgnore: string[]; buildAll: string[] } {
  const file = `${sources.stackDir}/${CHANGE_IGNORE_FILE}`;
  if (sources.changeIgnoreText === undefined) {
    return { changeIgnore: [], buildAll: DEFAULT_BUILD_ALL };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(sources.changeIgnoreText);
  } catch (error) {
    problems.push({ file, message: `is not valid JSON: ${(error as Error).message}` });
    return { changeIgnore: [], buildAll: DEFAULT_BUILD_ALL };
  }
  if (!isPlainObject(raw)) {
    problems.push({ file, message: 'must be a JSON object with "ChangeIgnore" and "BuildAll" lists' });
    return { changeIgnore: [], buildAll: DEFAULT_BUILD_ALL };
  }
  for (const key of Object.keys(raw).filter((key) => !['ChangeIgnore', 'BuildAll'].includes(key))) {
    problems.push({ file, key, message: 'is not a known key (expected ChangeIgnore and BuildAll)' });
  }
  const list = (key: 'ChangeIgnore' | 'BuildAll', fallback: string[]): string[] => {
    const value = raw[key];
    if (value === undefined) {
      return fallback;
    }
    if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string' || entry === '' || /[\\/]/.test(entry))) {
      problems.push({ file, key, message: `must be a list of names directly under ${sources.stackDir}/ (no slashes)` });
      return fallback;
    }
    return value as string[];
  };
  const changeIgnore = list('ChangeIgnore', []);
  const buildAll = list('BuildAll', DEFAULT_BUILD_ALL);
  // An ignored image folder or shared file would vanish from Nx's hashing too: refuse it.
  for (const entry of changeIgnore.filter((entry) => sources.folders.get(entry)?.dockerfile !== undefined || buildAll.includes(entry) || entry === SPEC_FILE)) {
    problems.push({ file, key: 'ChangeIgnore', message: `"${entry}" is an image folder, spec.yml or a BuildAll entry; it cannot be ignored` });
  }
  return { changeIgnore, buildAll };
}

/** Nx drops files listed in `.nxignore` before deciding what a change affects: that is how ChangeIgnore works. */
export function nxignoreWarnings(sources: StackSources, spec: StackSpec): string[] {
  const listed = new Set((sources.nxignoreText ?? '').split(/\r?\n/).map((line) => line.trim().replace(/^\/|\/$/g, '')));
  return spec.changeIgnore
    .filter((entry) => !listed.has(`${spec.stackDir}/${entry}`))
    .map((entry) => `.nxignore: add "${spec.stackDir}/${entry}" (a ChangeIgnore entry of ${spec.stackDir}/${CHANGE_IGNORE_FILE}), or changes to it will still count as changes`);
}
