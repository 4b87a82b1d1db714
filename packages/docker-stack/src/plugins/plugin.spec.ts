import { resetWorkspaceContext } from '@nx/devkit/internal';
import { logger, type CreateNodesContext, type ProjectConfiguration } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUILD_FORMAT_VERSION } from '../pipeline/build-inputs';
import { INFERRED_TARGETS } from './invalid-stack';
import { createNodes, type DockerStackPluginOptions } from './plugin';
import { STACK_PROJECT } from './plugin-name';

const SPEC = `root: base
images:
  base:
    image_name: ghcr.io/org/base
    prune: false
  child:
    image_name: ghcr.io/org/child
    depend_on: base
    integration_tests: true
    prune: true
  leaf:
    image_name: ghcr.io/org/leaf
    depend_on: child
    prune: true
tag:
  prefix: "2026.3"
all_info_cmds:
  PY_VER:
    command: python --version
`;

const childDockerfile = (parent: string) => `ARG BASE_TAG\nFROM ${parent}:\${BASE_TAG}\n`;

/** The files of a stack, relative to the workspace root. */
const STACK_FILES: Record<string, string> = {
  'images/spec.yml': SPEC,
  'images/change_ignore.json': JSON.stringify({ ChangeIgnore: ['README.md'], BuildAll: ['tests_common', 'spec.yml', 'conftest.py'] }),
  'images/base/Dockerfile': 'FROM ubuntu:22.04\n',
  'images/child/Dockerfile': childDockerfile('ghcr.io/org/base'),
  'images/leaf/Dockerfile': childDockerfile('ghcr.io/org/child'),
  'images/tests_common/test_common.py': 'def test_ok():\n    pass\n',
};

let workspaceRoot: string;

function writeFiles(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(workspaceRoot, path)), { recursive: true });
    writeFileSync(join(workspaceRoot, path), text);
  }
  // Nx's file hashes (the plugin's cache key) are read once per workspace; a real run starts with fresh ones.
  resetWorkspaceContext();
}

async function inferProjects(
  specFiles: string[] = ['images/spec.yml'],
  options: DockerStackPluginOptions = { stackDir: 'images' },
): Promise<Record<string, ProjectConfiguration>> {
  const context: CreateNodesContext = { nxJsonConfiguration: {}, workspaceRoot };
  const results = await createNodes[1](specFiles, options, context);
  if (results.length === 0) {
    return {};
  }
  expect(results).toHaveLength(1);
  return (results[0][1].projects ?? {}) as Record<string, ProjectConfiguration>;
}

beforeEach(() => {
  workspaceRoot = mkdtempSync(join(tmpdir(), 'docker-stack-plugin-'));
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  rmSync(workspaceRoot, { recursive: true, force: true });
  jest.restoreAllMocks();
});

