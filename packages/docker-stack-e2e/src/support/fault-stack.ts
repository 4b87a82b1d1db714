/**
 * A tiny generated stack (a root and two children, busybox-sized) pushing through a FaultProxy to a registry of
 * its own, for the fault suites. A suite makes one clean reference run first; every fault run then starts from
 * an empty registry and an empty Nx cache on the same commit, so its registry end state must equal the
 * reference's tag for tag, digest for digest (builds are reproducible: see pipeline/oci-labels.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { removeImagesUnder } from './docker';
import { FaultProxy, type SeenRequest } from './fault-proxy';
import { GENERATED_REGISTRY, nxignoreLines, writeGeneratedStack } from './generated-stack';
import { BASE_IMAGE } from './private-dockerd';
import { PrivateRegistry } from './private-registry';
import { cachedTasks, ranTasks, startNx, TempWorkspace, uniqueId, type NxResult, type RunningNx } from './workspace';

export const IMAGES = ['gen-l0-0', 'gen-l1-0', 'gen-l1-1'];
/** CI's main job without integration tests (the stack has none); promotion needs the manifest pages. */
export const PIPELINE = ['build', 'test', 'push', 'manifest'];
export const MAIN_TAG = '2026.3-main';
export const STABLE_TAG = '2026.3-stable';
export const ORIGIN = 'https://github.com/example/fault-stack.git';

/** `ns/<image>:<tag>` -> manifest digest, for every tag under the stack's namespace. */
export type RegistryState = Map<string, string>;

/** What dockerd pushes for these images: asked for by name, so the registry never converts it. */
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export class FaultStack {
  readonly namespace = `faults-${uniqueId()}`;
  /** Environment of every nx run (e.g. DOCKER_HOST of a private engine). */
  env: Record<string, string> = {};

  private constructor(
    readonly ws: TempWorkspace,
    readonly proxy: FaultProxy,
    public registry: PrivateRegistry,
  ) {}

  static async create(name: string): Promise<FaultStack> {
    const registry = await PrivateRegistry.start();
    const stack = new FaultStack(new TempWorkspace(name), await FaultProxy.start(registry.host), registry);
    const dir = mkdtempSync(join(tmpdir(), 'fault-stack-'));
    const write = (relative: string, text: string) => {
      mkdirSync(dirname(join(dir, relative)), { recursive: true });
      writeFileSync(join(dir, relative), text);
    };
    writeGeneratedStack({ write }, { levels: [1, 2] });
    stack.ws.copyStack(join(dir, 'images'), [
      [GENERATED_REGISTRY, `${stack.proxy.host}/${stack.namespace}`],
      ['FROM busybox:1.36', `FROM ${BASE_IMAGE}`],
    ]);
    rmSync(dir, { recursive: true, force: true });
    stack.ws.write('.nxignore', `${nxignoreLines().join('\n')}\n`);
    stack.ws.git('remote', 'add', 'origin', ORIGIN); // promotion links the wiki to the repository
    stack.ws.commit('fault stack');
    return stack;
  }

  /** `ns/<image>`: the repository path in the registry. */
  path(image: string): string {
    return `${this.namespace}/${image}`;
  }

  /** `ns/<image>:<tag>`: a key of RegistryState. */
  key(image: string, tag: string): string {
    return `${this.path(image)}:${tag}`;
  }

  /** The full reference the pipeline pushes, through the proxy. */
  reference(image: string, tag = MAIN_TAG): string {
    return `${this.proxy.host}/${this.path(image)}:${tag}`;
  }

  nx(args: string[], env: Record<string, string> = {}, ws = this.ws): RunningNx {
    // Detached: a test kills nx with its task processes, as a runner that dies takes them all.
    return startNx(ws, args, { ...this.env, ...env }, { detached: true });
  }

  /** The pipeline on every image, in the stack's workspace or in another checkout of the stack. */
  pipeline(env: Record<string, string> = {}, ws = this.ws): RunningNx {
    return this.nx(['run-many', '-t', ...PIPELINE, '--parallel=2'], env, ws);
  }

  promote(env: Record<string, string> = {}): RunningNx {
    return this.nx(['run', 'stack:promote', `--tag=${MAIN_TAG}`], env);
  }

  /** An empty registry behind the proxy (which passes requests again), and no Nx cache or step results. */
  async fresh(): Promise<void> {
    await this.registry.stop();
    this.registry = await PrivateRegistry.start();
    this.proxy.target = this.registry.host;
    await this.proxy.set('pass');
    forgetRuns(this.ws);
  }

  /** Every tag of the stack's images; a repository holding only blobs (a push cut before its manifest) has none. */
  async state(): Promise<RegistryState> {
    const state: RegistryState = new Map();
    for (const image of IMAGES) {
      const list = await fetch(`http://${this.registry.host}/v2/${this.path(image)}/tags/list`);
      const tags = list.status === 404 ? [] : (((await list.json()) as { tags: string[] | null }).tags ?? []);
      for (const tag of tags) {
        const manifest = await fetch(`http://${this.registry.host}/v2/${this.path(image)}/manifests/${tag}`, { headers: { accept: DOCKER_MANIFEST } });
        state.set(this.key(image, tag), manifest.headers.get('docker-content-digest') ?? `HTTP ${manifest.status}`);
      }
    }
    return state;
  }

  /**
   * What is wrong with the registry now, measured against a clean run's end state: a tag the clean run does not
   * have, a tag on another digest, or a tag whose manifest names a blob the registry lacks (a half-pushed image).
   * Tags still missing are not wrong: the re-run writes them.
   */
  async wrongTags(reference: RegistryState): Promise<string[]> {
    const wrong: string[] = [];
    for (const [key, digest] of await this.state()) {
      if (reference.get(key) !== digest) {
        wrong.push(`${key} is ${digest}, the clean run wrote ${reference.get(key) ?? 'no such tag'}`);
        continue;
      }
      const [repository, tag] = key.split(':');
      const manifest = await this.registry.manifest(repository, tag);
      for (const blob of [manifest.config, ...manifest.layers]) {
        const head = await fetch(`http://${this.registry.host}/v2/${repository}/blobs/${blob.digest}`, { method: 'HEAD' });
        if (head.status !== 200) {
          wrong.push(`${key} names blob ${blob.digest}, which the registry answers with HTTP ${head.status}`);
        }
      }
    }
    return wrong;
  }

  async remove(): Promise<void> {
    await this.proxy.stop();
    await this.registry.stop();
    await removeImagesUnder(`${this.proxy.host}/${this.namespace}/`);
    this.ws.remove();
  }
}

