/**
 * Pins: each image keeps its pinned versions in one file, `<image>/versions.yml`, whose top-level keys are
 * installers (`uv`, `pip`, `conda`, `apt`) or other version sources read with `pinned --version NAME` (`deb`,
 * `wheel-index`, ...), plus `info_cmds`, the info commands the image's wiki manifest must show. The build
 * applies the pins with the image's `pinned` wrapper (`pinned uv pip install pandas` installs pandas==<pin>).
 * These pure functions check that the Dockerfile and the scripts it runs follow that one list.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

export interface PinFinding {
  file: string; // as given (workspace-relative)
  line?: number;
  message: string;
}

export interface Pin {
  name: string;
  /** The versions.yml section: an installer of INSTALLERS, or a source read with `pinned --version`. */
  section: string;
  version: string;
  line?: number;
}

export interface PinList {
  file: string;
  pins: Pin[];
  /** The expected `info_cmds` of the image, in order; `undefined` when the file lists none. */
  infoCmds?: string[];
  infoCmdsLine?: number;
  /** Problems of the file itself (syntax, shape, a version YAML reads as a number). */
  findings: PinFinding[];
}

/** A Dockerfile, a script it runs or a requirements file it installs from. */
export interface SourceFile { path: string; text: string }

/** Sections the `pinned` wrapper applies to install commands; any other section is read with `pinned --version`. */
export const INSTALLERS = ['uv', 'pip', 'conda', 'apt'] as const;
type Installer = (typeof INSTALLERS)[number];

const INFO_CMDS = 'info_cmds';

