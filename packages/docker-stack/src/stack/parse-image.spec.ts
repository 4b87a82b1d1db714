import { foldersFor, lineOf, sources, specError, specWith, SPEC_FILE } from './parse.fixtures';

describe('parseStack: image entries', () => {
  describe('errors', () => {
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

  });
});
