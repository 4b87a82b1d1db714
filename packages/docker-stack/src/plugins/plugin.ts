import { logger, type CreateNodes, type ProjectConfiguration, type TargetConfiguration } from '@nx/devkit';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { baseImageWarnings } from '../lint/base-image';
import { BUILD_FORMAT_VERSION, excludedTestPaths } from '../pipeline/build-inputs';
import { stepFiles, type StepName } from '../pipeline/outputs';
import { invalidStackProject } from './invalid-stack';
import { StackSpecError } from '../stack/errors';
import { loadStack } from '../stack/load';
import type { ParsedStack } from '../stack/parse';
import { SPEC_FILE, childrenOf, type ImageSpec, type StackSpec } from '../stack/model';
import { serveTarget, summaryTarget } from './extra-targets';
import { normalizePluginOptions, type DockerStackPluginOptions } from './options';
import { withNamesAndGroups } from './target-names';

export type { DockerStackPluginOptions } from './options';

export const PLUGIN = '@datahub/docker-stack';
export const STACK_PROJECT = 'stack';

/** Where the branch tag comes from (see registry/tags.ts): a push to another branch must push again. */
const BRANCH_INPUTS = [{ env: 'GITHUB_HEAD_REF' }, { env: 'GITHUB_REF_NAME' }, { runtime: 'git rev-parse --abbrev-ref HEAD' }];