/** Package names compare as pip does (PEP 503): case-insensitive, runs of `-_.` equal. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Reads a versions.yml; never throws: every problem is a finding naming the file and line. */
export function parseVersions(file: string, text: string): PinList {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const lineOf = (node: unknown) => {
    const range = (node as Node | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  const list: PinList = { file, pins: [], findings: [] };
  const problem = (line: number | undefined, message: string) => list.findings.push({ file, line, message });
  for (const error of document.errors) {
    problem(error.linePos?.[0].line, `is not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  if (document.errors.length > 0 || !isMap(document.contents)) {
    if (document.errors.length === 0) problem(undefined, 'must be a mapping of installer -> {package: "version"} (and info_cmds)');
    return list;
  }
  for (const { key, value } of document.contents.items) {
    const section = isScalar(key) ? String(key.value) : '';
    if (section === INFO_CMDS) {
      if (isSeq(value) && value.items.every((item) => isScalar(item) && typeof item.value === 'string')) {
        list.infoCmds = value.items.map((item) => String((item as { value: unknown }).value));
        list.infoCmdsLine = lineOf(key);
      } else {
        problem(lineOf(key), `${INFO_CMDS} must be a list of info command names`);
      }
    } else if (!isMap(value)) {
      problem(lineOf(key), `section "${section}" must map package names to quoted versions`);
    } else {
      for (const pair of value.items) {
        readPin(section, pair.key, pair.value, { list, line: lineOf(pair.key), text, problem });
      }
    }
  }
  return list;
}

interface PinContext {
  list: PinList;
  line?: number;
  /** The file's text, to quote a value as written. */
  text: string;
  problem: (line: number | undefined, message: string) => void;
}

function readPin(section: string, key: unknown, value: unknown, { list, line, text, problem }: PinContext): void {
  const name = isScalar(key) ? String(key.value) : '';
  const version = isScalar(value) ? value.value : undefined;
  if (typeof version !== 'string' || version.trim() === '' || /\s/.test(version)) {
    const range = (value as Node | null)?.range;
    const written = range ? text.slice(range[0], range[1]) : String(version);
    const hint = typeof version === 'number' ? `: YAML reads ${written} as the number ${String(version)}, write "${written}" in quotes` : '';
    problem(line, `${section}.${name} must be a version string${hint}`);
    return;
  }
  const other = list.pins.find((pin) => normalizeName(pin.name) === normalizeName(name));
  if (other) {
    problem(line, `${name} is pinned twice (also ${other.section}.${other.name} on line ${other.line}): keep one`);
    return;
  }
  list.pins.push({ name, section, version, line });
}

/** One install command found in a source: who installs, what, and whether `pinned` wraps it. */
interface Install {
  installer: Installer;
  wrapped: boolean;
  file: string;
  line: number;
  /** As written (quotes removed), e.g. `pandas`, `pandas==2.2`, `tzdata=2024a`. */
  spec: string;
}

/** Finds what the sources install and reports every pinned package installed at another version, unpinned or with another installer, and every pin nothing uses. `inherited` are the ancestors' lists (checked, never "unused"). */
export function checkInstalls(list: PinList, sources: SourceFile[], inherited: PinList[] = []): PinFinding[] {
  const pins = new Map<string, { pin: Pin; file: string }>();
  for (const { pins: entries, file } of [...inherited, list]) {
    entries.forEach((pin) => pins.set(normalizeName(pin.name), { pin, file }));
  }
  const used = new Set<string>();
  const findings: PinFinding[] = [];
  for (const source of sources) {
    for (const { name } of versionReads(source.text)) {
      used.add(normalizeName(name));
    }
    for (const install of installsIn(source, sources)) {
      const { name, version, exact } = splitSpec(install.spec, install.installer);
      const entry = pins.get(normalizeName(name));
      if (!entry) {
        continue;
      }
      used.add(normalizeName(name));
      const message = installProblem(install, entry.pin, entry.file, version, exact);
      if (message) {
        findings.push({ file: install.file, line: install.line, message });
      }
    }
  }
  for (const pin of list.pins.filter((candidate) => !used.has(normalizeName(candidate.name)))) {
    const how = (INSTALLERS as readonly string[]).includes(pin.section) ? `installs it through "pinned" or reads it with` : 'reads it with';
    findings.push({ file: list.file, line: pin.line, message: `pins ${pin.name} but no Dockerfile or script ${how} "pinned --version ${pin.name}": use it or remove it` });
  }
  return findings;
}

function installProblem(install: Install, pin: Pin, pinFile: string, version: string | undefined, exact: boolean): string | undefined {
  const where = `${pinFile}${pin.line ? `:${pin.line}` : ''}`;
  if (pin.section !== install.installer) {
    return `installs ${pin.name} with ${install.installer}, but ${where} pins it under "${pin.section}": install it with ${pin.section} or move the pin`;
  }
  if (version === undefined) {
    return install.wrapped ? undefined : `installs ${pin.name} unpinned; ${where} pins ${pin.version}: run the command through "pinned" (e.g. "pinned ${install.installer === 'uv' ? 'uv pip' : install.installer} install ${pin.name}")`;
  }
  if (version.includes('$')) {
    return `installs ${install.spec}: the version comes from ${version}, not from ${where} (${pin.version}); name it bare after "pinned"`;
  }
  if (!exact || version !== pin.version) {
    return `installs ${install.spec} but ${where} pins ${pin.version}`;
  }
  return install.wrapped ? `"pinned" refuses ${install.spec}: the version comes from ${where}, name it bare` : undefined;
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
function versionReads(text: string): { name: string }[] {
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
function installsIn(source: SourceFile, sources: SourceFile[]): Install[] {
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

/** The spec's `info_cmds` of an image against the expected list of its versions.yml (names and order). */
export function checkInfoCmds(actual: string[], list: PinList, specFile: string, specLine?: number): PinFinding[] {
  const expected = list.infoCmds;
  if (expected === undefined) {
    return [{ file: list.file, message: `lists no ${INFO_CMDS}: add the info commands the image's manifest must show` }];
  }
  const expectedAt = `${list.file}${list.infoCmdsLine ? `:${list.infoCmdsLine}` : ''}`;
  const findings: PinFinding[] = [];
  const report = (message: string) => findings.push({ file: specFile, line: specLine, message });
  expected.filter((name) => !actual.includes(name)).forEach((name) => report(`${INFO_CMDS} lacks ${name}, which ${expectedAt} expects`));
  actual.filter((name) => !expected.includes(name)).forEach((name) => report(`${INFO_CMDS} has ${name}, which ${expectedAt} does not expect`));
  if (findings.length === 0 && actual.join() !== expected.join()) {
    report(`${INFO_CMDS} are in the order ${actual.join(', ')}; ${expectedAt} expects ${expected.join(', ')}`);
  }
  return findings;
}
