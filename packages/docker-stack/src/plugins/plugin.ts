import { logger, type CreateNodes, type ProjectConfiguration, type TargetConfiguration } from '@nx/devkit';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { baseImageWarnings } from '../lint/base-image';
import { stepFiles, type StepName } from '../pipeline/outputs';
import { loadStack } from '../stack/load';
import { IMAGE_TEST_FOLDERS, SPEC_FILE, childrenOf, type ImageSpec, type StackSpec } from '../stack/model';
import { serveTarget, summaryTarget } from './extra-targets';
import { normalizePluginOptions, type DockerStackPluginOptions } from './options';
import { withNamesAndGroups } from './target-names';

export type { DockerStackPluginOptions } from './options';

export const PLUGIN = '@datahub/docker-stack';
export const STACK_PROJECT = 'stack';

/** Where the branch tag comes from (see registry/tags.ts): a push to another branch must push again. */
const BRANCH_INPUTS = [{ env: 'GITHUB_HEAD_REF' }, { env: 'GITHUB_REF_NAME' }, { runtime: 'git rev-parse --abbrev-ref HEAD' }];

export const createNodes: CreateNodes<DockerStackPluginOptions> = [
  `**/${SPEC_FILE}`,
  async (specFiles, options, context) => {
    const normalized = normalizePluginOptions(options);
    const { stackDir } = normalized;
    const specFile = specFiles.find((file) => dirname(file) === stackDir);
    if (!specFile) {
      return [];
    }
    const stack = loadStack(context.workspaceRoot, stackDir);
    const { spec } = stack;
    // The FROM/BASE_TAG lint rule is only a warning here: the graph loads, and `nx lint <image>` fails.
    [...baseImageWarnings(stack), ...stack.warnings].forEach((warning) => logger.warn(warning));
    // Every project gets its extra targets, `metadata.help`, the target names chosen in nx.json and its targetGroups.
    const projects: Record<string, ProjectConfiguration> = {
      [stackDir]: withNamesAndGroups(stackProject(spec), { summary: summaryTarget(stackDir) }, normalized.targetNames),
    };
    for (const image of spec.images) {
      const root = `${stackDir}/${image.name}`;
      const project = imageProject(spec, image, root, normalized.python, buildAllInputs(spec, context.workspaceRoot));
      projects[root] = withNamesAndGroups(project, { serve: serveTarget(stackDir) }, normalized.targetNames);
    }
    return [[specFile, { projects }]];
  },
];

/** The inputs every image shares: the stack's `BuildAll` entries, each a folder or a file. */
function buildAllInputs(spec: StackSpec, workspaceRoot: string): string[] {
  return spec.buildAll.map((entry) => {
    const path = `${spec.stackDir}/${entry}`;
    const isFolder = existsSync(join(workspaceRoot, path)) && statSync(join(workspaceRoot, path)).isDirectory();
    return isFolder ? `{workspaceRoot}/${path}/**/*` : `{workspaceRoot}/${path}`;
  });
}

/** The image's pipeline: build, test, push, manifest and lint; integration-test and prune where the spec asks. */
function imageTargets(spec: StackSpec, image: ImageSpec, root: string, python: string): Record<string, TargetConfiguration> {
  const executorOptions = { stackDir: spec.stackDir };
  const cached = (
    executor: StepName | 'lint',
    description: string,
    dependsOn: TargetConfiguration['dependsOn'],
    inputs: TargetConfiguration['inputs'],
    options: Record<string, unknown> = {},
  ): TargetConfiguration => ({
    executor: `${PLUGIN}:${executor}`,
    options: { ...executorOptions, ...options },
    dependsOn,
    inputs,
    // What the step writes, from the pipeline's one table; lint writes nothing.
    outputs: executor === 'lint' ? [] : stepFiles(executor, image.name).map((file) => `{workspaceRoot}/${file}`),
    cache: true,
    metadata: { description, technologies: ['docker'] },
  });

  // Every step after the build works on the image, so it depends on the ancestors' inputs too.
  const tested = ['default', '^image'];
  const pushed = [...tested, ...BRANCH_INPUTS];
  const targets: Record<string, TargetConfiguration> = {
    build: cached(
      'build',
      `docker build ${image.imageName} with BASE_TAG = the parent's tag`,
      // On the parent's tested image: a parent that fails its tests stops its descendants.
      ['^test'],
      ['image', '^image'],
    ),
    test: cached(
      'test',
      `pytest ${spec.stackDir}/tests_common and ${root}/test against the built image`,
      ['build'],
      tested,
      { python },
    ),
    push: cached('push', `push ${image.imageName} to its registry (after its tests passed)`, ['test'], pushed),
    manifest: cached('manifest', 'write the Markdown manifest page: info commands and layer history', ['push'], pushed),
    lint: cached('lint', 'check the image definition against the spec without building it', [], ['default'], { python }),
  };
  if (image.integrationTests) {
    targets['integration-test'] = cached(
      'integration-test',
      `pytest ${root}/integration_tests after the push`,
      ['push'],
      pushed,
      { python },
    );
  }
  if (image.prune) {
    targets.prune = pruneTarget(spec, image);
  }
  return targets;
}

function pruneTarget(spec: StackSpec, image: ImageSpec): TargetConfiguration {
  const children = childrenOf(spec, image.name).map((child) => child.name);
  return {
    executor: `${PLUGIN}:prune`,
    options: { stackDir: spec.stackDir },
    // After its own pipeline and after every child was built on it.
    dependsOn: [
      'manifest',
      ...(image.integrationTests ? ['integration-test'] : []),
      ...(children.length ? [{ target: 'build', projects: children }] : []),
    ],
    cache: false,
    metadata: { description: 'remove the image and its build leftovers from the local engine (it is in the registry)' },
  };
}

function imageProject(spec: StackSpec, image: ImageSpec, root: string, python: string, shared: string[]): ProjectConfiguration {
  return {
    name: image.name,
    root,
    projectType: 'application',
    tags: ['docker-image'],
    implicitDependencies: image.dependOn ? [image.dependOn] : [],
    namedInputs: {
      image: [`{projectRoot}/**/*`, ...IMAGE_TEST_FOLDERS.map((folder) => `!{projectRoot}/${folder}/**/*`), ...shared],
      default: [`{projectRoot}/**/*`, ...shared],
    },
    metadata: {
      description: image.dependOn
        ? `Docker image ${image.imageName}, built on ${image.dependOn}`
        : `Docker image ${image.imageName}, a root of the stack`,
      technologies: ['docker'],
      dockerImage: { imageName: image.imageName, parent: image.dependOn ?? null, tagPrefix: spec.tagPrefix },
    },
    targets: imageTargets(spec, image, root, python),
  };
}

function stackProject(spec: StackSpec): ProjectConfiguration {
  const options = { stackDir: spec.stackDir };
  return {
    name: STACK_PROJECT,
    root: spec.stackDir,
    projectType: 'application',
    tags: ['docker-stack'],
    metadata: { description: `The stack defined by ${spec.stackDir}/${SPEC_FILE}: promotion and wiki pages` },
    targets: {
      promote: {
        executor: `${PLUGIN}:promote`,
        options,
        cache: false,
        metadata: { description: 'retag the whole stack in the registry: <prefix>-<branch> -> <prefix>-stable, or with --global <prefix>-stable -> stable' },
      },
      wiki: {
        executor: `${PLUGIN}:wiki`,
        options,
        cache: false,
        metadata: { description: 'add this build\'s images (full tags, manifest links) as a row of wiki/Home.md' },
      },
    },
  };
}
