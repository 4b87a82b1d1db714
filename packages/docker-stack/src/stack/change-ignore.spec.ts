import { DEFAULT_BUILD_ALL } from './model';
import { parseStack } from './parse';
import { sources, specError, VALID_FOLDERS, VALID_SPEC } from './parse.fixtures';

describe('parseStack: change_ignore.json', () => {
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
