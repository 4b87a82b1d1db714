import { Minimatch, unescape, type MinimatchOptions } from 'minimatch';
import { posix } from 'node:path';
import type { FileView } from '../stack/files';
import { report, type LintContext } from './context';

/** Only `*`, `?`, `[...]` and `\` within one path segment, as Go's filepath.Match (what `COPY` uses). */
const GLOB_OPTIONS: MinimatchOptions = { dot: true, noglobstar: true, nobrace: true, noext: true };

const isGlob = (pattern: string) => new Minimatch(pattern, GLOB_OPTIONS).hasMagic();

/** `${NAME}` / `$NAME` replaced by known values; `undefined` when one is unknown or uses a modifier such as `${NAME:-x}`. */
function substitute(text: string, values: Map<string, string>): string | undefined {
  let unresolved = false;
  const result = text.replace(/\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as string;
    const value = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? values.get(name) : undefined;
    unresolved ||= value === undefined;
    return value ?? whole;
  });
  return unresolved ? undefined : result;
}

/** Whether anything in the view matches a `/`-separated pattern below `base` (glob segments need one match). */
function matchesSomething(files: FileView, base: string, segments: string[]): boolean {
  if (segments.length === 0) {
    return files.kind(base) !== undefined;
  }
  const [segment, ...rest] = segments;
  const pattern = new Minimatch(segment, GLOB_OPTIONS);
  if (!pattern.hasMagic()) {
    return matchesSomething(files, `${base}/${unescape(segment)}`, rest);
  }
  return files
    .list(base)
    .filter((name) => pattern.match(name))
    .some((name) => matchesSomething(files, `${base}/${name}`, rest));
}

/** The values the build gives the ARGs: spec build_args over the Dockerfile's defaults (used to resolve COPY sources). */
function knownArgValues(context: LintContext): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of context.dockerfile.args) {
    if (value !== undefined) {
      values.set(name, value);
    }
  }
  for (const [name, value] of Object.entries(context.image.buildArgs)) {
    values.set(name, String(value));
  }
  return values;
}

/** Rule: every COPY/ADD source from the build context is there (a glob must match something). */
export function checkCopySources(context: LintContext): void {
  const values = knownArgValues(context);
  for (const { source, line } of context.dockerfile.copySources) {
    if (source.startsWith('<<') || /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^git@/.test(source)) {
      continue; // heredoc or remote source
    }
    const resolved = source.includes('$') ? substitute(source, values) : source;
    if (resolved === undefined) {
      continue; // depends on a value only known at build time
    }
    context.checks += 1;
    const normalized = posix.normalize(`./${resolved.replace(/^\/+/, '')}`);
    if (normalized === '..' || normalized.startsWith('../')) {
      report(context, context.dockerfilePath, line, `COPY/ADD source "${source}" is outside the build context ${context.folder}/`);
      continue;
    }
    const segments = normalized === '.' ? [] : normalized.replace(/\/+$/, '').split('/');
    if (!matchesSomething(context.files, context.folder, segments)) {
      report(
        context,
        context.dockerfilePath,
        line,
        isGlob(resolved)
          ? `COPY/ADD source "${source}" matches no file in the build context ${context.folder}/`
          : `COPY/ADD source "${source}" does not exist: no ${context.folder}/${normalized} (sources are relative to the image folder, the build context)`,
      );
    }
  }
}
