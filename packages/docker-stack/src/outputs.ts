/**
 * Where the pipeline leaves its files, relative to the workspace root, so CI can upload them:
 * `artifacts/<image>/<step>.json` (a step's result), `logs/<image>/<step>.log`, `manifests/` and `wiki/` pages.
 */
export const ARTIFACTS_DIR = 'artifacts';
export const LOGS_DIR = 'logs';
export const MANIFESTS_DIR = 'manifests';
export const WIKI_DIR = 'wiki';

export const artifactPath = (image: string, step: string) => `${ARTIFACTS_DIR}/${image}/${step}.json`;
export const logPath = (image: string, step: string) => `${LOGS_DIR}/${image}/${step}.log`;
/** JUnit XML report of a pytest step, for CI to show. */
export const junitPath = (image: string, step: string) => `${ARTIFACTS_DIR}/${image}/${step}.xml`;
/** A manifest page is named after the full image name, as the wiki links it: `ghcr.io-org-name-2026.3-main.md`. */
export const manifestPageName = (fullImageName: string) => `${fullImageName.replace(/[/:]/g, '-')}.md`;

export const artifactFile = (image: string, step: string) => `{workspaceRoot}/${artifactPath(image, step)}`;
export const logFile = (image: string, step: string) => `{workspaceRoot}/${logPath(image, step)}`;
export const junitFile = (image: string, step: string) => `{workspaceRoot}/${junitPath(image, step)}`;
/** The page under a fixed name, so Nx can cache it; the executor also copies it to `manifests/` and `wiki/`. */
export const manifestCopyPath = (image: string) => `${ARTIFACTS_DIR}/${image}/manifest.md`;
