/**
 * Install commands in a Dockerfile, a script it runs or a requirements file it names: which installer, which
 * package arguments, whether the image's `pinned` wrapper runs them, and `pinned --version NAME` reads. The shell is
 * read as words (quotes, continued lines, `&&`/`;` separators), never run.
 */

/** A Dockerfile, a script it runs or a requirements file it installs from. */
export interface SourceFile { path: string; text: string }

/** Sections the `pinned` wrapper applies to install commands; any other section is read with `pinned --version`. */
export const INSTALLERS = ['uv', 'pip', 'conda', 'apt'] as const;
export type Installer = (typeof INSTALLERS)[number];

/** One install command found in a source: who installs, what, and whether `pinned` wraps it. */
export interface Install {
  installer: Installer;
  wrapped: boolean;
  file: string;
  line: number;
  /** As written (quotes removed), e.g. `pandas`, `pandas==2.2`, `tzdata=2024a`. */
  spec: string;
}

/** `name`, its version when one is given, and whether that version is exact (`==`, or `=` for conda and apt). */
export function splitSpec(spec: string, installer: Installer): { name: string; version?: string; exact: boolean } {
  const bare = installer === 'conda' ? spec.replace(/^[^:]*::/, '') : spec;
  const match = /^([A-Za-z0-9][A-Za-z0-9._+-]*)(?:\[[^\]]*\])?\s*(.*)$/.exec(bare);
  if (!match || match[2] === '') {
    return { name: match?.[1] ?? bare, exact: false };
  }
  const [, name, rest] = match;
  const exactPrefix = installer === 'uv' || installer === 'pip' ? /^===?/ : /^==?/;
  if (!exactPrefix.test(rest) || /[,<>!~*]/.test(rest)) {
    return { name, version: rest, exact: false };
  }
  const version = rest.replace(exactPrefix, '').trim();
  return { name, version: installer === 'conda' ? version.split('=')[0] : version, exact: true };
}

/** `pinned --version NAME` reads in a source. */
export function versionReads(text: string): { name: string }[] {
  return [...text.matchAll(/\bpinned\s+--version\s+["']?([A-Za-z0-9._-]+)/g)].map((match) => ({ name: match[1] }));
}

/** The source's text with backslash-continued lines joined, comments dropped, and the line of every offset. */
function logicalLines(text: string): { text: string; line: number; lineAt: (offset: number) => number }[] {
  const result: { text: string; line: number; lineAt: (offset: number) => number }[] = [];
  let current: { parts: string[]; starts: number[]; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const physical = raw.replace(/(^|\s)#.*$/, '$1');
    if (current === undefined && physical.trim() === '') {
      return;
    }
    current ??= { parts: [], starts: [], line: index + 1 };
    current.starts.push(current.parts.join(' ').length + (current.parts.length > 0 ? 1 : 0));
    const continued = /\\\s*$/.test(physical);
    current.parts.push(physical.replace(/\\\s*$/, ''));
    if (!continued) {
      const { parts, starts, line } = current;
      result.push({ text: parts.join(' '), line, lineAt: (offset) => line + starts.filter((start) => start <= offset).length - 1 });
      current = undefined;
    }
  });
  return result;
}

const TOKEN = /(?:"[^"]*"|'[^']*'|[^\s;&|()`'"])+|&&|\|\||[;&|()`]/g;
const SEPARATOR = /^(?:&&|\|\||[;&|()`])$/;
/** Options of the installers that take a value (which is not a package). */
const VALUE_OPTIONS = new Set(['-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--index-strategy', '--python', '-p', '--target', '-t', '--prefix', '--channel', '-n', '--name', '-o', '--option']);
const REQUIREMENT_OPTIONS = new Set(['-r', '--requirement']);

/** Every package argument of every install command in the source (and in the requirements files it names). */
export function installsIn(source: SourceFile, sources: SourceFile[]): Install[] {
  const installs: Install[] = [];
  for (const logical of logicalLines(source.text)) {
    let command: { word: string; offset: number }[] = [];
    const tokens = [...logical.text.matchAll(TOKEN)].map((match) => ({ word: match[0].replace(/["']/g, ''), offset: match.index ?? 0 }));
    for (const token of [...tokens, { word: ';', offset: logical.text.length }]) {
      if (!SEPARATOR.test(token.word)) {
        command.push(token);
        continue;
      }
      installs.push(...commandInstalls(command, source, sources, logical.lineAt));
      command = [];
    }
  }
  return installs;
}

function commandInstalls(command: { word: string; offset: number }[], source: SourceFile, sources: SourceFile[], lineAt: (offset: number) => number): Install[] {
  const words = command.map((token) => token.word.replace(/^.*\//, ''));
  const wrapped = words.includes('pinned');
  const start = words.findIndex((_, index) => installerAt(words, index) !== undefined);
  if (start < 0) {
    return [];
  }
  const [installer, length] = installerAt(words, start) as [Installer, number];
  const installs: Install[] = [];
  for (let index = start + length; index < command.length; index += 1) {
    const { word, offset } = command[index];
    const line = lineAt(offset);
    if (REQUIREMENT_OPTIONS.has(word) && command[index + 1]) {
      index += 1;
      installs.push(...requirementInstalls(command[index].word, installer, sources));
    } else if (VALUE_OPTIONS.has(word)) {
      index += 1;
    } else if (!word.startsWith('-') && !/^[.~]|\/|:\/\/|^git\+|\.deb$/.test(word) && /^[A-Za-z0-9]/.test(word)) {
      installs.push({ installer, wrapped, file: source.path, line, spec: word });
    }
  }
  return installs;
}

/** The installer whose command starts at `words[index]`, and how many words its "install" takes. */
function installerAt(words: string[], index: number): [Installer, number] | undefined {
  const [first, second, third, fourth] = words.slice(index, index + 4);
  if (first === 'uv' && second === 'pip' && third === 'install') return ['uv', 3];
  if ((first === 'pip' || first === 'pip3') && second === 'install') return ['pip', 2];
  if (/^python[0-9.]*$/.test(first ?? '') && second === '-m' && third === 'pip' && fourth === 'install') return ['pip', 4];
  if (['conda', 'mamba', 'micromamba'].includes(first ?? '') && (second === 'install' || second === 'create')) return ['conda', 2];
  if ((first === 'apt-get' || first === 'apt') && second === 'install') return ['apt', 2];
  return undefined;
}

/** The lines of a requirements file given to `-r` (matched by file name among the sources; `pinned` does not rewrite them). */
function requirementInstalls(reference: string, installer: Installer, sources: SourceFile[]): Install[] {
  const name = reference.replace(/^.*\//, '');
  const file = sources.find((candidate) => candidate.path.replace(/^.*\//, '') === name);
  if (!file) {
    return [];
  }
  return file.text.split('\n').flatMap((text, index) => {
    const spec = text.replace(/(^|\s)#.*$/, '').trim();
    return spec === '' || spec.startsWith('-') ? [] : [{ installer, wrapped: false, file: file.path, line: index + 1, spec: spec.replace(/\s+/g, '') }];
  });
}
