import { createNodesFromFiles, logger, type CreateNodes, type CreateNodesContext, type ProjectConfiguration } from '@nx/devkit';
import { hashObject, hashWithWorkspaceContext, PluginCache, workspaceDataDirectory } from '@nx/devkit/internal';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { baseImageWarnings } from '../lint/base-image';
import { excludedTestPaths } from '../pipeline/build-inputs';
import { StackSpecError } from '../stack/errors';
import { loadStack } from '../stack/load';
import { CHANGE_IGNORE_FILE, IMAGE_TEST_FOLDERS, SPEC_FILE } from '../stack/model';
import { filesUnder } from '../util/files-under';
import { serveTarget, summaryTarget } from './extra-targets';
import { buildAllInputs, imageProject } from './image-project';
import { invalidStackProject } from './invalid-stack';
import { normalizePluginOptions, type DockerStackPluginOptions } from './options';
import { PLUGIN, STACK_PROJECT } from './plugin-name';
import { stackProject } from './stack-project';
import { withNamesAndGroups } from './target-names';

export type { DockerStackPluginOptions } from './options';

/** One stack's projects, and the warnings to print whenever they are used (from the cache too). */
export interface InferredStack {
  projects: Record<string, ProjectConfiguration>;
  warnings: string[];
}

export const createNodes: CreateNodes<DockerStackPluginOptions> = [
  // nx.json always matches, so a stack folder without spec.yml (or a stackDir typo) is reported, not skipped.
  `{nx.json,**/${SPEC_FILE}}`,
  async (matchedFiles, options, context) => {
    const { stackDir } = normalizePluginOptions(options);
    const specFile = `${stackDir}/${SPEC_FILE}`;
    // The stack's nodes hang on its spec.yml, or on nx.json when that is missing (then the stack reports it).
    const source = matchedFiles.includes(specFile) ? specFile : 'nx.json';
    const cache = new PluginCache<InferredStack>(join(workspaceDataDirectory, `docker-stack-${hashObject(options ?? {})}.hash`));
    try {
      return await createNodesFromFiles(
        async (file, options, context) => (file === source ? { projects: (await cachedStack(cache, options, context)).projects } : {}),
        [source],
        options,
        context,
      );
    } finally {
      cache.writeToDisk();
    }
  },
];

/**
 * The stack's projects from the cache when nothing that inference reads has changed: the plugin's own code, its
 * options, and the stack files below (hashed by Nx's file hasher, so a hit costs no file read).
 */
async function cachedStack(cache: PluginCache<InferredStack>, options: DockerStackPluginOptions | undefined, context: CreateNodesContext): Promise<InferredStack> {
  const { stackDir } = normalizePluginOptions(options);
  const key = [pluginFingerprint(), hashObject(options ?? {}), await hashWithWorkspaceContext(context.workspaceRoot, inferenceInputs(stackDir))].join(':');
  const cached = cache.get(key);
  if (cached) {
    cached.warnings.forEach((warning) => logger.warn(warning));
    return cached;
  }
  const inferred = inferStack(options, context.workspaceRoot);
  // A stack that does not load is inferred again each time: its error is printed, and a fix shows at once.
  if (!inferred.invalid) {
    cache.set(key, inferred);
  }
  return inferred;
}

/** What inference reads besides the spec's own lists: the Dockerfiles, the test folders, and the ignore files. */
function inferenceInputs(stackDir: string): string[] {
  return [
    `${stackDir}/${SPEC_FILE}`,
    `${stackDir}/${CHANGE_IGNORE_FILE}`,
    `${stackDir}/*/Dockerfile`,
    ...IMAGE_TEST_FOLDERS.map((folder) => `${stackDir}/*/${folder}/**/*`),
    '.nxignore',
    '.gitignore',
    `${stackDir}/.gitignore`,
  ];
}

let fingerprint: string | undefined;
const stamp = ({ size, mtimeMs }: { size: number; mtimeMs: number }) => `${size}\0${mtimeMs}`;
/**
 * The plugin's compiled code, by each file's size and modification time (a stat, not a read: this runs on every
 * nx command): a new or recompiled plugin never gets an older one's projects.
 */
function pluginFingerprint(): string {
  const root = join(__dirname, '..');
  fingerprint ??= createHash('sha256')
    .update(filesUnder(root).map((file) => `${file}\0${stamp(statSync(join(root, file)))}`).join('\0'))
    .digest('hex')
    .slice(0, 16);
  return fingerprint;
}

/** Reads the stack and infers its projects: one per image and the `stack` project (or a failing one, and why). */
export function inferStack(options: DockerStackPluginOptions | undefined, workspaceRoot: string): InferredStack & { invalid?: true } {
  const normalized = normalizePluginOptions(options);
  const { stackDir, targetNames } = normalized;
  let stack: ReturnType<typeof loadStack>;
  try {
    stack = loadStack(workspaceRoot, stackDir);
  } catch (error) {
    if (!(error instanceof StackSpecError)) {
      throw error;
    }
    // Shown when Nx runs the plugin in its own process (NX_DAEMON=false); the targets print it in any case.
    logger.error(`${error.message}\nEvery target of the "${STACK_PROJECT}" project fails until this is fixed.`);
    return { projects: { [stackDir]: withNamesAndGroups(invalidStackProject(stackDir, PLUGIN), {}, targetNames) }, warnings: [], invalid: true };
  }
  const { spec } = stack;
  // The FROM/BASE_TAG lint rule is only a warning here: the graph loads, and `nx lint <image>` fails.
  const warnings = [...baseImageWarnings(stack), ...stack.warnings];
  warnings.forEach((warning) => logger.warn(warning));
  // Every project gets its extra targets, `metadata.help`, the target names chosen in nx.json and its targetGroups.
  const projects: Record<string, ProjectConfiguration> = {
    [stackDir]: withNamesAndGroups(stackProject(spec), { summary: summaryTarget(stackDir) }, targetNames),
  };
  for (const image of spec.images) {
    const root = `${stackDir}/${image.name}`;
    const notBuilt = excludedTestPaths(join(workspaceRoot, root), stack.dockerfiles[image.name]);
    const imageInputs = ['{projectRoot}/**/*', ...notBuilt.map((path) => `!{projectRoot}/${path}${path.includes('/') ? '' : '/**/*'}`)];
    const project = imageProject(spec, image, root, normalized.python, imageInputs, buildAllInputs(spec, workspaceRoot));
    projects[root] = withNamesAndGroups(project, { serve: serveTarget(stackDir) }, targetNames);
  }
  return { projects, warnings };
}
