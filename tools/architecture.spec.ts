/**
 * The plugin's shape: its import graph has no circle, type-only imports included (a type that two modules share
 * lives in a leaf module of their room, e.g. `docker/build-types.ts`, `stack/model.ts`; madge finds the circles),
 * its published files hold no test code, and its product files and functions stay short enough to read in one go.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';

const PLUGIN = join(__dirname, '..', 'packages', 'docker-stack');
const PLUGIN_SOURCES = join(PLUGIN, 'src');
const MADGE = require.resolve('madge/bin/cli.js');

/** madge counts `import type` as an import unless told to skip it. */
function circles(folder: string): string[][] {
  const run = spawnSync(process.execPath, [MADGE, '--circular', '--json', '--extensions', 'ts', folder], { encoding: 'utf8' });
  if (run.stdout.trim() === '') {
    throw new Error(`madge failed on ${folder}: ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as string[][];
}

test('no module of the plugin imports itself through others, not even for a type', () => {
  expect(circles(PLUGIN_SOURCES)).toEqual([]);
});

test('the check sees a circle made only of a type import', () => {
  const folder = mkdtempSync(join(tmpdir(), 'circles-'));
  try {
    writeFileSync(join(folder, 'engine.ts'), "import { read } from './reader';\nexport interface Step { name: string }\nexport const run = read;\n");
    writeFileSync(join(folder, 'reader.ts'), "import type { Step } from './engine';\nexport const read = (step: Step) => step.name;\n");
    expect(circles(folder)).toEqual([['engine.ts', 'reader.ts']]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('the published package holds no test, fixture or fake', () => {
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json'], { cwd: PLUGIN, encoding: 'utf8' });
  const [{ files }] = JSON.parse(pack.stdout) as { files: { path: string }[] }[];
  const paths = files.map((file) => file.path);
  expect(paths).toContain('dist/index.js');
  expect(paths.filter((path) => /\.spec\.|fixture|(^|\/)testing\/|fake/.test(path))).toEqual([]);
});

test("executor schemas repeat no default: each executor's normalizeOptions (with defaults.ts) is its one owner", () => {
  const executors = join(PLUGIN_SOURCES, 'executors');
  const withDefaults = readdirSync(executors).flatMap((executor) => {
    const { properties } = JSON.parse(readFileSync(join(executors, executor, 'schema.json'), 'utf8')) as { properties: Record<string, object> };
    return Object.entries(properties).filter(([, property]) => 'default' in property).map(([option]) => `${executor}/schema.json: ${option}`);
  });
  expect(withDefaults).toEqual([]);
});

/** The plugin's product files: what is compiled and published (no spec, fixture or test double). */
function productFiles(folder = PLUGIN_SOURCES): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return productFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(spec|fixtures?)\.ts$|\.d\.ts$/.test(entry.name) ? [path] : [];
  });
}

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** Every function, method, arrow function and constructor of a source, with its length in lines. */
function functionLengths(path: string): { name: string; lines: number }[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const line = (position: number) => source.getLineAndCharacterOfPosition(position).line;
      const name = (node as ts.FunctionLikeDeclaration).name?.getText(source) ?? `(anonymous at line ${line(node.getStart(source)) + 1})`;
      found.push({ name: `${relative(PLUGIN_SOURCES, path)}: ${name}`, lines: line(node.getEnd()) - line(node.getStart(source)) + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('no product file is over 250 lines', () => {
  const long = productFiles().map((path) => ({ path: relative(PLUGIN_SOURCES, path), lines: lineCount(readFileSync(path, 'utf8')) }));
  expect(long.filter(({ lines }) => lines > 250)).toEqual([]);
  expect(long.length).toBeGreaterThan(50);
});

test('no function of the product is over 60 lines', () => {
  const functions = productFiles().flatMap(functionLengths);
  expect(functions.filter(({ lines }) => lines > 60)).toEqual([]);
  // The count sees long functions: the plugin's longest is close to the limit, not a one-liner.
  expect(Math.max(...functions.map(({ lines }) => lines))).toBeGreaterThan(30);
});