describe('createNodes', () => {
  it('matches spec.yml files and nx.json, which is always there', () => {
    expect(createNodes[0]).toBe('{nx.json,**/spec.yml}');
  });

  describe('projects', () => {
    beforeEach(() => writeFiles(STACK_FILES));

    it('attributes the projects to the spec file', async () => {
      const results = await createNodes[1](['images/spec.yml'], { stackDir: 'images' }, { nxJsonConfiguration: {}, workspaceRoot });
      expect(results.map(([file]) => file)).toEqual(['images/spec.yml']);
    });

    it('infers one project per image plus the stack project, keyed by root', async () => {
      const projects = await inferProjects();
      expect(Object.keys(projects).sort()).toEqual(['images', 'images/base', 'images/child', 'images/leaf']);
      expect(Object.entries(projects).map(([root, project]) => [root, project.name, project.root])).toEqual(
        expect.arrayContaining([
          ['images', STACK_PROJECT, 'images'],
          ['images/base', 'base', 'images/base'],
          ['images/child', 'child', 'images/child'],
          ['images/leaf', 'leaf', 'images/leaf'],
        ]),
      );
    });

    it('makes each image depend implicitly on its depend_on parent', async () => {
      const projects = await inferProjects();
      expect(projects['images/base'].implicitDependencies).toEqual([]);
      expect(projects['images/child'].implicitDependencies).toEqual(['base']);
      expect(projects['images/leaf'].implicitDependencies).toEqual(['child']);
    });

    it('describes each image', async () => {
      const projects = await inferProjects();
      expect(projects['images/base'].metadata?.description).toBe('Docker image ghcr.io/org/base, a root of the stack');
      expect(projects['images/child'].metadata?.description).toBe('Docker image ghcr.io/org/child, built on base');
      expect(projects['images/child'].metadata).toMatchObject({
        dockerImage: { imageName: 'ghcr.io/org/child', parent: 'base', tagPrefix: '2026.3' },
      });
      expect(projects['images/base'].metadata).toMatchObject({ dockerImage: { parent: null } });
    });

    it('gives the stack project promote, tag-unchanged, merge-index, new-generation, wiki, gc and summary targets, uncached', async () => {
      const stack = (await inferProjects())['images'];
      expect(stack.metadata?.description).toContain('images/spec.yml');
      expect(Object.keys(stack.targets ?? {}).sort()).toEqual(['gc', 'merge-index', 'new-generation', 'promote', 'summary', 'tag-unchanged', 'wiki']);
      for (const target of Object.values(stack.targets ?? {})) {
        expect(target).toMatchObject({ cache: false, options: { stackDir: 'images' } });
      }
    });
  });

  describe('image targets', () => {
    beforeEach(() => writeFiles(STACK_FILES));

    it('always has build, test, push, manifest, lint and serve', async () => {
      const projects = await inferProjects();
      expect(Object.keys(projects['images/base'].targets ?? {}).sort()).toEqual(['build', 'lint', 'manifest', 'push', 'serve', 'test']);
    });

    it('adds integration-test only with integration_tests: true and prune only with prune: true', async () => {
      const projects = await inferProjects();
      expect(Object.keys(projects['images/child'].targets ?? {}).sort()).toEqual(
        ['build', 'integration-test', 'lint', 'manifest', 'prune', 'push', 'serve', 'test'],
      );
      expect(Object.keys(projects['images/leaf'].targets ?? {}).sort()).toEqual(['build', 'lint', 'manifest', 'prune', 'push', 'serve', 'test']);
    });

    it('chains build -> test -> push -> manifest, building parents first', async () => {
      const targets = (await inferProjects())['images/child'].targets ?? {};
      expect(targets.build.dependsOn).toEqual(['^test']);
      expect(targets.test.dependsOn).toEqual(['build']);
      expect(targets.push.dependsOn).toEqual(['test']);
      expect(targets['integration-test'].dependsOn).toEqual(['push']);
    });

    it('writes the manifest page of an image with integration tests only after they pass', async () => {
      const projects = await inferProjects();
      expect(projects['images/child'].targets?.manifest.dependsOn).toEqual(['push', 'integration-test']);
      expect(projects['images/leaf'].targets?.manifest.dependsOn).toEqual(['push']);
    });

    it('prunes after its own pipeline and after every child was built on it', async () => {
      const targets = (await inferProjects())['images/child'].targets ?? {};
      expect(targets.prune.dependsOn).toEqual(['manifest', 'integration-test', { target: 'build', projects: ['leaf'] }]);
    });

    it('prunes a leaf without integration tests right after its manifest', async () => {
      const targets = (await inferProjects())['images/leaf'].targets ?? {};
      expect(targets.prune.dependsOn).toEqual(['manifest']);
    });

    it('caches the pipeline steps with outputs under {workspaceRoot}/artifacts/<name>/', async () => {
      const targets = (await inferProjects())['images/child'].targets ?? {};
      for (const name of ['build', 'test', 'push', 'manifest', 'integration-test']) {
        expect(targets[name].cache).toBe(true);
        expect(targets[name].outputs).toContain(`{workspaceRoot}/artifacts/child/${name}.json`);
      }
      expect(targets.manifest.outputs).toContain('{workspaceRoot}/artifacts/child/manifest.md');
      expect(targets.lint.cache).toBe(true);
      expect(targets.prune.cache).toBe(false);
    });

    it('runs every pipeline step through the pipeline executor (so Nx can batch a chain), the others through their own, with the stack folder as option', async () => {
      const targets = (await inferProjects())['images/child'].targets ?? {};
      const steps = ['build', 'test', 'push', 'integration-test', 'manifest', 'prune'];
      for (const [name, target] of Object.entries(targets)) {
        const executor = steps.includes(name) ? 'pipeline' : name;
        expect([name, target.executor]).toEqual([name, `@datahub/docker-stack:${executor}`]);
        expect(target.options).toMatchObject({ stackDir: 'images', ...(steps.includes(name) ? { step: name } : {}) });
      }
    });

    it('passes the python option to the test targets, defaulting to python3', async () => {
      const withOption = (await inferProjects(['images/spec.yml'], { stackDir: 'images', python: '/opt/venv/bin/python' }))['images/child'];
      expect(withOption.targets?.test.options).toMatchObject({ python: '/opt/venv/bin/python' });
      expect(withOption.targets?.['integration-test'].options).toMatchObject({ python: '/opt/venv/bin/python' });
      expect(withOption.targets?.build.options).not.toHaveProperty('python');

      const withDefault = (await inferProjects())['images/child'];
      expect(withDefault.targets?.test.options).toMatchObject({ python: 'python3' });
    });
  });

  describe('inputs', () => {
    it('turns every BuildAll entry into an input of both named inputs: a folder with its contents, a file as it is', async () => {
      writeFiles(STACK_FILES);
      const { namedInputs } = (await inferProjects())['images/child'];
      const buildAll = ['{workspaceRoot}/images/tests_common/**/*', '{workspaceRoot}/images/spec.yml', '{workspaceRoot}/images/conftest.py'];
      expect(namedInputs?.default).toEqual(['{projectRoot}/**/*', ...buildAll]);
      expect(namedInputs?.image).toEqual(expect.arrayContaining(['{projectRoot}/**/*', ...buildAll]));
      expect(namedInputs?.image).not.toContain('{workspaceRoot}/images/change_ignore.json');
    });

    it('uses the default BuildAll when change_ignore.json is absent', async () => {
      const { 'images/change_ignore.json': _omitted, ...files } = STACK_FILES;
      writeFiles(files);
      const { namedInputs } = (await inferProjects())['images/base'];
      for (const entry of ['tests_common/**/*', 'spec.yml', 'change_ignore.json', 'conftest.py']) {
        expect(namedInputs?.default).toContain(`{workspaceRoot}/images/${entry}`);
      }
    });

    it('keeps the test folders out of the image input, but not the test files the Dockerfile copies', async () => {
      writeFiles({
        ...STACK_FILES,
        'images/base/Dockerfile': 'FROM ubuntu:22.04\nCOPY workflow_tests/test_a.py /opt/workflow_tests/\n',
        'images/base/test/test_base.py': 'def test_ok():\n    pass\n',
        'images/base/integration_tests/test_ui.py': 'def test_ok():\n    pass\n',
        'images/base/workflow_tests/test_a.py': 'def test_a():\n    pass\n',
        'images/base/workflow_tests/test_b.py': 'def test_b():\n    pass\n',
      });
      const { namedInputs, targets } = (await inferProjects())['images/base'];
      expect(namedInputs?.image).toEqual(
        expect.arrayContaining(['!{projectRoot}/test/**/*', '!{projectRoot}/integration_tests/**/*', '!{projectRoot}/workflow_tests/test_b.py']),
      );
      expect(namedInputs?.image).not.toContain('!{projectRoot}/workflow_tests/**/*');
      expect(namedInputs?.image).not.toContain('!{projectRoot}/workflow_tests/test_a.py');
      // No npm package is an input of an image, the rebuild inputs are printed by the plugin's script, and the
      // build-format version rides in the options.
      const rebuildInputs = { runtime: 'node node_modules/@datahub/docker-stack/dist/bin/rebuild-inputs.js images' };
      expect(targets?.build.inputs).toEqual(['image', '^image', { externalDependencies: [] }, rebuildInputs]);
      for (const step of ['test', 'push', 'manifest']) {
        expect([step, targets?.[step].inputs]).toEqual([step, expect.arrayContaining([rebuildInputs])]);
      }
      // The manifest page shows the image, not its tests: its inputs are the image's, with the branch.
      expect(targets?.manifest.inputs).toEqual(expect.arrayContaining(['image', '^image', { env: 'GITHUB_REF_NAME' }]));
      expect(targets?.manifest.inputs).not.toContain('default');
      expect(targets?.build.options).toMatchObject({ buildFormat: BUILD_FORMAT_VERSION });
    });
  });

  describe('stack folder', () => {
    it('hashes STACK_PLATFORM into every step of a multi-platform image, so one platform\'s runner never restores another\'s', async () => {
      writeFiles({ ...STACK_FILES, 'images/spec.yml': `${SPEC}platforms: [linux/amd64, linux/arm64]\n` });
      const { targets } = (await inferProjects())['images/child'];
      for (const step of ['build', 'test', 'push', 'integration-test', 'manifest']) {
        expect([step, targets?.[step].inputs]).toEqual([step, expect.arrayContaining([{ env: 'STACK_PLATFORM' }])]);
      }
    });

    it('reads only the spec.yml of stackDir, attributed to nx.json when it did not match', async () => {
      writeFiles(STACK_FILES);
      writeFiles({ 'other/spec.yml': 'not: [a valid spec', 'images/base/spec.yml': 'nested: 1' });
      const context = { nxJsonConfiguration: {}, workspaceRoot };
      const fromNxJson = await createNodes[1](['nx.json', 'other/spec.yml', 'images/base/spec.yml'], { stackDir: 'images' }, context);
      expect(fromNxJson.map(([file, result]) => [file, Object.keys(result.projects ?? {}).length])).toEqual([['nx.json', 4]]);
      const fromSpec = await createNodes[1](['nx.json', 'other/spec.yml', 'images/spec.yml'], { stackDir: 'images' }, context);
      expect(fromSpec.map(([file]) => file)).toEqual(['images/spec.yml']);
    });

    it('reads the stack from the configured stackDir', async () => {
      writeFiles(Object.fromEntries(Object.entries(STACK_FILES).map(([path, text]) => [path.replace(/^images\//, 'stack/'), text])));
      const projects = await inferProjects(['stack/spec.yml'], { stackDir: 'stack' });
      expect(Object.keys(projects).sort()).toEqual(['stack', 'stack/base', 'stack/child', 'stack/leaf']);
      expect(projects['stack/base'].targets?.build.options).toMatchObject({ stackDir: 'stack' });
    });

    it('accepts the stack folder written as ./images/', async () => {
      writeFiles(STACK_FILES);
      const projects = await inferProjects(['images/spec.yml'], { stackDir: './images/' });
      expect(Object.keys(projects)).toHaveLength(4);
    });

    it('defaults stackDir to images', async () => {
      writeFiles(STACK_FILES);
      const results = await createNodes[1](['images/spec.yml'], undefined, { nxJsonConfiguration: {}, workspaceRoot });
      expect(Object.keys(results[0][1].projects ?? {})).toHaveLength(4);
    });
  });

  describe('problems', () => {
    it('gives a broken stack only a stack project whose every target fails, and logs the problems', async () => {
      jest.spyOn(logger, 'error').mockImplementation(() => undefined);
      writeFiles({ ...STACK_FILES, 'images/spec.yml': SPEC.replace('depend_on: child', 'depend_on: nothere') });
      const projects = await inferProjects();
      expect(Object.keys(projects)).toEqual(['images']);
      const stack = projects.images;
      expect(stack).toMatchObject({ name: STACK_PROJECT, root: 'images' });
      expect(Object.keys(stack.targets ?? {}).sort()).toEqual([...INFERRED_TARGETS].sort());
      for (const target of Object.values(stack.targets ?? {})) {
        expect(target).toMatchObject({ executor: '@datahub/docker-stack:invalid-stack', options: { stackDir: 'images' }, inputs: ['{workspaceRoot}/**/*'], cache: false });
      }
      expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/images\/spec\.yml:\d+: image "leaf" key "depend_on"/));
    });

    it('reports a missing spec.yml, naming the path, even when no spec.yml matched', async () => {
      jest.spyOn(logger, 'error').mockImplementation(() => undefined);
      writeFiles({ 'images/base/Dockerfile': 'FROM ubuntu:22.04\n' });
      const results = await createNodes[1](['nx.json'], { stackDir: 'images' }, { nxJsonConfiguration: {}, workspaceRoot });
      expect(results.map(([file, result]) => [file, Object.keys(result.projects ?? {})])).toEqual([['nx.json', ['images']]]);
      expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('images/spec.yml: does not exist'));
    });

    it('lists every target name it infers in INFERRED_TARGETS', async () => {
      writeFiles(STACK_FILES);
      const projects = await inferProjects();
      const inferred = new Set(Object.values(projects).flatMap((project) => Object.keys(project.targets ?? {})));
      expect([...inferred].filter((name) => !INFERRED_TARGETS.includes(name))).toEqual([]);
    });

    it('logs the spec warnings', async () => {
      writeFiles({ ...STACK_FILES, 'images/leaf/Dockerfile': 'FROM ghcr.io/org/child:latest\n' });
      await inferProjects();
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('images/leaf/Dockerfile: image "leaf"'));
    });

    it('warns when .nxignore does not list a ChangeIgnore entry, and not once it does', async () => {
      writeFiles(STACK_FILES);
      await inferProjects();
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('.nxignore: add "images/README.md"'));
      (logger.warn as jest.Mock).mockClear();
      writeFiles({ ...STACK_FILES, '.nxignore': 'images/README.md\n' });
      await inferProjects();
      expect(logger.warn).not.toHaveBeenCalled();
    });
  });
});
