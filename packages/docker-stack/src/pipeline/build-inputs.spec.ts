import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StackSpec } from '../stack/model';
import { excludedTestPaths, imageIdentity, imageInputFiles, stackContentTags } from './build-inputs';
import type { RebuildInputs } from './rebuild-inputs';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const spec = { stackDir: 'images', buildAll: ['spec.yml', 'tests_common'], images: [{ name: 'x', imageName: 'org/x', buildArgs: {}, platforms: [] }] } as unknown as StackSpec;
const REBUILD: RebuildInputs = { generation: '0', bases: { base: 'sha256:aaa' } };
const DOCKERFILE = 'FROM base\nCOPY files/ /opt/\nCOPY ./manual_tests/*.R workflow_tests/test_a.py /opt/tests/\n';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'build-inputs-'));
  write('images/spec.yml', 'images: {}\n');
  write('images/tests_common/test_common.py', 'pass\n');
  write('images/x/Dockerfile', DOCKERFILE);
  write('images/x/files/a.txt', 'a\n');
  write('images/x/test/test_x.py', 'pass\n');
  write('images/x/manual_tests/one.R', '1\n');
  write('images/x/manual_tests/notes.md', 'not copied\n');
  write('images/x/workflow_tests/test_a.py', 'pass\n');
  write('images/x/workflow_tests/test_b.py', 'pass\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('build inputs', () => {
  it('leave out test folders and test files, except what the Dockerfile copies', () => {
    expect(excludedTestPaths(join(root, 'images/x'), DOCKERFILE)).toEqual(['test', 'manual_tests/notes.md', 'workflow_tests/test_b.py']);
    expect(imageInputFiles(join(root, 'images/x'), DOCKERFILE)).toEqual(['Dockerfile', 'files/a.txt', 'manual_tests/one.R', 'workflow_tests/test_a.py']);
  });

  it('keep a whole test folder that is copied as a folder, and everything when the context is copied', () => {
    expect(excludedTestPaths(join(root, 'images/x'), 'FROM base\nCOPY test /opt/test\n')).toEqual(['manual_tests', 'workflow_tests']);
    expect(excludedTestPaths(join(root, 'images/x'), 'FROM base\nCOPY . /src\n')).toEqual([]);
  });
});

describe('image identity', () => {
  const identity = (parent?: string, rebuild = REBUILD) => imageIdentity(root, spec, 'x', parent, rebuild);

  it('is stable, and changes with an image file, a copied test file, a BuildAll file or the parent', () => {
    const base = identity('build-p');
    expect(identity('build-p')).toBe(base);
    expect(identity('build-q')).not.toBe(base);
    for (const file of ['images/x/files/a.txt', 'images/x/workflow_tests/test_a.py', 'images/tests_common/test_common.py', 'images/spec.yml']) {
      write(file, 'changed\n');
      expect(identity('build-p')).not.toBe(base);
    }
  });

  it('changes when a full rebuild moves the generation on, or when an external base moves in its registry', () => {
    const base = identity();
    expect(identity(undefined, { ...REBUILD, generation: '2026-12-06T19:00:00Z' })).not.toBe(base);
    expect(identity(undefined, { ...REBUILD, bases: { base: 'sha256:bbb' } })).not.toBe(base);
    expect(identity(undefined, { ...REBUILD, bases: { base: 'sha256:aaa', other: 'sha256:ccc' } })).toBe(base);
  });

  it('ignores tests that stay out of the image, and files outside the stack', () => {
    const base = identity();
    write('images/x/test/test_x.py', 'changed\n');
    write('images/x/workflow_tests/test_b.py', 'changed\n');
    write('.gitignore', 'coverage\n');
    write('package-lock.json', '{}\n');
    expect(identity()).toBe(base);
  });
});

describe('stackContentTags', () => {
  const chain = {
    ...spec,
    images: [
      { name: 'y', imageName: 'org/y', dependOn: 'x', buildArgs: {}, platforms: [] },
      { name: 'x', imageName: 'org/x', buildArgs: {}, platforms: [] },
    ],
  } as unknown as StackSpec;
  beforeEach(() => write('images/y/Dockerfile', 'ARG BASE_TAG\nFROM org/x:${BASE_TAG}\n'));

  it("names each image as its build would: the parent's content tag is part of the child's identity", () => {
    const tags = stackContentTags(root, chain, REBUILD);
    const x = `build-${imageIdentity(root, chain, 'x', undefined, REBUILD)}`;
    expect(tags).toEqual({ x, y: `build-${imageIdentity(root, chain, 'y', x, REBUILD)}` });
  });

  it("moves a child's tag when only its parent's files change", () => {
    const before = stackContentTags(root, chain, REBUILD);
    write('images/x/files/a.txt', 'changed\n');
    const after = stackContentTags(root, chain, REBUILD);
    expect(after.x).not.toBe(before.x);
    expect(after.y).not.toBe(before.y);
  });
});

const PINNED_IDENTITY = '5fda8e2b45f63be4b886e210c698e77b31e74de2';

describe('a former-format stack (no platforms)', () => {
  it('keeps the identity it had before platforms existed (the same content tag, so the same tags and digests)', () => {
    // Pinned with issue 24's `platforms` (and issue 19's rebuild inputs): a change here would rebuild every former-format image.
    const image = { name: 'x', imageName: 'org/x', buildArgs: {}, platforms: [] };
    expect(imageIdentity(root, { ...spec, images: [image] } as unknown as StackSpec, 'x', undefined, REBUILD)).toBe(PINNED_IDENTITY);
  });

  it('gives a multi-platform image an identity of its platforms: adding one rebuilds it', () => {
    const withPlatforms = (platforms: string[]) =>
      imageIdentity(root, { ...spec, images: [{ name: 'x', imageName: 'org/x', buildArgs: {}, platforms }] } as unknown as StackSpec, 'x', undefined, REBUILD);
    expect(withPlatforms(['linux/amd64'])).not.toBe(PINNED_IDENTITY);
    expect(withPlatforms(['linux/amd64', 'linux/arm64'])).not.toBe(withPlatforms(['linux/amd64']));
  });
});