/** Deletes a workspace's Nx cache and step results: the next run starts as on a fresh runner (same engine). */
export function forgetRuns(ws: TempWorkspace): void {
  for (const folder of ['.nx', 'artifacts', 'logs', 'manifests', 'wiki']) {
    rmSync(ws.path(folder), { recursive: true, force: true });
  }
}

/** Waits for a run and fails with its output when it did not succeed. */
export async function succeeded(run: RunningNx): Promise<NxResult> {
  const result = await run.result;
  if (result.status !== 0) {
    throw new Error(`nx exited ${result.status}:\n${result.output.slice(-6000)}`);
  }
  return result;
}

/** The clean run every fault run is compared with: the pipeline from an empty registry and Nx cache. */
export async function referenceRun(stack: FaultStack): Promise<RegistryState> {
  await succeeded(stack.pipeline());
  return stack.state();
}

/** Triggers on a manifest PUT once `written` tags have been written: a later image's push, or a later tag. */
export const manifestPutAfter = (written: number) => (seen: SeenRequest) =>
  seen.method === 'PUT' && /\/manifests\//.test(seen.url) && seen.manifestPutsBefore >= written;

/** The tasks nx lists under "Failed tasks:" and "Tasks not run because their dependencies failed", one per line. */
export function failedTasks(result: NxResult): string[] {
  // Blanks within the line only: `\s` would reach over a newline and let a list count only its first entry.
  return [...result.output.matchAll(/^[ \t]*- ([\w-]+:[\w-]+)[ \t]*$/gm)].map((match) => match[1]);
}

/**
 * No Nx cache entry records failed work as done: every task that failed runs again in the re-run, while work
 * that succeeded is restored from the cache.
 */
export function expectOnlyFailuresRanAgain(failed: NxResult, rerun: NxResult): void {
  const failures = failedTasks(failed);
  expect(failures.length).toBeGreaterThan(0);
  const doneBefore = [...ranTasks(failed), ...cachedTasks(failed)].filter((task) => !failures.includes(task));
  expect(doneBefore.length).toBeGreaterThan(0);
  expect(ranTasks(rerun)).toEqual(expect.arrayContaining(failures));
  // Only those: nothing that had succeeded runs again, all of it comes back from the cache.
  expect(ranTasks(rerun).filter((task) => doneBefore.includes(task))).toEqual([]);
  expect(cachedTasks(rerun)).toEqual(expect.arrayContaining(doneBefore));
}
