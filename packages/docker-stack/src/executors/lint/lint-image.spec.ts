import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStack } from '../../spec/parse-stack';
import type { ImageSpec, StackSpec } from '../../spec/spec';
import { StackSpecError } from '../../spec/spec-error';
import {
  formatLintProblem,
  lintImage,
  nodeFileView,
  notebookProblem,
  pythonCompiler,
  specErrorProblems,
  type FileView,
  type LintResult,
  type PythonCompiler,
} from './lint-image';

const lines = (...text: string[]) => text.join('\n') + '\n';

/** A file system made of the given files; their folders exist implicitly. */
function fakeFiles(files: Record<string, string>): FileView {
  const directories = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let length = 1; length < parts.length; length += 1) {
      directories.add(parts.slice(0, length).join('/'));
    }
  }
  return {
    kind: (path) => (path in files ? 'file' : directories.has(path) ? 'directory' : undefined),
    list: (path) => {
      const names = new Set<string>();
      for (const candidate of [...Object.keys(files), ...directories]) {
        if (candidate.startsWith(`${path}/`)) {
          names.add(candidate.slice(path.length + 1).split('/')[0]);
        }
      }
      return [...names];
    },
    read: (path) => files[path],
  };
}

const image = (name: string, settings: Partial<ImageSpec> = {}): ImageSpec => ({
  name,
  imageName: `ghcr.io/org/${name}`,
  buildArgs: {},
  infoCmds: [],
  integrationTests: false,
  prune: false,
  prepull: true,
  ...settings,
});

/** `base` (a root with one build arg) and `child` (built on base). */
function stack(base: Partial<ImageSpec> = {}, child: Partial<ImageSpec> = {}): StackSpec {
  return {
    stackDir: 'images',
    roots: ['base'],
    images: [image('base', { buildArgs: { UPSTREAM_TAG: '2024-03-14' }, ...base }), image('child', { dependOn: 'base', ...child })],
    tagPrefix: '2026.3',
    infoCommands: {},
    changeIgnore: [],
    buildAll: [],
  };
}

const SPEC_YML = lines(
  'root: base',
  'images:',
  '  base:',
  '    image_name: ghcr.io/org/base',
  '    build_args:',
  '      UPSTREAM_TAG: "2024-03-14"',
  '      UNUSED: x',
  '  child:',
  '    image_name: ghcr.io/org/child',
  '    depend_on: base',
  '    build_args:',
  '      BASE_TAG: latest',
  'tag:',
  '  prefix: "2026.3"',
);

const BASE_DOCKERFILE = lines('ARG UPSTREAM_TAG', 'FROM quay.io/jupyter/base-notebook:${UPSTREAM_TAG}', 'COPY scripts/ /opt/scripts/');
const CHILD_DOCKERFILE = lines('ARG BASE_TAG=latest', 'FROM ghcr.io/org/base:${BASE_TAG}', 'ARG TOOL_VERSION=1.0', 'COPY conf/app.conf /etc/app.conf');

/** A consistent stack; `files` override or add files (an `undefined` value removes one). */
function workspace(files: Record<string, string | undefined> = {}): FileView {
  const all: Record<string, string | undefined> = {
    'images/spec.yml': SPEC_YML,
    'images/base/Dockerfile': BASE_DOCKERFILE,
    'images/base/scripts/run.sh': 'echo run\n',
    'images/base/test/test_base.py': 'def test_ok():\n    assert True\n',
    'images/child/Dockerfile': CHILD_DOCKERFILE,
    'images/child/conf/app.conf': 'x=1\n',
    ...files,
  };
  return fakeFiles(Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined)));
}

const compilesEverything: PythonCompiler = () => [];

function lint(name: string, files: FileView = workspace(), spec: StackSpec = stack(), compile: PythonCompiler = compilesEverything): LintResult {
  return lintImage(spec, name, files, compile);
}

const messages = (result: LintResult) => result.problems.map(formatLintProblem);

