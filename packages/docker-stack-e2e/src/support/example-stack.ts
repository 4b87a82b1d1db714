import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { removeImagesUnder, REGISTRY } from './docker';
import { REPO_ROOT, TempWorkspace, uniqueId } from './workspace';

/** The example stack (4 images, 3 levels, on the local busybox base image): see tools/example-stack. */
export const EXAMPLE = join(REPO_ROOT, 'tools/example-stack/images');
export const IMAGES = ['example-base', 'example-python', 'example-ml', 'example-r'];
export const PIPELINE = ['build', 'test', 'push', 'integration-test', 'manifest'];
/** The targets of CI's main job, in the order .github/workflows/main.yml lists them. */
export const CI_TARGETS = [...PIPELINE, 'prune'];
export const MAIN_TAG = '2026.3-main';

/**
 * The example stack in a workspace of its own, under a registry namespace of its own (`e2e-<id>`), so suites
 * and runs on the shared engine and registry never see each other's images.
 */
export class ExampleStack {
  readonly namespace = `e2e-${uniqueId()}`;
  readonly ws: TempWorkspace;

  constructor(name: string) {
    this.ws = new TempWorkspace(name);
    this.ws.copyStack(EXAMPLE, [[`${REGISTRY}/datahub-example/`, `${REGISTRY}/${this.namespace}/`]]);
    // The wiki links' address when GITHUB_SERVER_URL/GITHUB_REPOSITORY are not set.
    this.ws.git('remote', 'add', 'origin', 'https://github.com/ucsd-ets/datahub-docker-stack.git');
    this.ws.commit('example stack');
  }

  /** The repository path in the registry, e.g. `e2e-x/example-base`. */
  path(image: string): string {
    return `${this.namespace}/${image}`;
  }

  repository(image: string): string {
    return `${REGISTRY}/${this.path(image)}`;
  }

  reference(image: string, tag = MAIN_TAG): string {
    return `${this.repository(image)}:${tag}`;
  }

  /** Manifest pages are named after the full image name, with `/` and `:` made `-`. */
  page(image: string, tag = MAIN_TAG): string {
    return this.reference(image, tag).replace(/[/:]/g, '-');
  }

  /** The image ids of the recorded builds (artifacts/<image>/build.json). */
  buildIds(images = IMAGES): Record<string, string> {
    return Object.fromEntries(images.map((image) => [image, this.build(image).imageId as string]));
  }

  build(image: string): Record<string, any> {
    return JSON.parse(this.ws.read(`artifacts/${image}/build.json`));
  }

  /** A new branch from `main` with a line no other build has appended to a file of the stack (created if need be). */
  branchWithChange(branch: string, file: string): void {
    this.ws.git('checkout', '-q', '-B', branch, 'main');
    const path = `images/${file}`;
    this.ws.write(path, `${existsSync(this.ws.path(path)) ? this.ws.read(path) : ''}${branch} ${uniqueId()}\n`);
    this.ws.commit(`change ${file} on ${branch}`);
  }

  async remove(): Promise<void> {
    await removeImagesUnder(`${REGISTRY}/${this.namespace}/`);
    this.ws.remove();
  }
}
