import { parseStack, type StackFolder, type StackSources } from './parse-stack';
import { DEFAULT_BUILD_ALL } from './spec';
import { StackSpecError } from './spec-error';

const SPEC_FILE = 'images/spec.yml';

/** A child's Dockerfile that builds on its parent the way the tooling expects. */
const childDockerfile = (parentImageName: string) => `ARG BASE_TAG\nFROM ${parentImageName}:\${BASE_TAG}\nRUN echo child\n`;
const ROOT_DOCKERFILE = 'FROM quay.io/jupyter/datascience-notebook:2025-10-20\n';

const VALID_SPEC = `root: base
images:
  base:
    image_name: ghcr.io/org/base
    build_args:
      PYTHON_VERSION: python-3.11.8
      PY_VER_SHORT: 3.11
      WORKERS: 4
      DEBUG: true
    info_cmds: [PY_VER, PIP_LIST]
  child:
    image_name: ghcr.io/org/child
    depend_on: base
    integration_tests: true
    prune: true
    info_cmds: [PY_VER]
  grandchild:
    image_name: ghcr.io/org/grandchild
    depend_on: child
    prepull: false
tag:
  prefix: "2026.3"
all_info_cmds:
  PY_VER:
    description: Python Version
    command: python --version
  PIP_LIST:
    command: pip list
`;

const VALID_FOLDERS: [string, StackFolder][] = [
  ['base', { dockerfile: ROOT_DOCKERFILE }],
  ['child', { dockerfile: childDockerfile('ghcr.io/org/base') }],
  ['grandchild', { dockerfile: childDockerfile('ghcr.io/org/child') }],
  ['tests_common', {}],
];

function sources(specText: string, folders: [string, StackFolder][] = VALID_FOLDERS, changeIgnoreText?: string): StackSources {
  return { stackDir: 'images', specText, changeIgnoreText, folders: new Map(folders) };
}

/** A minimal valid spec: one root `base`, with the given extra lines under `images:` and the given `tag:` block. */
function specWith({ images = '', tag = '  prefix: "2026.3"', extra = '' }: { images?: string; tag?: string; extra?: string }): string {
  return `images:\n  base:\n    image_name: ghcr.io/org/base\n${images}tag:\n${tag}\n${extra}`;
}

/** Folders with a Dockerfile for each name (`base` is a root; others build on ghcr.io/org/base). */
const foldersFor = (...names: string[]): [string, StackFolder][] =>
  names.map((name) => [name, { dockerfile: name === 'base' ? ROOT_DOCKERFILE : childDockerfile('ghcr.io/org/base') }]);

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) {
    throw new Error(`"${needle}" is not in the text`);
  }
  return index + 1;
}

function specError(input: StackSources): StackSpecError {
  try {
    parseStack(input);
  } catch (error) {
    expect(error).toBeInstanceOf(StackSpecError);
    return error as StackSpecError;
  }
  throw new Error('expected parseStack to throw a StackSpecError');
}

