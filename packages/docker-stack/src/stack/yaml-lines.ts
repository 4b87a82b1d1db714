import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type LineFinder = (path: (string | number)[]) => number | undefined;

interface Found {
  /** The mapping key of the last path part, when it is one. */
  key?: Node;
  value?: Node;
  /** Found through a `<<` merge key, not written in the mapping itself. */
  merged?: boolean;
}

/** A `<<` key: the yaml library reads it as a symbol when merge keys are on. */
export const isMergeKey = (key: unknown) =>
  isScalar(key) && (key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<'));

/**
 * The node at `key` of a collection, the way YAML 1.1 reads it: through aliases, and for a mapping through its
 * `<<` merge keys when it does not set the key itself (in `<<: [*a, *b]`, the earlier map wins). So a build arg
 * merged in from `x-common: &common` is found where it is written, in the `x-common` block.
 */
function child(document: Document, parent: unknown, key: string | number): Found | undefined {
  const node = isAlias(parent) ? parent.resolve(document) : parent;
  if (isSeq(node) && typeof key === 'number') {
    const value = node.items[key] as Node | undefined;
    return value ? { value } : undefined;
  }
  if (!isMap(node)) {
    return undefined;
  }
  const own = node.items.find((pair) => !isMergeKey(pair.key) && isScalar(pair.key) && pair.key.value === key);
  if (own) {
    return { key: own.key as Node, value: own.value as Node };
  }
  for (const merge of node.items.filter((pair) => isMergeKey(pair.key))) {
    const sources = isSeq(merge.value) ? merge.value.items : [merge.value];
    for (const source of sources) {
      const found = child(document, source, key);
      if (found) {
        return { ...found, merged: true };
      }
    }
  }
  return undefined;
}

/** The node at a key path of spec.yml, merge keys and aliases followed. */
export function nodeAt(document: Document, path: (string | number)[]): Found | undefined {
  let found: Found | undefined = { value: document.contents ?? undefined };
  for (const part of path) {
    found = found?.value ? child(document, found.value, part) : undefined;
  }
  return found;
}

/** Whether the last key of a path comes from a shared block through a `<<` merge key. */
export type MergeFinder = (path: (string | number)[]) => boolean;

export function mergeFinder(document: Document): MergeFinder {
  return (path) => nodeAt(document, path)?.merged === true;
}

/** The source text of a scalar at a key path (`3.10`, `yes`), to keep build args as they are written. */
export function sourceAt(document: Document, path: (string | number)[]): string | undefined {
  const value = nodeAt(document, path)?.value;
  return isScalar(value) && typeof value.source === 'string' ? value.source : undefined;
}

/**
 * Finds the line of a key path in a parsed YAML document: the key's line for a mapping entry, the item's line
 * for a list entry, else the deepest part of the path that exists.
 */
export function lineFinder(document: Document, lineCounter: LineCounter): LineFinder {
  return (path) => {
    for (let length = path.length; length > 0; length--) {
      const found = nodeAt(document, path.slice(0, length));
      const offset = found?.key?.range?.[0] ?? found?.value?.range?.[0];
      if (offset !== undefined) {
        return lineCounter.linePos(offset).line;
      }
    }
    return undefined;
  };
}
