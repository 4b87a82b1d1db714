/**
 * Pins: each image keeps its pinned versions in one file, `<image>/versions.yml`, whose top-level keys are
 * installers (`uv`, `pip`, `conda`, `apt`) or other version sources read with `pinned --version NAME` (`deb`,
 * `wheel-index`, ...), plus `info_cmds`, the info commands the image's wiki manifest must show. The build
 * applies the pins with the image's `pinned` wrapper (`pinned uv pip install pandas` installs pandas==<pin>).
 * These pure functions check that the Dockerfile and the scripts it runs follow that one list.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { INSTALLERS, installsIn, splitSpec, versionReads, type Install, type SourceFile } from './install-commands';

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
