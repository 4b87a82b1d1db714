import { isMap, isScalar, type Document, type LineCounter } from 'yaml';

export type LineFinder = (path: (string | number)[]) => number | undefined;

/**
 * Finds the line of a key path in a parsed YAML document: the key's line for a mapping entry, the item's line
 * for a list entry, else the deepest part of the path that exists.
 */
export function lineFinder(document: Document, lineCounter: LineCounter): LineFinder {
  return (path) => {
    for (let length = path.length; length > 0; length--) {
      const parent = length > 1 ? document.getIn(path.slice(0, length - 1), true) : document.contents;
      const last = path[length - 1];
      const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === last) : undefined;
      const node = document.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      const offset = (pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? node?.range?.[0];
      if (offset !== undefined) {
        return lineCounter.linePos(offset).line;
      }
    }
    return undefined;
  };
}