describe('lintImage', () => {
  it('passes a consistent root and child and counts what it checked', () => {
    const base = lint('base');
    expect(base.problems).toEqual([]);
    // base FROM, 1 COPY source, 1 ARG, 1 build arg, 1 Python file
    expect(base.checks).toBe(5);
    const child = lint('child');
    expect(child.problems).toEqual([]);
    // base FROM, 1 COPY source, 2 ARGs
    expect(child.checks).toBe(4);
  });

  describe('rule 1: the spec and the image folders', () => {
    it('turns a StackSpecError into problems, keeping file, line and image', () => {
      const error = new StackSpecError([
        { file: 'images/spec.yml', line: 7, image: 'child', key: 'depend_on', message: 'names "nope", which is not an image in "images"' },
        { file: 'images/extra/Dockerfile', image: 'extra', message: 'has a Dockerfile but no entry under "images"' },
        { file: 'images/spec.yml', message: 'YAML syntax error: bad' },
      ]);
      expect(specErrorProblems(error, 'child').map(formatLintProblem)).toEqual([
        'images/spec.yml:7: image "child": key "depend_on" names "nope", which is not an image in "images"',
        'images/extra/Dockerfile: image "extra": has a Dockerfile but no entry under "images"',
        'images/spec.yml: image "child": YAML syntax error: bad',
      ]);
    });

    it('reports what parseStack finds when a folder has no spec entry', () => {
      let thrown: unknown;
      try {
        parseStack({
          stackDir: 'images',
          specText: lines('root: base', 'images:', '  base:', '    image_name: ghcr.io/org/base', 'tag:', '  prefix: "2026.3"'),
          folders: new Map([
            ['base', { dockerfile: 'FROM ubuntu\n' }],
            ['stray', { dockerfile: 'FROM ubuntu\n' }],
          ]),
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StackSpecError);
      expect(specErrorProblems(thrown as StackSpecError, 'base').map(formatLintProblem)).toEqual([
        expect.stringMatching(/^images\/stray\/Dockerfile: image "stray": has a Dockerfile but no entry under "images"/),
      ]);
    });

    it('fails an image that is not in the spec or has no Dockerfile', () => {
      expect(messages(lint('ghost'))).toEqual(['images/spec.yml: image "ghost": has no entry under "images" in images/spec.yml']);
      expect(messages(lint('child', workspace({ 'images/child/Dockerfile': undefined })))).toEqual([
        'images/child/Dockerfile: image "child": is missing: every image folder needs a Dockerfile',
      ]);
    });
  });

  describe('rule 2: the base image', () => {
    const childWith = (dockerfile: string) => lint('child', workspace({ 'images/child/Dockerfile': dockerfile }));

    it('fails a child built FROM another image, naming the expected parent', () => {
      const result = childWith(lines('ARG BASE_TAG', 'FROM ghcr.io/x/other:${BASE_TAG}'));
      expect(messages(result)).toEqual([
        'images/child/Dockerfile:2: image "child": FROM must be ghcr.io/org/base:${BASE_TAG} (the parent in images/spec.yml), found ghcr.io/x/other:${BASE_TAG}',
      ]);
    });

    it('fails a child FROM its parent at a fixed tag', () => {
      expect(messages(childWith(lines('ARG BASE_TAG', 'FROM ghcr.io/org/base:latest')))).toEqual([
        'images/child/Dockerfile:2: image "child": FROM must be ghcr.io/org/base:${BASE_TAG} (the parent in images/spec.yml), found ghcr.io/org/base:latest',
      ]);
    });

    it('fails a child that does not declare BASE_TAG before FROM, pointing at a late declaration', () => {
      expect(messages(childWith(lines('FROM ghcr.io/org/base:${BASE_TAG}')))).toEqual([
        'images/child/Dockerfile:1: image "child": FROM ghcr.io/org/base:${BASE_TAG} needs "ARG BASE_TAG" before it: the build passes the parent\'s tag as BASE_TAG',
      ]);
      expect(messages(childWith(lines('FROM ghcr.io/org/base:${BASE_TAG}', 'ARG BASE_TAG')))).toEqual([
        'images/child/Dockerfile:1: image "child": FROM ghcr.io/org/base:${BASE_TAG} needs "ARG BASE_TAG" before it' +
          ' (line 2 declares it after FROM, where FROM cannot see it): the build passes the parent\'s tag as BASE_TAG',
      ]);
    });

    it('fails a child without FROM', () => {
      expect(messages(childWith(lines('ARG BASE_TAG')))).toEqual([
        'images/child/Dockerfile: image "child": has no FROM: it must start with "ARG BASE_TAG" and "FROM ghcr.io/org/base:${BASE_TAG}" (the parent in images/spec.yml)',
      ]);
    });

    it('accepts $BASE_TAG and ARG BASE_TAG with or without a default', () => {
      expect(childWith(lines('ARG BASE_TAG', 'FROM ghcr.io/org/base:$BASE_TAG')).problems).toEqual([]);
      expect(childWith(lines('ARG BASE_TAG=latest', 'FROM ghcr.io/org/base:${BASE_TAG}')).problems).toEqual([]);
    });

    it('fails a root whose FROM uses BASE_TAG', () => {
      const result = lint(
        'base',
        workspace({ 'images/base/Dockerfile': lines('ARG BASE_TAG=latest', 'ARG UPSTREAM_TAG', 'FROM quay.io/jupyter/base-notebook:${BASE_TAG}') }),
      );
      expect(messages(result)).toEqual([
        'images/base/Dockerfile:3: image "base": FROM must not use BASE_TAG: "base" is a root in images/spec.yml (no depend_on),' +
          ' so the build passes no BASE_TAG; use a fixed tag or a build_args entry',
      ]);
    });
  });

  describe('rule 3: COPY and ADD sources', () => {
    const childCopying = (copy: string, files: Record<string, string> = {}, spec = stack()) =>
      lint('child', workspace({ 'images/child/Dockerfile': lines('ARG BASE_TAG', 'FROM ghcr.io/org/base:${BASE_TAG}', copy), ...files }), spec);

    it('fails a source missing from the image folder, with its line', () => {
      expect(messages(childCopying('COPY conf/missing.conf /etc/'))).toEqual([
        'images/child/Dockerfile:3: image "child": COPY/ADD source "conf/missing.conf" does not exist: no images/child/conf/missing.conf' +
          ' (sources are relative to the image folder, the build context)',
      ]);
      expect(messages(childCopying('ADD --chown=1000:100 conf/app.conf gone.txt /etc/'))).toEqual([
        expect.stringContaining('images/child/Dockerfile:3: image "child": COPY/ADD source "gone.txt" does not exist'),
      ]);
    });

    it('accepts files, folders, the context itself, leading slashes and exec form', () => {
      expect(childCopying('COPY conf/app.conf conf ./conf/ /conf/app.conf . /etc/').problems).toEqual([]);
      expect(childCopying('COPY ["conf/app.conf", "/etc/app.conf"]').problems).toEqual([]);
    });

    it('needs a glob to match at least one file', () => {
      const files = { 'images/child/conf/b.yaml': 'b: 1\n' };
      expect(childCopying('COPY conf/*.conf conf/?.yaml c*/[ab].yaml /etc/', files).problems).toEqual([]);
      expect(messages(childCopying('COPY conf/*.json /etc/', files))).toEqual([
        'images/child/Dockerfile:3: image "child": COPY/ADD source "conf/*.json" matches no file in the build context images/child/',
      ]);
    });

    it('fails a source outside the build context', () => {
      expect(messages(childCopying('COPY ../base/scripts/run.sh /opt/'))).toEqual([
        'images/child/Dockerfile:3: image "child": COPY/ADD source "../base/scripts/run.sh" is outside the build context images/child/',
      ]);
    });

    it('resolves ARG values and skips what only the build knows, other stages and URLs', () => {
      const spec = stack({}, { buildArgs: { CONF: 'app' } });
      expect(childCopying('ARG CONF\nCOPY conf/${CONF}.conf /etc/', {}, spec).problems).toEqual([]);
      expect(messages(childCopying('ARG CONF\nCOPY conf/${CONF}.yaml /etc/', {}, spec))).toEqual([
        expect.stringContaining('COPY/ADD source "conf/${CONF}.yaml" does not exist: no images/child/conf/app.yaml'),
      ]);
      const skipped = childCopying('COPY --from=builder /out/bin /usr/bin/\nADD https://example.com/x.tgz /tmp/\nCOPY ${NOWHERE}/x /tmp/');
      expect(skipped.problems).toEqual([]);
      expect(skipped.checks).toBe(2); // FROM and the BASE_TAG ARG only
    });
  });

  describe('rule 4: ARGs and build_args', () => {
    it('fails an ARG without default that build_args does not give, once per name', () => {
      const result = lint('child', workspace({ 'images/child/Dockerfile': lines(CHILD_DOCKERFILE.trimEnd(), 'ARG PY_VER', 'ARG PY_VER') }));
      expect(messages(result)).toEqual([
        'images/child/Dockerfile:5: image "child": ARG PY_VER has no default and images/spec.yml gives no build_args.PY_VER for "child":' +
          ' add it to build_args or give the ARG a default',
      ]);
    });

    it('accepts ARGs given by build_args, BASE_TAG for a child, BuildKit ARGs and global defaults in a stage', () => {
      const dockerfile = lines('ARG BASE_TAG', 'ARG REGISTRY=ghcr.io', 'FROM ghcr.io/org/base:${BASE_TAG}', 'ARG REGISTRY', 'ARG TARGETARCH', 'ARG PY_VER');
      const result = lint('child', workspace({ 'images/child/Dockerfile': dockerfile }), stack({}, { buildArgs: { PY_VER: '3.11' } }));
      expect(result.problems).toEqual([]);
    });

    it('fails BASE_TAG without default in a root, where the build never sets it', () => {
      const result = lint('base', workspace({ 'images/base/Dockerfile': lines('ARG UPSTREAM_TAG', 'FROM quay.io/x:${UPSTREAM_TAG}', 'ARG BASE_TAG') }));
      expect(messages(result)).toEqual([
        'images/base/Dockerfile:3: image "base": ARG BASE_TAG has no default and "base" is a root in images/spec.yml, so the build never sets it: give it a default or drop it',
      ]);
    });

    it('fails a build_arg the Dockerfile does not declare, at its line in spec.yml', () => {
      const result = lint('base', workspace(), stack({ buildArgs: { UPSTREAM_TAG: '2024-03-14', UNUSED: 'x' } }));
      expect(messages(result)).toEqual([
        'images/spec.yml:7: image "base": build_args.UNUSED is not declared in images/base/Dockerfile (no "ARG UNUSED"), so docker build ignores it: declare it or remove it',
      ]);
    });

    it('fails a BASE_TAG build_arg on a child, which the build overrides', () => {
      expect(messages(lint('child', workspace(), stack({}, { buildArgs: { BASE_TAG: 'latest' } })))).toEqual([
        "images/spec.yml:12: image \"child\": build_args.BASE_TAG is set by the build to the parent's tag, which overrides this value: remove it",
      ]);
    });

    it('reads several declarations in one ARG instruction', () => {
      const dockerfile = lines('ARG UPSTREAM_TAG', 'FROM quay.io/x:${UPSTREAM_TAG}', 'ARG A="one two" B=2 C');
      expect(messages(lint('base', workspace({ 'images/base/Dockerfile': dockerfile, 'images/base/scripts/run.sh': undefined })))).toEqual([
        expect.stringContaining('images/base/Dockerfile:3: image "base": ARG C has no default'),
      ]);
    });
  });

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

  (hasPython ? it : it.skip)('reports every file that does not compile, with its line, and writes no bytecode', () => {
    const compile = pythonCompiler('python3', root);
    const errors = compile(['images/x/test/good.py', 'images/x/test/sub/bad.py', 'images/x/test/indent.py']);
    expect(errors).toEqual([
      { file: 'images/x/test/sub/bad.py', line: 3, message: expect.stringMatching(/^SyntaxError: .*\(Python 3\.\d+/) },
      { file: 'images/x/test/indent.py', line: 2, message: expect.stringMatching(/^IndentationError: expected an indented block/) },
    ]);
    expect(nodeFileView(root).list('images/x/test').sort()).toEqual(['good.py', 'indent.py', 'sub']);
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
