/** Just enough of a Dockerfile to check it against the spec without building it. */

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface DockerfileSummary {
  instructions: Instruction[];
  /** `ARG` names declared before the first `FROM` (usable in `FROM`), with their defaults. */
  globalArgs: Map<string, string | undefined>;
  /** Every `ARG` declared anywhere, with its default. */
  args: Map<string, string | undefined>;
  /** `FROM` image references as written, in order. */
  froms: string[];
  /** Each build stage: what its `FROM` names, its `AS` name, its line. */
  stages: Stage[];
  /** Sources of `COPY`/`ADD` that come from the build context (not `--from=` another stage), with line. */
  copySources: { source: string; line: number }[];
}

/** Joins continuation lines and drops comments; keeps the line each instruction starts on. */
function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) {
      return;
    }
    if (pending && line.startsWith('#')) {
      return;
    }
    if (!pending) {
      startLine = index + 1;
    }
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      return;
    }
    const full = (pending + line).trim();
    pending = '';
    const match = /^(\S+)\s*(.*)$/s.exec(full);
    if (match) {
      result.push({ keyword: match[1].toUpperCase(), args: match[2].trim(), line: startLine });
    }
  });
  return result;
}

export interface Stage {
  base: string;
  name?: string;
  line: number;
}

export interface ArgDeclaration {
  name: string;
  value?: string;
}

/** `ARG A`, `ARG A=1`, `ARG A="x y" B`: the declarations of one ARG instruction. */
export function argDeclarations(args: string): ArgDeclaration[] {
  const words = args.match(/(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g) ?? [];
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0) {
      return { name: word };
    }
    return { name: word.slice(0, eq), value: word.slice(eq + 1).replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1') };
  });
}

/** Exec form `["src", "dest"]` when it parses as a JSON list of strings, else shell form (a glob may start with `[`). */
function pathsOf(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) {
        return parsed as string[];
      }
    } catch {
      // shell form after all
    }
  }
  return rest.split(/\s+/).filter(Boolean);
}

function copySourcesOf(args: string): string[] {
  const flags = /^(?:--\S+\s+)*/.exec(args)?.[0] ?? '';
  if (/--from=/.test(flags)) {
    return [];
  }
  return pathsOf(args.slice(flags.length).trim()).slice(0, -1);
}

export function parseDockerfile(text: string): DockerfileSummary {
  const all = instructions(text);
  const globalArgs = new Map<string, string | undefined>();
  const args = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  const copySources: { source: string; line: number }[] = [];
  for (const instruction of all) {
    if (instruction.keyword === 'ARG') {
      for (const { name, value } of argDeclarations(instruction.args)) {
        args.set(name, value);
        if (stages.length === 0) {
          globalArgs.set(name, value);
        }
      }
    } else if (instruction.keyword === 'FROM') {
      const [base, as, name] = instruction.args.replace(/^--platform=\S+\s+/, '').split(/\s+/);
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, line: instruction.line });
    } else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      const sources = copySourcesOf(instruction.args).filter((source) => !/^https?:\/\//.test(source));
      copySources.push(...sources.map((source) => ({ source, line: instruction.line })));
    }
  }
  return { instructions: all, globalArgs, args, froms: stages.map((stage) => stage.base), stages, copySources };
}

/**
 * The image the shipped stage (the last one) is built on: its `FROM`, followed back through stage names
 * (`FROM builder` where an earlier stage is `AS builder`) to an image from outside the Dockerfile.
 */
export function shippedBase(summary: DockerfileSummary): Stage | undefined {
  // Each step goes to an earlier stage, so this ends.
  for (let index = summary.stages.length - 1; index >= 0; ) {
    const base = summary.stages[index].base.toLowerCase();
    const earlier = summary.stages.slice(0, index).map((stage) => stage.name?.toLowerCase()).lastIndexOf(base);
    if (earlier < 0) {
      return summary.stages[index];
    }
    index = earlier;
  }
  return undefined;
}

/** True when the shipped stage descends from `<parentImageName>:${BASE_TAG}` (or `$BASE_TAG`), declared before the first FROM. */
export function takesBaseFrom(summary: DockerfileSummary, parentImageName: string): boolean {
  const base = shippedBase(summary)?.base;
  if (!base || !summary.globalArgs.has('BASE_TAG')) {
    return false;
  }
  return base === `${parentImageName}:\${BASE_TAG}` || base === `${parentImageName}:$BASE_TAG`;
}

/** `$NAME` and `${NAME}` replaced by their values; unknown names stay as written. */
function substitute(text: string, values: Map<string, string | undefined>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => values.get(braced ?? bare ?? '') ?? whole);
}

/**
 * The images from outside the stack that the Dockerfile builds on, as the build resolves them (build args over
 * the ARG defaults before the first FROM): every stage base that is not an earlier stage, `scratch`, or an image
 * of the stack itself (`stackRepositories`, whose identity the stack already carries).
 */
export function externalBases(summary: DockerfileSummary, buildArgs: Record<string, string>, stackRepositories: string[]): string[] {
  const values = new Map(summary.globalArgs);
  Object.entries(buildArgs).forEach(([name, value]) => values.set(name, value));
  const stageNames: string[] = [];
  const bases = new Set<string>();
  for (const stage of summary.stages) {
    const written = stage.base;
    const ofStack = stackRepositories.some((repository) => written.startsWith(`${repository}:`) || written.startsWith(`${repository}@`));
    const base = substitute(written, values);
    if (!ofStack && base.toLowerCase() !== 'scratch' && !stageNames.includes(base.toLowerCase())) {
      bases.add(base);
    }
    if (stage.name) {
      stageNames.push(stage.name.toLowerCase());
    }
  }
  return [...bases];
}
