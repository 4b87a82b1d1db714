/**
 * The one home of every option default the plugin, its executors and generators share. Each `normalizeOptions`
 * (plugin, executors, generators) reads these; schema.json files only describe them.
 */
export const DEFAULT_STACK_DIR = 'images';
/** The interpreter with pytest, the Docker SDK for Python and requests. */
export const DEFAULT_PYTHON = 'python3';
/** The wiki checkout, relative to the workspace root. */
export const DEFAULT_WIKI_DIR = 'wiki';
/** The Markdown file holding the stack diagram. */
export const DEFAULT_README = 'README.md';
/** The engine's builder of `nx build`. */
export const DEFAULT_BUILDER = 'buildkit';

/** `./images/` and `images` name the same folder. */
export function normalizeStackDir(stackDir: string | undefined): string {
  return (stackDir ?? DEFAULT_STACK_DIR).replace(/^\.\//, '').replace(/\/+$/, '');
}

/** The options every executor working on the stack takes, with their defaults applied. */
export interface StackOptions {
  stackDir: string;
  python: string;
  wikiDir: string;
}

/** The shared part of each executor's `normalizeOptions`: its own options plus the stack defaults. */
export function withStackDefaults<T extends { stackDir?: string; python?: string; wikiDir?: string }>(options: T): T & StackOptions {
  return {
    ...options,
    stackDir: normalizeStackDir(options.stackDir),
    python: options.python ?? DEFAULT_PYTHON,
    wikiDir: options.wikiDir ?? DEFAULT_WIKI_DIR,
  };
}
