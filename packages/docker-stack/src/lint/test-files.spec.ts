import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileView } from '../stack/files';
import { lint, messages, stack, workspace } from './lint.fixtures';
import { notebookProblem, pythonCompiler, type PythonCompiler } from './test-files';

describe('lintImage', () => {
  describe('rule 5: Python test files and notebooks', () => {
    const testFiles = {
      'images/child/test/test_a.py': 'x = 1\n',
      'images/child/test/helpers/util.py': 'y = 2\n',
      'images/child/test/data.csv': 'a,b\n',
      'images/child/integration_tests/test_b.py': 'z = 3\n',
      'images/child/workflow_tests/conftest.py': '\n',
      'images/child/manual_tests/check.py': '\n',
      'images/child/conf/not_a_test.py': 'this is not python\n',
    };

    it('compiles every .py file under the four test folders, and only those', () => {
      const seen: string[][] = [];
      const result = lint('child', workspace(testFiles), stack(), (files) => (seen.push(files), []));
      expect(result.problems).toEqual([]);
      expect(seen).toHaveLength(1);
      expect([...seen[0]].sort()).toEqual(
        [
          'images/child/test/helpers/util.py',
          'images/child/test/test_a.py',
          'images/child/integration_tests/test_b.py',
          'images/child/workflow_tests/conftest.py',
          'images/child/manual_tests/check.py',
        ].sort(),
      );
    });

    it('reports each syntax error with file and line', () => {
      const compile: PythonCompiler = () => [{ file: 'images/child/test/test_a.py', line: 3, message: "SyntaxError: expected ':' (Python 3.11 col 8)" }];
      expect(messages(lint('child', workspace(testFiles), stack(), compile))).toEqual([
        'images/child/test/test_a.py:3: image "child": SyntaxError: expected \':\' (Python 3.11 col 8)',
      ]);
    });

    it('reports a compiler that cannot run', () => {
      const compile: PythonCompiler = () => {
        throw new Error('cannot run "python9"');
      };
      expect(messages(lint('child', workspace(testFiles), stack(), compile))).toEqual([
        'images/child/test: image "child": could not compile the Python test files: cannot run "python9"',
      ]);
    });

    it('does not call the compiler when there is no Python file', () => {
      expect(lint('child', workspace(), stack(), () => [{ file: 'x', message: 'called' }]).problems).toEqual([]);
    });

    it('checks notebooks', () => {
      const good = JSON.stringify({ cells: [{ cell_type: 'markdown', source: ['# t'] }, { cell_type: 'code', source: ['print(1)\n'] }] });
      expect(lint('child', workspace({ 'images/child/manual_tests/ok.ipynb': good })).problems).toEqual([]);
      const result = lint('child', workspace({ 'images/child/manual_tests/broken.ipynb': '{\n "cells": [\n  {"cell_type": "code",}\n ]\n}\n' }));
      expect(messages(result)).toEqual([expect.stringMatching(/^images\/child\/manual_tests\/broken\.ipynb:3: image "child": is not valid JSON \(a notebook must be\): /)]);
    });

    it('says why a notebook is not a notebook', () => {
      expect(notebookProblem('[]')).toEqual({ message: 'is not a Jupyter notebook: expected a JSON object with a "cells" list' });
      expect(notebookProblem('{"cells": [{"cell_type": "markdown", "source": "x"}]}')).toEqual({ message: 'has no code cells' });
      expect(notebookProblem('{"cells": [{"cell_type": "code", "source": "x"}, {"cell_type": "code", "source": 3}]}')).toEqual({
        message: 'cell 2 is a code cell without a "source" string or list of strings',
      });
      expect(notebookProblem('{"cells": [{"cell_type": "code", "source": "x"}]}')).toBeUndefined();
    });
  });
});

describe('pythonCompiler and nodeFileView (real python3 and file system)', () => {
  const hasPython = spawnSync('python3', ['--version']).status === 0;
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'lint-image-'));
    mkdirSync(join(root, 'images/x/test/sub'), { recursive: true });
    writeFileSync(join(root, 'images/x/test/good.py'), 'def f():\n    return 1\n');
    writeFileSync(join(root, 'images/x/test/sub/bad.py'), 'import os\n\ndef f(:\n    pass\n');
    writeFileSync(join(root, 'images/x/test/indent.py'), 'if True:\nx = 1\n');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports every file that does not compile, with its line, and writes no bytecode', () => {
    expect(hasPython).toBe(true); // this test needs python3: it fails without it, never skips
    const compile = pythonCompiler('python3', root);
    const errors = compile(['images/x/test/good.py', 'images/x/test/sub/bad.py', 'images/x/test/indent.py']);
    expect(errors).toEqual([
      { file: 'images/x/test/sub/bad.py', line: 3, message: expect.stringMatching(/^SyntaxError: .*\(Python 3\.\d+/) },
      { file: 'images/x/test/indent.py', line: 2, message: expect.stringMatching(/^IndentationError: expected an indented block/) },
    ]);
    expect(nodeFileView(root).list('images/x/test').sort()).toEqual(['good.py', 'indent.py', 'sub']);
    const written = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((path) => /__pycache__|\.py[co]$/.test(path));
    expect(written).toEqual([]);
  });

  it('throws when the interpreter cannot be run', () => {
    expect(() => pythonCompiler('no-such-python-here', root)(['images/x/test/good.py'])).toThrow(/cannot run "no-such-python-here".*"python" option/);
  });

  it('sees files and folders below its root', () => {
    const files = nodeFileView(root);
    expect(files.kind('images/x/test')).toBe('directory');
    expect(files.kind('images/x/test/good.py')).toBe('file');
    expect(files.kind('images/x/nothing')).toBeUndefined();
    expect(files.read('images/x/test/good.py')).toContain('return 1');
    expect(files.read('images/x/test')).toBeUndefined();
    expect(files.list('images/x/test/good.py')).toEqual([]);
  });
});
