/**
 * Project inference through the real nx CLI, on generated stacks (no Docker needed): the projects, their
 * configuration, the dependency graph and what a commit affects (bad input: bad-input.spec.ts).
 */
import { existsSync, rmSync } from 'node:fs';
import {
  imageFileOf,
  nxignoreLines,
  repositoryOf,
  subtreeOf,
  writeGeneratedStack,
  type GeneratedSpec,
} from './support/generated-stack';
import { TempWorkspace } from './support/workspace';

jest.setTimeout(60_000);

const TARGETS = ['build', 'test', 'push', 'manifest', 'lint'];

/** Nx prints `--json` lists on one line, possibly after other output. */
function jsonList(stdout: string): string[] {
  const line = stdout.split('\n').find((candidate) => candidate.trim().startsWith('['));
  if (line === undefined) {
    throw new Error(`no JSON list in:\n${stdout}`);
  }
  return (JSON.parse(line) as string[]).sort();
}

const sorted = (names: Iterable<string>) => [...names].sort();

describe('inference on a generated stack of 11 images in 3 levels (2 roots)', () => {
  let ws: TempWorkspace;
  let spec: GeneratedSpec;
  let images: string[];

  beforeAll(() => {
    ws = new TempWorkspace('inference');
    spec = writeGeneratedStack(ws, { levels: [2, 4, 5] });
    images = sorted(spec.keys());
    ws.commit('generated stack');
  });

  afterAll(() => ws?.remove());

  test('nx show projects lists exactly the images and the stack', () => {
    expect(images).toHaveLength(11);
    expect(jsonList(ws.nxOk(['show', 'projects', '--json']).stdout)).toEqual(sorted([...images, 'stack']));
  });

  test('nx show project describes a child image', () => {
    const project = JSON.parse(ws.nxOk(['show', 'project', 'gen-l2-4', '--json']).stdout);
    expect(project).toMatchObject({
      name: 'gen-l2-4',
      root: 'images/gen-l2-4',
      implicitDependencies: ['gen-l1-0'],
      metadata: {
        description: `Docker image ${repositoryOf('gen-l2-4')}, built on gen-l1-0`,
        dockerImage: { imageName: repositoryOf('gen-l2-4'), parent: 'gen-l1-0' },
      },
    });
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(TARGETS));
  });

  test('nx graph: every image is configured from the spec and the edges are exactly depend_on', () => {
    const file = ws.path('graph.json');
    ws.nxOk(['graph', `--file=${file}`]);
    const { graph } = JSON.parse(ws.read('graph.json')) as {
      graph: {
        nodes: Record<string, { data: { implicitDependencies?: string[]; targets: Record<string, unknown>; metadata: any } }>;
        dependencies: Record<string, { source: string; target: string; type: string }[]>;
      };
    };
    rmSync(file);

    expect(sorted(Object.keys(graph.nodes))).toEqual(sorted([...images, 'stack']));
    const edges = Object.fromEntries(Object.entries(graph.dependencies).map(([name, deps]) => [name, deps.map((dep) => dep.target)]));
    const expected = Object.fromEntries([...spec].map(([name, parent]) => [name, parent === undefined ? [] : [parent]]));
    expect(edges).toEqual({ ...expected, stack: [] });
    for (const [name, parent] of spec) {
      const { data } = graph.nodes[name];
      expect(data.implicitDependencies ?? []).toEqual(parent === undefined ? [] : [parent]);
      expect(data.metadata.dockerImage).toMatchObject({ imageName: repositoryOf(name), parent: parent ?? null });
      expect(data.metadata.description).toBe(
        parent === undefined ? `Docker image ${repositoryOf(name)}, a root of the stack` : `Docker image ${repositoryOf(name)}, built on ${parent}`,
      );
      expect(Object.keys(data.targets)).toEqual(expect.arrayContaining(TARGETS));
    }
  });

  describe('nx show projects --affected, one commit per change', () => {
    /**
     * Commits `change` and lists what it affects between the previous commit and the new one. Plugins run in
     * process (NX_ISOLATE_PLUGINS=false): the same graph in half the time; the isolated default is covered above.
     */
    function affectedBy(message: string, change: () => void, extra: string[] = []): string[] {
      const base = ws.git('rev-parse', 'HEAD');
      change();
      const head = ws.commit(message);
      const args = ['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--json', ...extra];
      return jsonList(ws.nxOk(args, { NX_ISOLATE_PLUGINS: 'false' }).stdout);
    }
    const touch = (relative: string, text = `changed at ${Date.now()}\n`) => () => ws.write(relative, ws.read(relative) + text);
    let lastHead: string;
    const withTarget = (target: string) => {
      const head = ws.git('rev-parse', 'HEAD');
      const args = ['show', 'projects', '--affected', `--base=${lastHead}`, `--head=${head}`, '--withTarget', target, '--json'];
      return jsonList(ws.nxOk(args, { NX_ISOLATE_PLUGINS: 'false' }).stdout);
    };
    beforeEach(() => {
      lastHead = ws.git('rev-parse', 'HEAD');
    });

    test('a leaf file affects only that leaf', () => {
      expect(affectedBy('leaf', touch(imageFileOf('gen-l2-3')))).toEqual(['gen-l2-3']);
    });

    test("a middle image's file affects it and its descendants (also with --withTarget build)", () => {
      const expected = ['gen-l1-0', 'gen-l2-0', 'gen-l2-4'];
      expect(subtreeOf(spec, 'gen-l1-0')).toEqual(expected);
      expect(affectedBy('middle', touch(imageFileOf('gen-l1-0')))).toEqual(expected);
      expect(withTarget('build')).toEqual(expected);
    });

    test("a root's Dockerfile affects its subtree and nothing of the other root's", () => {
      const subtree = subtreeOf(spec, 'gen-l0-1');
      expect(subtree).toEqual(['gen-l0-1', 'gen-l1-1', 'gen-l1-3', 'gen-l2-1', 'gen-l2-3']);
      expect(affectedBy('root', touch('images/gen-l0-1/Dockerfile', 'LABEL changed=yes\n'))).toEqual(sorted(subtree));
    });

    test('BuildAll: tests_common/ affects every image and the stack (--withTarget build: every image)', () => {
      expect(affectedBy('tests_common', touch('images/tests_common/test_common.py', '# changed\n'))).toEqual(sorted([...images, 'stack']));
      expect(withTarget('build')).toEqual(images);
    });

    test('BuildAll: a comment in spec.yml affects every image and the stack', () => {
      expect(affectedBy('spec comment', touch('images/spec.yml', '# a comment\n'))).toEqual(sorted([...images, 'stack']));
    });

    test('BuildAll: conftest.py affects every image and the stack', () => {
      expect(affectedBy('conftest', touch('images/conftest.py', '# changed\n'))).toEqual(sorted([...images, 'stack']));
    });

    describe('without .nxignore (the control)', () => {
      beforeAll(() => {
        rmSync(ws.path('.nxignore'));
        ws.commit('no .nxignore');
      });

      test('images/README.md affects the stack project, whose root holds it', () => {
        expect(existsSync(ws.path('.nxignore'))).toBe(false);
        expect(affectedBy('readme', touch('images/README.md'))).toEqual(['stack']);
      });

      test('images/notes/todo.txt affects the stack project', () => {
        expect(existsSync(ws.path('.nxignore'))).toBe(false);
        expect(affectedBy('notes', touch('images/notes/todo.txt'))).toEqual(['stack']);
      });
    });

    describe('with .nxignore listing images/<ChangeIgnore entry>', () => {
      beforeAll(() => {
        ws.write('.nxignore', `${nxignoreLines(['README.md', 'notes'], 'images').join('\n')}\n`);
        ws.commit('.nxignore from change_ignore.json');
      });

      beforeEach(() => expect(ws.read('.nxignore')).toBe('images/README.md\nimages/notes\n'));

      test('images/README.md affects nothing', () => {
        expect(affectedBy('readme', touch('images/README.md'))).toEqual([]);
      });

      test('images/notes/todo.txt affects nothing', () => {
        expect(affectedBy('notes', touch('images/notes/todo.txt'))).toEqual([]);
      });
    });
  });
});
