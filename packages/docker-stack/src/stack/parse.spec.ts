import { DEFAULT_BUILD_ALL, type StackSpec } from './model';
import { parseStack } from './parse';
import { foldersFor, lineOf, sources, specError, specWith, SPEC_FILE, VALID_SPEC } from './parse.fixtures';

/** The images without a parent: what `root` names (the model keeps no separate list). */
const rootsOf = (spec: StackSpec) => spec.images.filter((image) => !image.dependOn).map((image) => image.name);

describe('parseStack', () => {
  describe('a valid spec', () => {
    const { spec, warnings } = parseStack(sources(VALID_SPEC));

    it('keeps the stack folder, roots and images in spec order', () => {
      expect(spec.stackDir).toBe('images');
      expect(rootsOf(spec)).toEqual(['base']);
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
        platforms: [],
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
      expect(rootsOf(spec)).toEqual(['base', 'other']);
    });

    it('defaults to the images without depend_on', () => {
      const text = specWith({ images: '  other:\n    image_name: ghcr.io/org/other\n' });
      expect(rootsOf(parseStack(sources(text, foldersFor('base', 'other'))).spec)).toEqual(['base', 'other']);
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
});
