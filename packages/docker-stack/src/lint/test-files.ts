import { spawnSync } from 'node:child_process';
import { walkFiles } from '../stack/files';
import { IMAGE_TEST_FOLDERS } from '../stack/model';
import { report, type LintContext } from './context';

export interface PythonSyntaxError {
  /** As passed to the compiler (workspace-relative). */
  file: string;
  line?: number;
  message: string;
}

/** Compiles Python files without running or writing them; returns one entry per file that does not compile. Throws when it cannot run. */
export type PythonCompiler = (files: string[]) => PythonSyntaxError[];

/** Rule: the Python test files compile and the notebooks are notebooks. */
export function checkTestFiles(context: LintContext, compilePython: PythonCompiler): void {
  const all = IMAGE_TEST_FOLDERS.flatMap((folder) => walkFiles(context.files, `${context.folder}/${folder}`));
  const python = all.filter((file) => file.endsWith('.py'));
  context.checks += python.length;
  if (python.length > 0) {
    try {
      for (const error of compilePython(python)) {
        report(context, error.file, error.line, error.message);
      }
    } catch (error) {
      report(context, `${context.folder}/${IMAGE_TEST_FOLDERS[0]}`, undefined, `could not compile the Python test files: ${(error as Error).message}`);
    }
  }
  for (const notebook of all.filter((file) => file.endsWith('.ipynb'))) {
    context.checks += 1;
    const problem = notebookProblem(context.files.read(notebook) ?? '');
    if (problem) {
      report(context, notebook, problem.line, problem.message);
    }
  }
}

function lineAt(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

/** Why a notebook is not a usable notebook, or `undefined` when it is. */
export function notebookProblem(text: string): { line?: number; message: string } | undefined {
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    return { line: position ? lineAt(text, Number(position[1])) : undefined, message: `is not valid JSON (a notebook must be): ${message}` };
  }
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  if (typeof notebook !== 'object' || notebook === null || Array.isArray(notebook) || !Array.isArray(cells)) {
    return { message: 'is not a Jupyter notebook: expected a JSON object with a "cells" list' };
  }
  const code = cells.filter((cell) => (cell as { cell_type?: unknown } | null)?.cell_type === 'code');
  if (code.length === 0) {
    return { message: 'has no code cells' };
  }
  const badIndex = cells.findIndex((cell) => {
    const { cell_type: type, source } = (cell ?? {}) as { cell_type?: unknown; source?: unknown };
    return type === 'code' && !(typeof source === 'string' || (Array.isArray(source) && source.every((part) => typeof part === 'string')));
  });
  if (badIndex >= 0) {
    return { message: `cell ${badIndex + 1} is a code cell without a "source" string or list of strings` };
  }
  return undefined;
}

/** Compiles every file given (errors for all of them, not only the first), prints one JSON line per failure. */
const COMPILE_SCRIPT = `
import json, sys
version = "Python %d.%d" % sys.version_info[:2]
for f in sys.argv[1:]:
    try:
        with open(f, encoding="utf-8") as handle:
            source = handle.read()
        compile(source, f, "exec", dont_inherit=True)
    except SyntaxError as error:
        column = " col %d" % error.offset if error.offset else ""
        print(json.dumps({"file": f, "line": error.lineno,
                          "message": "%s: %s (%s%s)" % (type(error).__name__, error.msg, version, column)}))
    except (UnicodeDecodeError, ValueError, OSError) as error:
        print(json.dumps({"file": f, "message": "%s: %s" % (type(error).__name__, error)}))
`;

/** Compiles with `python` in `cwd` (file names are relative to it), writing no bytecode. */
export function pythonCompiler(python: string, cwd: string): PythonCompiler {
  return (files) => {
    const result = spawnSync(python, ['-B', '-W', 'ignore', '-c', COMPILE_SCRIPT, ...files], { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (result.error) {
      throw new Error(`cannot run "${python}" (${result.error.message}); set the lint target's "python" option to a Python 3 interpreter`);
    }
    if (result.status !== 0) {
      throw new Error(`"${python}" exited with ${result.status ?? result.signal}: ${result.stderr.trim() || result.stdout.trim()}`);
    }
    return result.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const entry = JSON.parse(line) as { file: string; line?: number | null; message: string };
        return { file: entry.file, line: entry.line ?? undefined, message: entry.message };
      });
  };
}