describe('parseStack', () => {
  describe('a valid spec', () => {
    const { spec, warnings } = parseStack(sources(VALID_SPEC));

    it('keeps the stack folder, roots and images in spec order', () => {
      expect(spec.stackDir).toBe('images');
      expect(spec.roots).toEqual(['base']);
      expect(spec.images.map((image) => image.name)).toEqual(['base', 'child', 'grandchild']);
      expect(spec.images.map((image) => image.dependOn)).toEqual([undefined, 'base', 'child']);
      expect(spec.tagPrefix).toBe('2026.3');
    });

    it('reads every image setting', () => {
      expect(spec.images[1]).toEqual({
        name: 'child',
        imageName: 'ghcr.io/org/child',
        dependOn: 'base',
        buildArgs: {},
        infoCmds: ['PY_VER'],
        integrationTests: true,
        prune: true,
        prepull: true,
      });
    });

    it('defaults prepull to true, prune and integration_tests to false', () => {
      const [base, , grandchild] = spec.images;
      expect(base).toMatchObject({ prepull: true, prune: false, integrationTests: false, infoCmds: ['PY_VER', 'PIP_LIST'] });
      expect(grandchild).toMatchObject({ prepull: false, prune: false, integrationTests: false, infoCmds: [], buildArgs: {} });
    });

    it('coerces scalar build args to strings', () => {
      expect(spec.images[0].buildArgs).toEqual({
        PYTHON_VERSION: 'python-3.11.8',
        PY_VER_SHORT: '3.11',
        WORKERS: '4',
        DEBUG: 'true',
      });
    });

    it('reads info commands, defaulting the description to the key', () => {
      expect(spec.infoCommands).toEqual({
        PY_VER: { description: 'Python Version', command: 'python --version' },
        PIP_LIST: { description: 'PIP_LIST', command: 'pip list' },
      });
    });

    it('uses the default BuildAll and no ChangeIgnore when change_ignore.json is absent', () => {
      expect(spec.changeIgnore).toEqual([]);
      expect(spec.buildAll).toEqual(DEFAULT_BUILD_ALL);
      expect(spec.buildAll).toEqual(['tests_common', 'spec.yml', 'change_ignore.json', 'conftest.py']);
    });

    it('gives no warnings when children build FROM <parent>:${BASE_TAG}', () => {
      expect(warnings).toEqual([]);
    });

    it('ignores folders without a Dockerfile that are not images (tests_common)', () => {
      expect(spec.images.some((image) => image.name === 'tests_common')).toBe(false);
    });
  });

  describe('root', () => {
    it('accepts a list of roots', () => {
      const text = `root: [base, other]\n${specWith({ images: '  other:\n    image_name: ghcr.io/org/other\n' })}`;
      const { spec } = parseStack(sources(text, foldersFor('base', 'other')));
      expect(spec.roots).toEqual(['base', 'other']);
    });

    it('defaults to the images without depend_on', () => {
      const text = specWith({ images: '  other:\n    image_name: ghcr.io/org/other\n' });
      expect(parseStack(sources(text, foldersFor('base', 'other'))).spec.roots).toEqual(['base', 'other']);
    });

    it('rejects a parentless image not listed as a root', () => {
      const text = `root: base\n${specWith({ images: '  other:\n    image_name: ghcr.io/org/other\n' })}`;
      const error = specError(sources(text, foldersFor('base', 'other')));
      expect(error.problems).toEqual([expect.objectContaining({ file: SPEC_FILE, image: 'other', key: 'depend_on' })]);
    });

    it('rejects a root that is not an image', () => {
      const text = `root: [base, missing]\n${specWith({})}`;
      const error = specError(sources(text, foldersFor('base')));
      expect(error.message).toContain(`${SPEC_FILE}:1: key "root" "missing" is not an image in "images"`);
    });
  });

  describe('change_ignore.json', () => {
    it('reads ChangeIgnore and BuildAll', () => {
      const text = JSON.stringify({ ChangeIgnore: ['README.md', 'docs'], BuildAll: ['tests_common', 'spec.yml'] });
      const { spec } = parseStack(sources(VALID_SPEC, VALID_FOLDERS, text));
      expect(spec.changeIgnore).toEqual(['README.md', 'docs']);
      expect(spec.buildAll).toEqual(['tests_common', 'spec.yml']);
    });

    it('defaults a missing BuildAll', () => {
      const { spec } = parseStack(sources(VALID_SPEC, VALID_FOLDERS, '{"ChangeIgnore": ["docs"]}'));
      expect(spec.buildAll).toEqual(DEFAULT_BUILD_ALL);
    });

    it('rejects invalid JSON, naming the file', () => {
      const error = specError(sources(VALID_SPEC, VALID_FOLDERS, '{"BuildAll": ['));
      expect(error.problems).toEqual([expect.objectContaining({ file: 'images/change_ignore.json' })]);
      expect(error.message).toContain('images/change_ignore.json: is not valid JSON');
    });

    it('rejects entries with slashes, naming the file and the key', () => {
      const text = JSON.stringify({ ChangeIgnore: ['base/README.md'], BuildAll: ['tests_common\\x'] });
      const error = specError(sources(VALID_SPEC, VALID_FOLDERS, text));
      expect(error.problems).toEqual([
        expect.objectContaining({ file: 'images/change_ignore.json', key: 'ChangeIgnore' }),
        expect.objectContaining({ file: 'images/change_ignore.json', key: 'BuildAll' }),
      ]);
      expect(error.message).toContain('images/change_ignore.json: key "ChangeIgnore" must be a list of names directly under images/ (no slashes)');
    });

    it('rejects a top level that is not an object, and misspelled keys', () => {
      expect(specError(sources(VALID_SPEC, VALID_FOLDERS, '[]')).message).toContain(
        'images/change_ignore.json: must be a JSON object with "ChangeIgnore" and "BuildAll" lists',
      );
      expect(specError(sources(VALID_SPEC, VALID_FOLDERS, '{"BuildALL": []}')).message).toContain(
        'images/change_ignore.json: key "BuildALL" is not a known key (expected ChangeIgnore and BuildAll)',
      );
    });

    it('refuses to ignore an image folder or a BuildAll entry', () => {
      const error = specError(sources(VALID_SPEC, VALID_FOLDERS, JSON.stringify({ ChangeIgnore: ['spec.yml'] })));
      expect(error.message).toContain('"spec.yml" is an image folder, spec.yml or a BuildAll entry; it cannot be ignored');
    });

    it('rejects a non-list and non-string entries', () => {
      const error = specError(sources(VALID_SPEC, VALID_FOLDERS, JSON.stringify({ ChangeIgnore: 'docs', BuildAll: [1] })));
      expect(error.problems.map((problem) => problem.key)).toEqual(['ChangeIgnore', 'BuildAll']);
    });
  });

  describe('errors', () => {
    it('reports a YAML syntax error with its line number', () => {
      const text = 'images:\n  base:\n    image_name: ghcr.io/org/base\n    info_cmds: [PY_VER\ntag:\n  prefix: "2026.3"\n';
      const error = specError(sources(text, foldersFor('base')));
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0].file).toBe(SPEC_FILE);
      expect(error.problems[0].message).toMatch(/^YAML syntax error: /);
      // The unclosed flow sequence starts on line 4; the parser may notice it there or on a following line.
      expect(error.problems[0].line).toBeGreaterThanOrEqual(4);
      expect(error.message).toMatch(/images\/spec\.yml:\d+: YAML syntax error/);
    });

    it('reports a duplicate YAML key with its line number', () => {
      const text = 'images:\n  base:\n    image_name: ghcr.io/org/base\n    prune: true\n    prune: false\ntag:\n  prefix: "2026.3"\n';
      const error = specError(sources(text, foldersFor('base')));
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatchObject({ file: SPEC_FILE, line: 5 });
      expect(error.message).toContain(`${SPEC_FILE}:5: YAML syntax error: Map keys must be unique`);
    });

    it('rejects a spec that is not a mapping', () => {
      const error = specError(sources('- base\n- child\n', foldersFor('base')));
      expect(error.message).toContain(`${SPEC_FILE}: must be a YAML mapping`);
    });

    it('reports a depend_on naming an unknown image', () => {
      const text = specWith({ images: '  child:\n    image_name: ghcr.io/org/child\n    depend_on: bsae\n' });
      const error = specError(sources(text, foldersFor('base', 'child')));
      expect(error.problems).toEqual([
        { file: SPEC_FILE, image: 'child', key: 'depend_on', line: lineOf(text, 'depend_on'), message: 'names "bsae", which is not an image in "images"' },
      ]);
      expect(error.message).toContain(`${SPEC_FILE}:${lineOf(text, 'depend_on')}: image "child" key "depend_on" names "bsae"`);
    });

    it('reports a cycle once, printing its path', () => {
      const text = specWith({
        images: '  a:\n    image_name: ghcr.io/org/a\n    depend_on: b\n  b:\n    image_name: ghcr.io/org/b\n    depend_on: a\n',
      });
      const error = specError(sources(text, foldersFor('base', 'a', 'b')));
      const cycles = error.problems.filter((problem) => problem.message.includes('cycle'));
      expect(cycles).toHaveLength(1);
      expect(cycles[0]).toMatchObject({ file: SPEC_FILE, image: 'a', key: 'depend_on' });
      expect(cycles[0].message).toBe('is part of a cycle: a -> b -> a');
      expect(error.message).toContain('a -> b -> a');
    });

    it('reports an image that depends on itself', () => {
      const text = specWith({ images: '  a:\n    image_name: ghcr.io/org/a\n    depend_on: a\n' });
      const error = specError(sources(text, foldersFor('base', 'a')));
      expect(error.message).toContain('is part of a cycle: a -> a');
    });

    it('reports a spec entry without a folder', () => {
      const text = specWith({ images: '  child:\n    image_name: ghcr.io/org/child\n    depend_on: base\n' });
      const error = specError(sources(text, foldersFor('base')));
      expect(error.problems).toEqual([{ file: SPEC_FILE, image: 'child', message: 'has no folder images/child/' }]);
      expect(error.message).toContain(`${SPEC_FILE}: image "child" has no folder images/child/`);
    });

    it('reports an image folder without a Dockerfile, naming the Dockerfile', () => {
      const text = specWith({ images: '  child:\n    image_name: ghcr.io/org/child\n    depend_on: base\n' });
      const error = specError(sources(text, [...foldersFor('base'), ['child', {}]]));
      expect(error.problems).toEqual([
        { file: 'images/child/Dockerfile', image: 'child', message: 'is missing: every image folder needs a Dockerfile' },
      ]);
      expect(error.message).toContain('images/child/Dockerfile: image "child" is missing');
    });

    it('reports a folder with a Dockerfile but no spec entry', () => {
      const error = specError(sources(specWith({}), foldersFor('base', 'stray')));
      expect(error.problems).toEqual([expect.objectContaining({ file: 'images/stray/Dockerfile', image: 'stray' })]);
      expect(error.message).toContain('images/stray/Dockerfile: image "stray" has a Dockerfile but no entry under "images" in images/spec.yml');
    });

    it('reports a duplicate image_name, naming both images', () => {
      const text = specWith({ images: '  child:\n    image_name: ghcr.io/org/base\n    depend_on: base\n' });
      const error = specError(sources(text, foldersFor('base', 'child')));
      expect(error.problems).toEqual([
        {
          file: SPEC_FILE,
          image: 'child',
          key: 'image_name',
          line: lineOf(text, '  child:') + 1,
          message: '"ghcr.io/org/base" is also the image_name of "base"',
        },
      ]);
    });

    describe('invalid names', () => {
      it('rejects an uppercase image_name', () => {
        const text = specWith({ images: '  child:\n    image_name: ghcr.io/Org/Child\n    depend_on: base\n' });
        const error = specError(sources(text, foldersFor('base', 'child')));
        expect(error.problems).toEqual([
          expect.objectContaining({ file: SPEC_FILE, image: 'child', key: 'image_name', line: lineOf(text, 'ghcr.io/Org/Child') }),
        ]);
        expect(error.message).toContain('"ghcr.io/Org/Child" is not a valid Docker repository name');
      });

      it('rejects an image_name with a tag', () => {
        const text = specWith({ images: '  child:\n    image_name: ghcr.io/org/child:latest\n    depend_on: base\n' });
        const error = specError(sources(text, foldersFor('base', 'child')));
        expect(error.problems).toEqual([expect.objectContaining({ image: 'child', key: 'image_name' })]);
        expect(error.message).toContain('"ghcr.io/org/child:latest" is not a valid Docker repository name');
      });

      it('rejects a missing image_name', () => {
        const text = specWith({ images: '  child:\n    depend_on: base\n' });
        const error = specError(sources(text, foldersFor('base', 'child')));
        expect(error.problems).toEqual([expect.objectContaining({ image: 'child', key: 'image_name', line: lineOf(text, 'child:') })]);
        expect(error.message).toContain('image "child" key "image_name" is missing');
      });

      it('rejects an invalid folder key', () => {
        const text = specWith({ images: '  My_Image:\n    image_name: ghcr.io/org/my-image\n    depend_on: base\n' });
        const error = specError(sources(text, foldersFor('base', 'My_Image')));
        expect(error.problems).toEqual([expect.objectContaining({ file: SPEC_FILE, image: 'My_Image', line: lineOf(text, 'My_Image') })]);
        expect(error.message).toContain('image "My_Image" is not a valid image name');
      });
    });

    it('reports an info_cmds key missing from all_info_cmds, with its line', () => {
      const text = specWith({
        images: '    info_cmds:\n      - PY_VER\n      - CUDA_VERSION\n',
        extra: 'all_info_cmds:\n  PY_VER:\n    command: python --version\n',
      });
      const error = specError(sources(text, foldersFor('base')));
      expect(error.problems).toEqual([
        {
          file: SPEC_FILE,
          image: 'base',
          key: 'info_cmds',
          line: lineOf(text, '- CUDA_VERSION'),
          message: '"CUDA_VERSION" is not defined in all_info_cmds',
        },
      ]);
    });

    it('rejects an all_info_cmds entry without a command', () => {
      const text = specWith({ extra: 'all_info_cmds:\n  PY_VER:\n    description: Python\n' });
      const error = specError(sources(text, foldersFor('base')));
      expect(error.problems).toEqual([expect.objectContaining({ key: 'all_info_cmds.PY_VER', line: lineOf(text, 'PY_VER') })]);
    });

    it.each([
      ['a list', '      PACKAGES: [numpy, scipy]\n'],
      ['a map', '      PACKAGES:\n        numpy: 1.26\n'],
    ])('rejects a build arg that is %s', (_what, value) => {
      const text = specWith({ images: `    build_args:\n${value}` });
      const error = specError(sources(text, foldersFor('base')));
      expect(error.problems).toEqual([
        expect.objectContaining({ file: SPEC_FILE, image: 'base', key: 'build_args.PACKAGES', line: lineOf(text, 'PACKAGES') }),
      ]);
      expect(error.message).toContain('image "base" key "build_args.PACKAGES" must be a string, number or boolean');
    });

    it('rejects BASE_TAG in build_args', () => {
      const text = specWith({ images: '    build_args:\n      BASE_TAG: latest\n' });
      const error = specError(sources(text, foldersFor('base')));
      expect(error.problems).toEqual([
        expect.objectContaining({ image: 'base', key: 'build_args.BASE_TAG', line: lineOf(text, 'BASE_TAG') }),
      ]);
      expect(error.message).toContain('remove it from build_args');
    });

    it('rejects a non-boolean flag', () => {
      const text = specWith({ images: '    prune: "yes"\n' });
      const error = specError(sources(text, foldersFor('base')));
      expect(error.problems).toEqual([expect.objectContaining({ image: 'base', key: 'prune', line: lineOf(text, 'prune') })]);
    });

    describe('tag.prefix', () => {
      it('is required', () => {
        const text = 'images:\n  base:\n    image_name: ghcr.io/org/base\n';
        const error = specError(sources(text, foldersFor('base')));
        expect(error.problems).toEqual([expect.objectContaining({ file: SPEC_FILE, key: 'tag.prefix' })]);
        expect(error.message).toContain('key "tag.prefix" is missing');
      });

      it('must be quoted, not a YAML number', () => {
        const text = specWith({ tag: '  prefix: 2026.3' });
        const error = specError(sources(text, foldersFor('base')));
        expect(error.problems).toEqual([expect.objectContaining({ key: 'tag.prefix', line: lineOf(text, 'prefix') })]);
        expect(error.message).toContain(`${SPEC_FILE}:${lineOf(text, 'prefix')}: key "tag.prefix" must be a quoted string`);
        expect(error.message).toContain('a number');
      });

      it.each(['2026-3', '26.3', '2026.', 'v2026.3', '2026.3.1'])('rejects the malformed prefix "%s"', (prefix) => {
        const text = specWith({ tag: `  prefix: "${prefix}"` });
        const error = specError(sources(text, foldersFor('base')));
        expect(error.problems).toEqual([expect.objectContaining({ key: 'tag.prefix', line: lineOf(text, 'prefix') })]);
        expect(error.message).toContain(`"${prefix}" is malformed`);
      });
    });

    it('reports an unknown image key (depends_on) with its line', () => {
      const text = specWith({ images: '  child:\n    image_name: ghcr.io/org/child\n    depends_on: base\n' });
      const error = specError(sources(text, foldersFor('base', 'child')));
      const unknown = error.problems.find((problem) => problem.key === 'depends_on');
      expect(unknown).toEqual({
        file: SPEC_FILE,
        image: 'child',
        key: 'depends_on',
        line: lineOf(text, 'depends_on'),
        message: expect.stringContaining('unknown key (expected one of image_name, depend_on,'),
      });
      expect(error.message).toContain(`${SPEC_FILE}:${lineOf(text, 'depends_on')}: image "child" key "depends_on" unknown key`);
    });

    it('reports an unknown top-level key with its line', () => {
      const text = specWith({ extra: 'tags:\n  prefix: "2026.4"\n' });
      const error = specError(sources(text, foldersFor('base')));
      expect(error.problems).toEqual([expect.objectContaining({ key: 'tags', line: lineOf(text, 'tags:') })]);
    });

    it('reports several problems together', () => {
      const text =
        'images:\n' +
        '  base:\n' +
        '    image_name: ghcr.io/org/base\n' +
        '    build_args:\n' +
        '      BASE_TAG: x\n' +
        '  child:\n' +
        '    image_name: ghcr.io/org/child\n' +
        '    depend_on: nothere\n';
      const error = specError(sources(text, foldersFor('base', 'child', 'stray')));
      expect(error.problems.map((problem) => [problem.file, problem.image, problem.key])).toEqual([
        [SPEC_FILE, undefined, 'tag.prefix'],
        [SPEC_FILE, 'base', 'build_args.BASE_TAG'],
        [SPEC_FILE, 'child', 'depend_on'],
        ['images/stray/Dockerfile', 'stray', undefined],
      ]);
      expect(error.message).toMatch(/^Invalid stack definition \(4 problems\):\n/);
      expect(error.message.split('\n')).toHaveLength(5);
    });
  });

  describe('warnings', () => {
    const text = specWith({ images: '  child:\n    image_name: ghcr.io/org/child\n    depend_on: base\n' });

    it('warns about a child that does not build FROM <parent image_name>:${BASE_TAG}, naming the Dockerfile and image', () => {
      const { warnings } = parseStack(sources(text, [...foldersFor('base'), ['child', { dockerfile: 'FROM ghcr.io/org/base:latest\n' }]]));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('images/child/Dockerfile');
      expect(warnings[0]).toContain('image "child"');
      expect(warnings[0]).toContain('FROM ghcr.io/org/base:${BASE_TAG}');
    });

    it('warns when the child uses the parent folder name instead of its image_name', () => {
      const { warnings } = parseStack(sources(text, [...foldersFor('base'), ['child', { dockerfile: 'ARG BASE_TAG\nFROM base:${BASE_TAG}\n' }]]));
      expect(warnings).toHaveLength(1);
    });

    it('does not warn when the child builds FROM <parent image_name>:${BASE_TAG}', () => {
      expect(parseStack(sources(text, foldersFor('base', 'child'))).warnings).toEqual([]);
    });

    it('does not warn about roots', () => {
      expect(parseStack(sources(specWith({}), [['base', { dockerfile: 'FROM ubuntu:22.04\n' }]])).warnings).toEqual([]);
    });
  });
});
