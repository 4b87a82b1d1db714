import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';

export interface NewImageEntry {
  name: string;
  imageName: string;
  /** The parent image; absent for a new root. */
  dependOn?: string;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const column = (text: string, offset: number) => offset - lineStart(text, offset);
const keyStart = (pair: Pair) => (pair.key as Node).range?.[0] ?? 0;

/**
 * `spec.yml` with one image added. The yaml document API finds where; the text is then spliced in, so every
 * other character (comments and their alignment, anchors, quoting, key order) stays as written. The entry goes
 * after the parent's entry (after the last image for a root); a new root joins `root` when the spec lists roots.
 */
export function withImageEntry(specText: string, entry: NewImageEntry): string {
  const text = specText.endsWith('\n') ? specText : `${specText}\n`;
  const document = parseDocument(text);
  const top = document.contents;
  const images = isMap(top) ? top.get('images', true) : undefined;
  if (!isMap(top) || !isMap(images) || images.items.length === 0) {
    throw new Error('spec.yml has no "images" mapping to add the image to');
  }
  const parentIndex = images.items.findIndex((item) => isScalar(item.key) && item.key.value === entry.dependOn);
  const next = images.items[parentIndex < 0 ? images.items.length : parentIndex + 1];
  const afterImages = top.items[top.items.findIndex((item) => isScalar(item.key) && item.key.value === 'images') + 1];
  const nextKey = next ? keyStart(next) : afterImages ? keyStart(afterImages) : text.length;
  const itemIndent = column(text, keyStart(images.items[0]));
  const at = insertionPoint(text, nextKey, itemIndent);
  const inserted = `${text.slice(0, at)}${entryText(text, images, entry, itemIndent)}${text.slice(at)}`;
  return entry.dependOn ? inserted : withRoot(inserted, entry.name);
}

/** Before the next key, but after the lines that still belong to the entry above (its deeper comments). */
function insertionPoint(text: string, nextKey: number, itemIndent: number): number {
  let at = lineStart(text, nextKey);
  while (at > 0) {
    const previous = lineStart(text, at - 1);
    const line = text.slice(previous, at - 1);
    const ownedByNext = line.trim() === '' || (line.trimStart().startsWith('#') && line.length - line.trimStart().length <= itemIndent);
    if (!ownedByNext) {
      break;
    }
    at = previous;
  }
  return at;
}

/** The entry's lines, indented like the spec's first image and its settings. */
function entryText(text: string, images: YAMLMap, entry: NewImageEntry, itemIndent: number): string {
  const first = images.items[0].value;
  const settingsIndent = isMap(first) && first.items.length > 0 && !first.flow ? column(text, keyStart(first.items[0])) : itemIndent + 2;
  const pad = ' '.repeat(settingsIndent);
  const settings = [`${pad}image_name: ${entry.imageName}`, ...(entry.dependOn ? [`${pad}depend_on: ${entry.dependOn}`] : [])];
  return `${' '.repeat(itemIndent)}${entry.name}:\n${settings.join('\n')}\n`;
}

/** `root: a` becomes `root: [a, b]`, `[a]` becomes `[a, b]`, a block list gets an item; no `root` stays absent. */
function withRoot(text: string, name: string): string {
  const root = parseDocument(text).get('root', true) as Node | undefined;
  const [start, end] = root?.range ?? [0, 0];
  if (isScalar(root)) {
    return `${text.slice(0, start)}[${text.slice(start, end)}, ${name}]${text.slice(end)}`;
  }
  if (isSeq(root) && root.flow) {
    const close = text.lastIndexOf(']', end);
    return `${text.slice(0, close)}, ${name}${text.slice(close)}`;
  }
  if (isSeq(root) && root.items.length > 0) {
    const last = root.items[root.items.length - 1] as Node;
    const itemLine = lineStart(text, last.range?.[0] ?? 0);
    const lineEnd = text.indexOf('\n', last.range?.[0] ?? 0) + 1;
    const dash = text.slice(itemLine, lineEnd).replace(/^(\s*-\s*).*\n$/s, '$1');
    return `${text.slice(0, lineEnd)}${dash}${name}\n${text.slice(lineEnd)}`;
  }
  return text;
}
