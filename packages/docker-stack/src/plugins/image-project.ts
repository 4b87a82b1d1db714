import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_FORMAT_VERSION } from '../pipeline/build-inputs';
import { stepFiles, type StepName } from '../pipeline/outputs';
import { STACK_PLATFORM } from '../pipeline/stack-platform';
import { childrenOf, type ImageSpec, type StackSpec } from '../stack/model';
import { PLUGIN } from './plugin-name';

/** Where the branch tag comes from (see registry/tags.ts): a push to another branch must push again. */
const BRANCH_INPUTS = [{ env: 'GITHUB_HEAD_REF' }, { env: 'GITHUB_REF_NAME' }, { runtime: 'git rev-parse --abbrev-ref HEAD' }];

export /** The inputs every image shares: the stack's `BuildAll` entries, each a folder or a file. */
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
    outputs: executor === 'lint' ? [] : stepFiles(executor, image.name, image.platforms).map((file) => `{workspaceRoot}/${file}`),
    cache: true,
    metadata: { description, technologies: ['docker'] },
  });
}

/** The image's pipeline: build, test, push, manifest and lint; integration-test and prune where the spec asks. */
function imageTargets(spec: StackSpec, image: ImageSpec, root: string, python: string): Record<string, TargetConfiguration> {
  const cached = cachedTarget(spec, image);
  // Every step after the build works on the image, so it depends on the ancestors' inputs too.
  const rebuilt = rebuildInput(spec.stackDir);
  // A runner of one platform does that platform's share: another platform's runner must not restore it.
  const platform = image.platforms.length > 0 ? [{ env: STACK_PLATFORM }] : [];
  const built = ['image', '^image', NO_NPM_PACKAGES, rebuilt, ...platform];
  const tested = ['default', '^image', NO_NPM_PACKAGES, rebuilt, ...platform];
  const pushed = [...tested, ...BRANCH_INPUTS];
  // The page shows the image (info commands, layers), not its tests: a test-only change keeps it.
  const documented = [...built, ...BRANCH_INPUTS];
  const targets: Record<string, TargetConfiguration> = {
    build: cached(
      'build',
      `docker build ${image.imageName} with BASE_TAG = the parent's tag`,
      // On the parent's tested image: a parent that fails its tests stops its descendants.
      ['^test'],
      // Exactly the image's identity (pipeline/build-inputs.ts); the build format rides in as an option.
      built,
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

export function imageProject(spec: StackSpec, image: ImageSpec, root: string, python: string, imageInputs: string[], shared: string[]): ProjectConfiguration {
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
