import { formatProblem } from './errors';
import { readStack } from './load';
import { parseStack } from './parse';
import { foldersFor, lineOf, sources, specError, specWith } from './parse.fixtures';
import { decodeSpecText } from './spec-text';
import type { FileView } from './files';

/** A spec in the former pipeline's style: a shared `x-` block merged into each image's build_args. */
const FORMER = `x-common: &common
  PYTHON_VERSION: python-3.11.8
  SHARED: from-common
x-notes: anything the user keeps here
root: base
images:
  base:
    image_name: ghcr.io/org/base
    prepull: no
    integration_tests: yes
    prune: off
    build_args:
      <<: *common
      SHARED: own
      GEN_CERT: yes
      JUPYTER_BASE_TAG: 2024-03-14
  child:
    image_name: ghcr.io/org/child
    depend_on: base
    build_args: {<<: [*common, {SHARED: second, EXTRA: x}], OWN: 1}
tag:
  prefix: "2026.3"
`;

const messages = (text: string, folders = foldersFor('base', 'child')) =>
  specError(sources(text, folders)).problems.map(formatProblem);

describe('spec.yml as YAML 1.1 (the former pipeline\'s loader)', () => {
  const { spec, specLine } = parseStack(sources(FORMER, foldersFor('base', 'child')));
  const [base, child] = spec.images;

  it('merges << keys: the mapping\'s own keys win, and in a list the earlier map wins', () => {
    expect(base.buildArgs).toEqual({ PYTHON_VERSION: 'python-3.11.8', SHARED: 'own', GEN_CERT: 'yes', JUPYTER_BASE_TAG: '2024-03-14' });
    expect(child.buildArgs).toEqual({ PYTHON_VERSION: 'python-3.11.8', SHARED: 'from-common', EXTRA: 'x', OWN: '1' });
  });

  it('reads yes/no/on/off as booleans, as PyYAML does', () => {
    expect(base).toMatchObject({ prepull: false, integrationTests: true, prune: false });
  });

  it('ignores top-level x- keys', () => {
    expect(spec.images.map((image) => image.name)).toEqual(['base', 'child']);
  });

  it('gives a merged key the line where it is written, an own key its own line', () => {
    expect(specLine(['images', 'base', 'build_args', 'PYTHON_VERSION'])).toBe(lineOf(FORMER, 'PYTHON_VERSION: python'));
    expect(specLine(['images', 'base', 'build_args', 'SHARED'])).toBe(lineOf(FORMER, 'SHARED: own'));
    expect(specLine(['images', 'child', 'build_args', 'EXTRA'])).toBe(lineOf(FORMER, 'EXTRA: x'));
  });

  it('reports a bad merged value at the line of the shared block, naming the image', () => {
    const text = FORMER.replace('SHARED: from-common', 'SHARED: [a, b]');
    expect(messages(text)).toContain(
      `images/spec.yml:${lineOf(text, 'SHARED: [a, b]')}: image "child" key "build_args.SHARED" must be a string, number or boolean (a build arg is one value)`,
    );
  });

  it('still refuses other unknown top-level keys, pointing at x- keys', () => {
    expect(messages(specWith({ extra: 'common: 1\n' }), foldersFor('base'))[0]).toMatch(
      /^images\/spec\.yml:\d+: key "common" unknown top-level key \(expected one of root, images, tag, all_info_cmds, platforms; keep your own data under a key starting with "x-"\)$/,
    );
  });

  it('does not read y and n as booleans (PyYAML does not)', () => {
    expect(messages(specWith({ images: '    prepull: n\n' }), foldersFor('base'))).toEqual([
      'images/spec.yml:4: image "base" key "prepull" must be true or false, not "n"',
    ]);
  });

  it('names the line of an undefined alias', () => {
    const text = specWith({ images: '    build_args: *nowhere\n' });
    expect(messages(text, foldersFor('base'))).toEqual([
      `images/spec.yml:${lineOf(text, '*nowhere')}: YAML alias *nowhere is not defined: define the anchor &nowhere before this line`,
    ]);
  });

  it('names the line of an undefined alias in a merge key, and of a merge of a non-mapping', () => {
    const text = specWith({ images: '    build_args:\n      <<: *nowhere\n' });
    expect(messages(text, foldersFor('base'))).toEqual([
      `images/spec.yml:${lineOf(text, '*nowhere')}: YAML alias *nowhere is not defined: define the anchor &nowhere before this line`,
    ]);
    const scalar = specWith({ images: '    build_args:\n      <<: [1]\n' });
    expect(messages(scalar, foldersFor('base'))).toEqual([
      `images/spec.yml:${lineOf(scalar, '<<')}: a << merge key takes a mapping, an alias of one, or a list of those`,
    ]);
  });

  it('names the line where an alias bomb starts', () => {
    const levels = ['x-a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 6; level++) {
      const previous = String.fromCharCode(96 + level);
      levels.push(`x-${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const text = specWith({ extra: `${levels.join('\n')}\n` });
    expect(messages(text, foldersFor('base'))).toEqual([
      `images/spec.yml:${lineOf(text, '*a')}: YAML aliases from this line on expand to more than 10000 nodes, the limit that guards against an alias bomb: use fewer nested aliases`,
    ]);
  });

  it('says that an empty depend_on is empty', () => {
    const text = specWith({ images: '  child:\n    image_name: ghcr.io/org/child\n    depend_on: ""\n' });
    expect(messages(text)).toContain(
      `images/spec.yml:${lineOf(text, 'depend_on')}: image "child" key "depend_on" is empty: name the parent image, or remove depend_on for a root`,
    );
  });

  it('refuses a control character written as an escape, with its line', () => {
    const text = specWith({ images: '    build_args: {A: "x\\0y"}\n' });
    expect(messages(text, foldersFor('base'))).toEqual([
      `images/spec.yml:${lineOf(text, 'build_args')}: image "base" key "build_args.A" holds a control character (such as NUL): remove it`,
    ]);
  });
});

describe('decodeSpecText', () => {
  const problem = (bytes: number[] | string) => {
    const decoded = decodeSpecText('images/spec.yml', typeof bytes === 'string' ? Buffer.from(bytes) : Uint8Array.from(bytes));
    return 'problem' in decoded ? formatProblem(decoded.problem) : decoded.text;
  };

  it('accepts UTF-8', () => expect(problem('a: é\n')).toBe('a: é\n'));
  it('names UTF-16', () => expect(problem([0xff, 0xfe, 0x61, 0])).toMatch(/^images\/spec\.yml: is UTF-16 .*save it as UTF-8$/));
  it('names a binary file and its line', () =>
    expect(problem([0x61, 0x0a, 0x62, 0, 0, 0x63])).toBe('images/spec.yml:2: is not text (it holds NUL bytes: a binary or UTF-16 file): save it as UTF-8'));
  it('names a Latin-1 byte and its line', () =>
    expect(problem([0x61, 0x0a, 0x62, 0x3a, 0x20, 0xe9, 0x0a])).toBe(
      'images/spec.yml:2: is not valid UTF-8: byte 0xE9 (Latin-1 "é"?) is not a UTF-8 character: save the file as UTF-8',
    ));
  it('names the bad byte after valid UTF-8 on the same line', () =>
    expect(problem([...Buffer.from('a: \u00e9 '), 0xe9, 0x0a])).toBe(
      'images/spec.yml:1: is not valid UTF-8: byte 0xE9 (Latin-1 "é"?) is not a UTF-8 character: save the file as UTF-8',
    ));
  it('names a raw control character and its line', () =>
    expect(problem('a: 1\nb: x\u0000y\n')).toBe('images/spec.yml:2: holds the control character U+0000, which YAML does not allow in a file: remove it'));
});

describe('readStack: what is on disk', () => {
  const view = (files: Record<string, string>, extra: Partial<FileView> = {}): FileView => ({
    kind: (path) => (path in files ? 'file' : Object.keys(files).some((file) => file.startsWith(`${path}/`)) ? 'directory' : undefined),
    list: (path) => [...new Set(Object.keys(files).filter((file) => file.startsWith(`${path}/`)).map((file) => file.slice(path.length + 1).split('/')[0]))],
    read: (path) => files[path],
    readBytes: (path) => (path in files ? Buffer.from(files[path]) : undefined),
    isLink: () => false,
    ...extra,
  });
  const error = (files: FileView, stackDir = 'images') => {
    try {
      readStack(files, stackDir);
    } catch (thrown) {
      return (thrown as Error).message.split('\n').slice(1).map((line) => line.trim());
    }
    throw new Error('expected an error');
  };
  const base = { 'images/spec.yml': specWith({}), 'images/base/Dockerfile': 'FROM busybox\n' };

  it('names the spec path when the stack folder is missing', () =>
    expect(error(view(base), 'imagez')).toEqual([
      '- imagez/spec.yml: does not exist: there is no folder imagez/ (check the plugin\'s "stackDir" option in nx.json)',
    ]));
  it('names the spec path when it is missing', () =>
    expect(error(view({ 'images/base/Dockerfile': 'FROM busybox\n' }))).toEqual(['- images/spec.yml: does not exist: every stack folder needs one']));
  it('refuses a spec.yml that is a directory', () =>
    expect(error(view({ 'images/spec.yml/x': '' }))).toEqual(['- images/spec.yml: is a directory: it must be the stack\'s YAML file']));
  it('refuses a Dockerfile that is a directory', () =>
    expect(error(view({ 'images/spec.yml': specWith({}), 'images/base/Dockerfile/x': '' }))).toEqual([
      '- images/base/Dockerfile: image "base" is a directory: it must be the image\'s Dockerfile',
    ]));
  it('refuses a symlinked image folder', () =>
    expect(error(view(base, { isLink: (path) => path === 'images/base' }))).toEqual([
      '- images/base: image "base" is a symbolic link: image folders must be real folders; move the folder here instead of linking it',
    ]));
  it('refuses an image folder named like a BuildAll entry', () =>
    expect(
      error(view({ 'images/spec.yml': specWith({ images: '  tests_common:\n    image_name: ghcr.io/org/tc\n    depend_on: base\n' }), 'images/base/Dockerfile': 'FROM busybox\n', 'images/tests_common/Dockerfile': 'FROM x\n' })),
    ).toContain('- images/tests_common: image "tests_common" is named like the BuildAll entry "tests_common" of change_ignore.json, whose files are inputs of every image: rename the image folder'));
  const HIDDEN = 'hides the image folder images/base/ from Nx, so the image would be no project and its changes would affect nothing: remove the line (to leave an image out, take its entry out of spec.yml and its folder out of images/)';
  it('refuses a .nxignore line that hides an image folder', () =>
    expect(error(view({ ...base, '.nxignore': 'tmp\nimages/b*\n' }))).toEqual([`- .nxignore:2: image "base" "images/b*" ${HIDDEN}`]));
  it('refuses a .gitignore line that hides an image folder, the workspace\'s or the stack folder\'s own', () => {
    expect(error(view({ ...base, '.gitignore': 'node_modules\n/images/base/\n' }))).toEqual([`- .gitignore:2: image "base" "/images/base/" ${HIDDEN}`]);
    expect(error(view({ ...base, 'images/.gitignore': '*.log\nbase\n' }))).toEqual([`- images/.gitignore:2: image "base" "base" ${HIDDEN}`]);
  });
  it('accepts an ignore file that takes the image folder back with "!"', () =>
    expect(() => readStack(view({ ...base, '.gitignore': 'images/*\n!images/base\n!images/spec.yml\n' }), 'images')).not.toThrow());
});
