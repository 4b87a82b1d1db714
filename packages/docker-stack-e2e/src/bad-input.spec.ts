/**
 * Bad input through the commands CI and users run: `nx affected -t build` and `nx run-many -t build` must fail and
 * name the file, line, image and key (no Docker needed: nothing gets as far as a build). Each case commits its
 * breakage on top of a good generated stack, so `affected` sees it as the change, and is undone afterwards.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { repositoryOf, writeGeneratedStack } from './support/generated-stack';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { nxEnvironment, REPO_ROOT, TempWorkspace } from './support/workspace';

jest.setTimeout(120_000);

describe('bad input fails nx affected -t build and nx run-many -t build, saying where', () => {
  let ws: TempWorkspace;
  let spec: string;

  beforeAll(() => {
    ws = new TempWorkspace('bad-input');
    writeGeneratedStack(ws, { levels: [1, 2, 2] });
    spec = ws.read('images/spec.yml');
    ws.commit('generated stack');
  });

  afterEach(() => {
    ws.git('reset', '-q', '--hard', 'HEAD~1');
    ws.git('clean', '-fdq');
  });

  afterAll(() => ws?.remove());

  /** The line (1-based) of `text` in the generated spec.yml, after `after` when given. */
  function lineOf(text: string, after?: string): number {
    const lines = spec.split('\n');
    return lines.indexOf(text, after === undefined ? 0 : lines.indexOf(after)) + 1;
  }

  /** The generated spec.yml with line `line` (1-based) replaced. */
  function withLine(line: number, text: string): string {
    const lines = spec.split('\n');
    lines[line - 1] = text;
    return lines.join('\n');
  }

  /** Commits the breakage, then checks that both commands fail and print every expected piece. */
  function expectFailure(expected: (string | RegExp)[]): void {
    ws.commit('broken');
    for (const args of [['affected', '-t', 'build', '--base=HEAD~1', '--head=HEAD'], ['run-many', '-t', 'build']]) {
      const result = ws.nx(args);
      expect({ args, status: result.status }).toEqual({ args, status: 1 });
      for (const piece of expected) {
        if (typeof piece === 'string') {
          expect(result.output).toContain(piece);
        } else {
          expect(result.output).toMatch(piece);
        }
      }
    }
  }

  test('a spec in the pre-2023 format: one error saying so, with each old key and its replacement', () => {
    const pre2023 = [
      'images:',
      '  old-base:',
      '    image_name: ucsdets/old-base',
      '    dbuild_env:',
      '      PYTHON39:',
      '        PYTHON_VERSION: python-3.9.5',
      '    manifests: [PY_VER]',
      'plans:',
      '  PYTHON39:',
      "    tag_prefix: '2023.2'",
      'manifests:',
      '  PY_VER:',
      '    description: Python Version',
      '    command: python --version',
      '',
    ].join('\n');
    ws.write('images/spec.yml', pre2023);
    expectFailure([
      'Invalid stack definition (1 problem)',
      'images/spec.yml:8: is in the spec format used before 2023 (old keys: plans, manifests, images.old-base.dbuild_env, images.old-base.manifests)',
      'plans.<plan>.tag_prefix → tag.prefix',
      'manifests (the command list) → all_info_cmds',
      'images.<image>.manifests → images.<image>.info_cmds',
      'images.<image>.dbuild_env → images.<image>.build_args',
      'Nothing was built.',
    ]);
  });

  test('spec problems, all in one run: each with file, line, image and key', () => {
    const broken = spec
      .replace('    depend_on: gen-l1-1', '    depend_on: gen-nope')
      .replace('    depend_on: gen-l1-0', '    depend_on: ""')
      .replace('  STACK_NAME: e2e-gen', '  STACK_NAME: [not, one, value]')
      .replace('command: python --version', 'command: "python\\0 --version"');
    ws.write('images/spec.yml', `${broken}common: 1\n`);
    const shared = lineOf('  STACK_NAME: e2e-gen');
    expectFailure([
      'The stack in images/ does not load',
      `images/spec.yml:${lineOf('    depend_on: gen-l1-1')}: image "gen-l2-1" key "depend_on" names "gen-nope", which is not an image`,
      `images/spec.yml:${lineOf('    depend_on: gen-l1-0')}: image "gen-l2-0" key "depend_on" is empty`,
      // A merged value is reported where it is written, for each image that merges it.
      `images/spec.yml:${shared}: image "gen-l0-0" key "build_args.STACK_NAME" must be a string, number or boolean`,
      `images/spec.yml:${shared}: image "gen-l2-1" key "build_args.STACK_NAME" must be a string, number or boolean`,
      /images\/spec\.yml:\d+: key "common" unknown top-level key .*keep your own data under a key starting with "x-"/,
      /images\/spec\.yml:\d+: key "all_info_cmds\.PY_VER\.command" holds a control character/,
    ]);
  });

  test('an undefined alias', () => {
    ws.write('images/spec.yml', spec.replace('*common-args', '*nowhere'));
    expectFailure([/images\/spec\.yml:\d+: YAML alias \*nowhere is not defined/]);
  });

  test('an alias bomb', () => {
    const levels = ['x-a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 6; level++) {
      const [name, previous] = [String.fromCharCode(97 + level), String.fromCharCode(96 + level)];
      levels.push(`x-${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    ws.write('images/spec.yml', `${spec}${levels.join('\n')}\n`);
    expectFailure([/images\/spec\.yml:\d+: YAML aliases from this line on expand to more than 10000 nodes/]);
  });

  test('a Latin-1 byte, with its line', () => {
    writeFileSync(ws.path('images/spec.yml'), Buffer.from(spec.replace('Python Version', 'Python Versi\u00f3n'), 'latin1'));
    expectFailure([/images\/spec\.yml:\d+: is not valid UTF-8: byte 0xF3/]);
  });

  test('a UTF-16 spec', () => {
    writeFileSync(ws.path('images/spec.yml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(spec, 'utf16le')]));
    expectFailure(['images/spec.yml: is UTF-16']);
  });

  test('a missing spec.yml names the path looked for', () => {
    rmSync(ws.path('images/spec.yml'));
    expectFailure(['images/spec.yml: does not exist']);
  });

  test('a spec.yml that is a directory', () => {
    rmSync(ws.path('images/spec.yml'));
    ws.write('images/spec.yml/keep', '');
    expectFailure(['images/spec.yml: is a directory']);
  });

  test("a typo in the plugin's stackDir", () => {
    ws.write('nx.json', ws.read('nx.json').replace('"stackDir": "images"', '"stackDir": "imagez"'));
    expectFailure(['imagez/spec.yml: does not exist: there is no folder imagez/']);
  });

  test('folder problems, all in one run: a Dockerfile that is a directory, a BuildAll name, a .nxignore line, a symlink', () => {
    rmSync(ws.path('images/gen-l1-0/Dockerfile'));
    ws.write('images/gen-l1-0/Dockerfile/keep', '');
    ws.write('images/spec.yml', spec.replace('images:\n', 'images:\n  tests_common:\n    image_name: 127.0.0.1:5000/e2e-gen/tc\n    depend_on: gen-l0-0\n'));
    ws.write('images/tests_common/Dockerfile', 'ARG BASE_TAG\nFROM 127.0.0.1:5000/e2e-gen/gen-l0-0:${BASE_TAG}\n');
    ws.write('.nxignore', `${ws.read('.nxignore')}images/gen-l2-0*\n`);
    mkdirSync(ws.path('elsewhere'));
    ws.git('mv', 'images/gen-l2-1', 'elsewhere/gen-l2-1');
    symlinkSync('../elsewhere/gen-l2-1', ws.path('images/gen-l2-1'));
    expectFailure([
      'images/gen-l1-0/Dockerfile: image "gen-l1-0" is a directory',
      'images/tests_common: image "tests_common" is named like the BuildAll entry "tests_common"',
      /\.nxignore:\d+: image "gen-l2-0" "images\/gen-l2-0\*" hides the image folder images\/gen-l2-0\//,
      'images/gen-l2-1: image "gen-l2-1" is a symbolic link',
    ]);
  });

  test('an image hidden by the workspace .gitignore fails nx affected, nx run-many and the main job, naming the line', () => {
    ws.write('.gitignore', `${ws.read('.gitignore')}images/gen-l1-1/\n`);
    const line = ws.read('.gitignore').split('\n').indexOf('images/gen-l1-1/') + 1;
    const message = `.gitignore:${line}: image "gen-l1-1" "images/gen-l1-1/" hides the image folder images/gen-l1-1/ from Nx, so the image would be no project`;
    expectFailure([message]);
    const job = spawnSync('bash', [join(REPO_ROOT, 'tools/ci/main-job.sh')], {
      cwd: ws.root,
      encoding: 'utf8',
      env: nxEnvironment({ GITHUB_EVENT_NAME: 'push', GITHUB_REF_NAME: 'feature', NX_BASE: 'HEAD~1', NX_HEAD: 'HEAD', PUSH: 'false' }),
    });
    expect(job.status).not.toBe(0);
    expect(`${job.stdout}\n${job.stderr}`).toContain(message);
  });

  test('nx show projects still lists the stack project, and prints the problems without the daemon', () => {
    ws.write('images/spec.yml', spec.replace('    depend_on: gen-l1-1', '    depend_on: gen-nope'));
    ws.commit('broken');
    const result = ws.nx(['show', 'projects']);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual(['stack']);
    expect(result.output).toContain('image "gen-l2-1" key "depend_on" names "gen-nope"');
  });

  test('a cycle is printed as a -> b -> a', () => {
    // gen-l1-0 on gen-l2-0, which is built on gen-l1-0.
    ws.write('images/spec.yml', withLine(lineOf('    depend_on: gen-l0-0', '  gen-l1-0:'), '    depend_on: gen-l2-0'));
    expectFailure([
      'The stack in images/ does not load',
      /images\/spec\.yml:\d+: image "gen-l[12]-0" key "depend_on" is part of a cycle: (gen-l1-0 -> gen-l2-0 -> gen-l1-0|gen-l2-0 -> gen-l1-0 -> gen-l2-0)/,
    ]);
  });

  test('a folder with a Dockerfile but no spec entry names the Dockerfile and the folder', () => {
    ws.write('images/stray/Dockerfile', 'FROM busybox:1.36\n');
    expectFailure(['The stack in images/ does not load', 'images/stray/Dockerfile: image "stray" has a Dockerfile but no entry under "images" in images/spec.yml']);
  });

  test('a YAML syntax error gives its line number', () => {
    const line = lineOf('    depend_on: gen-l0-0', '  gen-l1-0:');
    ws.write('images/spec.yml', withLine(line, '   depend_on: gen-l0-0')); // one space short
    expectFailure(['The stack in images/ does not load', new RegExp(`images/spec\\.yml:${line}: YAML syntax error: `)]);
  });

  test("a warning, not a failure, when a child's Dockerfile does not use FROM <parent>:${BASE_TAG}", () => {
    ws.write('images/gen-l2-0/Dockerfile', `FROM ${repositoryOf('gen-l1-0')}:latest\nCOPY gen-l2-0.txt /opt/stack/\n`);
    ws.commit('a child not built on its parent tag');
    const result = ws.nxOk(['show', 'projects']);
    expect(result.stdout.split('\n').filter(Boolean).sort()).toEqual(['gen-l0-0', 'gen-l1-0', 'gen-l1-1', 'gen-l2-0', 'gen-l2-1', 'stack']);
    expect(result.output).toContain(
      `images/gen-l2-0/Dockerfile: image "gen-l2-0" should start with "ARG BASE_TAG" and "FROM ${repositoryOf('gen-l1-0')}:\${BASE_TAG}"`,
    );
    expect(result.output).not.toContain('gen-l2-1/Dockerfile');
  });
});
