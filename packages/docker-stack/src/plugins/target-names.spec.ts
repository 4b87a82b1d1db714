import { logger, type CreateNodesContext, type ProjectConfiguration } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { normalizePluginOptions, type DockerStackPluginOptions } from './options';
import { createNodes } from './plugin';

const FILES: Record<string, string> = {
  'images/spec.yml': [
    'images:',
    '  base: { image_name: ghcr.io/org/base }',
    '  child: { image_name: ghcr.io/org/child, depend_on: base, integration_tests: true, prune: true }',
    '  leaf: { image_name: ghcr.io/org/leaf, depend_on: child }',
    'tag: { prefix: "2026.3" }',
    'all_info_cmds: {}',
    '',
  ].join('\n'),
  'images/base/Dockerfile': 'FROM ubuntu:22.04\n',
  'images/child/Dockerfile': 'ARG BASE_TAG\nFROM ghcr.io/org/base:${BASE_TAG}\n',
  'images/leaf/Dockerfile': 'ARG BASE_TAG\nFROM ghcr.io/org/child:${BASE_TAG}\n',
};

let workspaceRoot: string;

async function infer(options: DockerStackPluginOptions): Promise<Record<string, ProjectConfiguration>> {
  const context: CreateNodesContext = { nxJsonConfiguration: {}, workspaceRoot };
  const [[, result]] = await createNodes[1](['images/spec.yml'], options, context);
  return result.projects as Record<string, ProjectConfiguration>;
}

beforeEach(() => {
  workspaceRoot = mkdtempSync(join(tmpdir(), 'docker-stack-names-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(workspaceRoot, path)), { recursive: true });
    writeFileSync(join(workspaceRoot, path), text);
  }
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  rmSync(workspaceRoot, { recursive: true, force: true });
  jest.restoreAllMocks();
});

describe('plugin options', () => {
  it('defaults each target name to itself, stackDir to images and python to python3', () => {
    const options = normalizePluginOptions(undefined);
    expect(options).toMatchObject({ stackDir: 'images', python: 'python3' });
    expect(options.targetNames).toMatchObject({ build: 'build', 'integration-test': 'integration-test', summary: 'summary' });
  });

  it('refuses two targets under one name, naming both options', () => {
    expect(() => normalizePluginOptions({ buildTargetName: 'docker', pushTargetName: 'docker' })).toThrow(
      /options "pushTargetName" and "buildTargetName" both name the target "docker"/,
    );
  });

  it('renames targets, and every dependsOn follows the rename', async () => {
    const projects = await infer({ buildTargetName: 'docker-build', testTargetName: 'image-test', integrationTestTargetName: 'it', summaryTargetName: 'report' });
    const child = projects['images/child'].targets ?? {};
    expect(Object.keys(child).sort()).toEqual(['docker-build', 'image-test', 'it', 'lint', 'manifest', 'prune', 'push', 'serve']);
    expect(child['docker-build'].dependsOn).toEqual(['^image-test']);
    expect(child['image-test'].dependsOn).toEqual(['docker-build']);
    expect(child.serve.dependsOn).toEqual(['docker-build']);
    expect(child.prune.dependsOn).toEqual(['manifest', 'it', { target: 'docker-build', projects: ['leaf'] }]);
    expect(child['docker-build']).toMatchObject({ executor: '@datahub/docker-stack:pipeline', options: { step: 'build' } });
    expect(Object.keys(projects.images.targets ?? {}).sort()).toEqual(['gc', 'merge-index', 'new-generation', 'promote', 'report', 'tag-unchanged', 'wiki']);
  });

  it('groups the pipeline targets under their current names in metadata.targetGroups', async () => {
    const projects = await infer({ buildTargetName: 'docker-build' });
    expect(projects['images/child'].metadata?.targetGroups).toEqual({
      'Docker image pipeline': ['docker-build', 'test', 'push', 'integration-test', 'manifest', 'prune'],
      'Docker image tools': ['lint', 'serve'],
    });
    expect(projects['images/leaf'].metadata?.targetGroups?.['Docker image pipeline']).toEqual(['docker-build', 'test', 'push', 'manifest']);
    expect(projects.images.metadata?.targetGroups).toEqual({ 'Docker stack': ['promote', 'tag-unchanged', 'merge-index', 'new-generation', 'wiki', 'gc', 'summary'] });
  });

  it('gives the targets that take command-line options metadata.help, under the renamed target', async () => {
    const projects = await infer({ serveTargetName: 'try' });
    const leaf = projects['images/leaf'].targets ?? {};
    expect(leaf.try.metadata?.help).toEqual({ command: 'npx nx run leaf:try --help', example: { options: { port: 8888 } } });
    expect(leaf.build.metadata?.help?.command).toBe('npx nx run leaf:build --help');
    expect(projects.images.targets?.promote.metadata?.help?.example).toEqual({ options: { tag: '2026.3-main', dryRun: true } });
    expect(leaf.test.metadata?.help).toBeUndefined();
    expect(leaf.try).toMatchObject({ continuous: true, cache: false });
  });
});