export const createNodes: CreateNodes<DockerStackPluginOptions> = [
  // nx.json always matches, so a stack folder without spec.yml (or a stackDir typo) is reported, not skipped.
  `{nx.json,**/${SPEC_FILE}}`,
  async (matchedFiles, options, context) => {
    const normalized = normalizePluginOptions(options);
    const { stackDir } = normalized;
    const specFile = `${stackDir}/${SPEC_FILE}`;
    const source = matchedFiles.includes(specFile) ? specFile : 'nx.json';
    let stack: ParsedStack;
    try {
      stack = loadStack(context.workspaceRoot, stackDir);
    } catch (error) {
      if (!(error instanceof StackSpecError)) {
        throw error;
      }
      // Shown when Nx runs the plugin in its own process (NX_DAEMON=false); the targets print it in any case.
      logger.error(`${error.message}\nEvery target of the "${STACK_PROJECT}" project fails until this is fixed.`);
      const invalid = withNamesAndGroups(invalidStackProject(stackDir, PLUGIN), {}, normalized.targetNames);
      return [[source, { projects: { [stackDir]: invalid } }]];
    }
    const { spec } = stack;
    // The FROM/BASE_TAG lint rule is only a warning here: the graph loads, and `nx lint <image>` fails.
    [...baseImageWarnings(stack), ...stack.warnings].forEach((warning) => logger.warn(warning));
    // Every project gets its extra targets, `metadata.help`, the target names chosen in nx.json and its targetGroups.
    const projects: Record<string, ProjectConfiguration> = {
      [stackDir]: withNamesAndGroups(stackProject(spec), { summary: summaryTarget(stackDir) }, normalized.targetNames),
    };
    for (const image of spec.images) {
      const root = `${stackDir}/${image.name}`;
      const notBuilt = excludedTestPaths(join(context.workspaceRoot, root), stack.dockerfiles[image.name]);
      const imageInputs = ['{projectRoot}/**/*', ...notBuilt.map((path) => `!{projectRoot}/${path}${path.includes('/') ? '' : '/**/*'}`)];
      const project = imageProject(spec, image, root, normalized.python, imageInputs, buildAllInputs(spec, context.workspaceRoot));
      projects[root] = withNamesAndGroups(project, { serve: serveTarget(stackDir) }, normalized.targetNames);
    }
    return [[source, { projects }]];
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

/**
 * What a full rebuild refreshes (the rebuild generation, the external bases' digests: pipeline/rebuild-inputs.ts),
 * as printed by the plugin's script: part of the hash of every step that works on the image.
 */
const rebuildInput = (stackDir: string) => ({ runtime: `node node_modules/${PLUGIN}/dist/bin/rebuild-inputs.js ${stackDir}` });

/** Nx adds every npm package to a hash unless a target names its own: an image depends on none of them. */
const NO_NPM_PACKAGES = { externalDependencies: [] };

/** A step of the image's pipeline: the pipeline executor, told which step. */
function pipelineStep(step: StepName, spec: StackSpec, options: Record<string, unknown> = {}): Pick<TargetConfiguration, 'executor' | 'options'> {
  return { executor: `${PLUGIN}:pipeline`, options: { step, stackDir: spec.stackDir, ...options } };
}

/** A cached target of the image's pipeline: its executor and options, order, inputs, and the files its step writes. */
function cachedTarget(spec: StackSpec, image: ImageSpec) {
  return (
    executor: StepName | 'lint',
    description: string,
    dependsOn: TargetConfiguration['dependsOn'],
    inputs: TargetConfiguration['inputs'],
    options: Record<string, unknown> = {},
  ): TargetConfiguration => ({
    // Every step under one executor, so that Nx's batch mode can run a chain of them in one process.
    ...(executor === 'lint' ? { executor: `${PLUGIN}:lint`, options: { stackDir: spec.stackDir, ...options } } : pipelineStep(executor, spec, options)),
    dependsOn,
    inputs,
    // What the step writes, from the pipeline's one table; lint writes nothing.
    outputs: executor === 'lint' ? [] : stepFiles(executor, image.name).map((file) => `{workspaceRoot}/${file}`),
    cache: true,
    metadata: { description, technologies: ['docker'] },
  });
}

/** The image's pipeline: build, test, push, manifest and lint; integration-test and prune where the spec asks. */
function imageTargets(spec: StackSpec, image: ImageSpec, root: string, python: string): Record<string, TargetConfiguration> {
  const cached = cachedTarget(spec, image);
  // Every step after the build works on the image, so it depends on the ancestors' inputs too.
  const rebuilt = rebuildInput(spec.stackDir);
  const tested = ['default', '^image', NO_NPM_PACKAGES, rebuilt];
  const pushed = [...tested, ...BRANCH_INPUTS];
  // The page shows the image (info commands, layers), not its tests: a test-only change keeps it.
  const documented = ['image', '^image', NO_NPM_PACKAGES, rebuilt, ...BRANCH_INPUTS];
  const targets: Record<string, TargetConfiguration> = {
    build: cached(
      'build',
      `docker build ${image.imageName} with BASE_TAG = the parent's tag`,
      // On the parent's tested image: a parent that fails its tests stops its descendants.
      ['^test'],
      // Exactly the image's identity (pipeline/build-inputs.ts); the build format rides in as an option.
      ['image', '^image', NO_NPM_PACKAGES, rebuilt],
      { buildFormat: BUILD_FORMAT_VERSION },
    ),
    test: cached(
      'test',
      `pytest ${spec.stackDir}/tests_common and ${root}/test against the built image`,
      ['build'],
      tested,
      { python },
    ),
    push: cached('push', `push ${image.imageName} to its registry (after its tests passed)`, ['test'], pushed),
    // An image with integration tests gets its page only once they passed.
    manifest: cached(
      'manifest',
      'write the Markdown manifest page: info commands and layer history',
      image.integrationTests ? ['push', 'integration-test'] : ['push'],
      documented,
    ),
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
    ...pipelineStep('prune', spec),
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

function imageProject(spec: StackSpec, image: ImageSpec, root: string, python: string, imageInputs: string[], shared: string[]): ProjectConfiguration {
  return {
    name: image.name,
    root,
    projectType: 'application',
    tags: ['docker-image'],
    implicitDependencies: image.dependOn ? [image.dependOn] : [],
    namedInputs: {
      // The folder minus its test folders, but with the test files its Dockerfile copies in.
      image: [...imageInputs, ...shared],
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
      'tag-unchanged': {
        executor: `${PLUGIN}:tag-unchanged`,
        options,
        cache: false,
        metadata: { description: 'give every image <prefix>-<branch> by a registry-side copy of its content tag (no pull, no build): the unchanged images after nx affected on main' },
      },
      'new-generation': {
        executor: `${PLUGIN}:new-generation`,
        options,
        cache: false,
        metadata: { description: 'move the rebuild generation on in the registry before a full rebuild: no image built before it is reused' },
      },
      wiki: {
        executor: `${PLUGIN}:wiki`,
        options,
        cache: false,
        metadata: { description: 'put this build\'s manifest pages into wiki/ (a build adds no Home.md row; promotion does)' },
      },
      gc: {
        executor: `${PLUGIN}:gc`,
        options,
        cache: false,
        metadata: { description: 'list (or with --yes delete) content tags build-<hash> no kept tag points to, older than --keep-days (30)' },
      },
    },
  };
}
