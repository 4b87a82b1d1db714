import { isAlias, isMap, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type ScalarTag, type Tags } from 'yaml';
import { isMergeKey } from './yaml-lines';
import { StackSpecError, type SpecProblem } from './errors';

/**
 * Every YAML rule of spec.yml lives here. The former pipeline read spec.yml with PyYAML (YAML 1.1), so specs use
 * anchors, aliases and `<<` merge keys, and write booleans as yes/no/on/off. We read YAML 1.1 the same way:
 * - merge keys merge; the mapping's own keys win over merged ones, and in `<<: [*a, *b]` the earlier map wins;
 * - booleans are PyYAML's: true/false, yes/no, on/off in three casings. The yaml library's 1.1 schema also reads
 *   `y` and `n` as booleans; PyYAML does not, so neither do we.
 */
const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;

/** Aliases may expand to this many nodes: far above any real spec, far below an alias bomb. */
export const MAX_ALIAS_COUNT = 10_000;

export interface SpecYaml {
  document: Document;
  lineCounter: LineCounter;
  /** The document as plain data, aliases and merge keys resolved. */
  raw: unknown;
}

function pyyamlBooleans(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:bool' || !(tag.test instanceof RegExp)) {
      return tag;
    }
    const boolean: ScalarTag = { ...(tag as ScalarTag), test: tag.test.test('yes') ? PYYAML_TRUE : PYYAML_FALSE };
    return boolean;
  });
}

/** Parses spec.yml as YAML 1.1; throws a `StackSpecError` naming the line of a syntax or alias problem. */
export function parseSpecYaml(specFile: string, text: string): SpecYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    version: '1.1',
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
    customTags: pyyamlBooleans,
  });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  if (document.errors.length > 0) {
    throw new StackSpecError(
      document.errors.map((error) => ({
        file: specFile,
        line: lineAt(error.pos[0]),
        message: `YAML syntax error: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  try {
    return { document, lineCounter, raw: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    throw new StackSpecError(resolveProblems(document, specFile, lineAt, error as Error));
  }
}

/** Why aliases or merge keys did not resolve: undefined aliases, a merge of a non-mapping, else the alias bomb. */
function resolveProblems(document: Document, specFile: string, lineAt: (offset: number) => number, error: Error): SpecProblem[] {
  const undefinedAliases: SpecProblem[] = [];
  let firstAlias: number | undefined;
  let badMerge: number | undefined;
  const isMapping = (node: unknown) => isMap(isAlias(node) ? node.resolve(document) : node);
  visit(document, {
    Alias(_, alias) {
      const offset = alias.range?.[0] ?? 0;
      firstAlias ??= offset;
      if (!alias.resolve(document)) {
        const message = `YAML alias *${alias.source} is not defined: define the anchor &${alias.source} before this line`;
        undefinedAliases.push({ file: specFile, line: lineAt(offset), message });
      }
    },
    Pair(_, pair) {
      const value = isAlias(pair.value) ? pair.value.resolve(document) : pair.value;
      if (isMergeKey(pair.key) && !(isSeq(value) ? value.items.every(isMapping) : isMapping(value))) {
        badMerge ??= (pair.key as Node).range?.[0];
      }
    },
  });
  if (undefinedAliases.length > 0) {
    return undefinedAliases;
  }
  const at = (offset: number | undefined, message: string): SpecProblem[] => [{ file: specFile, line: offset === undefined ? undefined : lineAt(offset), message }];
  if (badMerge !== undefined) {
    return at(badMerge, 'a << merge key takes a mapping, an alias of one, or a list of those');
  }
  if (error instanceof ReferenceError && firstAlias !== undefined) {
    return at(
      firstAlias,
      `YAML aliases from this line on expand to more than ${MAX_ALIAS_COUNT} nodes, the limit that guards against an alias bomb: use fewer nested aliases`,
    );
  }
  return at(undefined, `YAML error: ${error.message}`);
}

const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;

/** Key paths of the string values holding a control character (`"\0"` escapes get past the file's own check). */
export function controlCharacterPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') {
    return CONTROL.test(value) ? [path] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => controlCharacterPaths(item, [...path, index]));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => controlCharacterPaths(item, [...path, key]));
  }
  return [];
}
