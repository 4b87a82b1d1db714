import { platformTag } from '../registry/tags';

/**
 * Where the pipeline leaves its files, relative to the workspace root, so CI can upload them:
 * `artifacts/<image>/<step>.json` (a step's result), `logs/<image>/<step>.log`, `manifests/` and `wiki/` pages, and `artifacts/summary.md`.
 */
export const ARTIFACTS_DIR = 'artifacts';
export const LOGS_DIR = 'logs';
export const MANIFESTS_DIR = 'manifests';
/** The build report of `stack:summary`, in the artifacts folder. */
export const SUMMARY_FILE = 'summary.md';

export type StepName = 'build' | 'test' | 'push' | 'integration-test' | 'manifest' | 'prune';

export const artifactPath = (image: string, step: string) => `${ARTIFACTS_DIR}/${image}/${step}.json`;
export const logPath = (image: string, step: string) => `${LOGS_DIR}/${image}/${step}.log`;
/** JUnit XML report of a pytest step, for CI to show; one per platform for a multi-platform image. */
export const junitPath = (image: string, step: string, platform?: string) => `${ARTIFACTS_DIR}/${image}/${platform ? platformTag(step, platform) : step}.xml`;
/**
 * A manifest page is named after the full image name as the former pipeline named it, so existing wikis go on:
 * every `/` and `:` becomes `-` and `ghcr.io` is written `ghcr-io` (`ghcr-io-org-name-2026.3-main.md`).
 */
export const manifestPageName = (fullImageName: string) =>
  `${fullImageName.replace(/ghcr\.io/g, 'ghcr-io').replace(/[/:]/g, '-')}.md`;
/** The page under a fixed name, so Nx can cache it; the executor also copies it to `manifests/` and `wiki/`. */
export const manifestCopyPath = (image: string) => `${ARTIFACTS_DIR}/${image}/manifest.md`;

/** What each step writes besides its result file: the one table that the step runner and the plugin's `outputs` read. */
const STEP_FILES: Record<StepName, { log?: boolean; junit?: boolean; page?: boolean }> = {
  build: { log: true },
  test: { junit: true, log: true },
  push: {},
  'integration-test': { junit: true, log: true },
  manifest: { page: true },
  prune: {},
};

/** Whether the step keeps its output in `logs/<image>/<step>.log`. */
export const hasLog = (step: StepName) => STEP_FILES[step].log === true;

/** A pytest step's JUnit files: one, or one per platform of a multi-platform image. */
export const junitPaths = (image: string, step: string, platforms: string[]) =>
  platforms.length > 0 ? platforms.map((platform) => junitPath(image, step, platform)) : [junitPath(image, step)];

/** Every file a step of `image` writes, workspace-relative: its result file first. */
export function stepFiles(step: StepName, image: string, platforms: string[] = []): string[] {
  const files = STEP_FILES[step];
  return [
    artifactPath(image, step),
    ...(files.junit ? junitPaths(image, step, platforms) : []),
    ...(files.log ? [logPath(image, step)] : []),
    ...(files.page ? [manifestCopyPath(image)] : []),
  ];
}
