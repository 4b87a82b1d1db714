import type { ImageInspectInfo } from 'dockerode';
import { createHash } from 'node:crypto';
import type { BuildRequest, BuildStep } from '../src/docker/build-types';
import { DockerEngine, type HistoryEntry } from '../src/docker/docker-engine';
import type { ImageStore } from '../src/docker/image-store';
import * as rebuildInputs from '../src/pipeline/rebuild-inputs';

/** The part of DockerEngine the executors call; the fake implements exactly this, so a new call shows up here. */
type EngineMethod = 'build' | 'inspect' | 'pull' | 'inRegistry' | 'imageStore' | 'platform' | 'tag' | 'push' | 'history' | 'runCommands' | 'removeImages' | 'pruneDangling' | 'layersSize';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** The rebuild generation every fake build sees. */
export const FAKE_GENERATION = 'fake-generation';

/** Bytes each fake image takes, so prune has something to reclaim. */
export const FAKE_IMAGE_SIZE = 1000;

/**
 * An in-memory Docker engine and registry for unit tests of the steps: images by id with their labels, local
 * references and registry references pointing at ids. Every call is recorded in `calls`; `failing` makes a method
 * throw the given message, the way dockerode's errors reach the steps.
 */
export class FakeDockerEngine implements Pick<DockerEngine, EngineMethod> {
  readonly images = new Map<string, { labels: Record<string, string> }>();
  /** Local references (`repo:tag`) -> image id. */
  readonly local = new Map<string, string>();
  /** Registry references (`repo:tag`) -> image id. */
  readonly registry = new Map<string, string>();
  readonly builds: BuildRequest[] = [];
  readonly calls: string[] = [];
  readonly failing = new Map<EngineMethod, string>();
  /** Where the fake keeps its images, as `docker info` would say. */
  store: ImageStore = 'classic';
  private buildCount = 0;

  /** Makes `DockerEngine.connect` hand out this fake (call inside a test or a beforeEach: jest restores it). */
  install(): this {
    jest.spyOn(DockerEngine, 'connect').mockResolvedValue(this as unknown as DockerEngine);
    // The generation lives in the stack's registry: a fixed one here, so unit tests ask no registry.
    jest.spyOn(rebuildInputs, 'readRebuildInputs').mockResolvedValue({ generation: FAKE_GENERATION, bases: {} });
    return this;
  }

  /** An image as if built earlier (on this runner, or pushed by another), under the given local references. */
  addImage(references: string[], labels: Record<string, string> = {}): string {
    const id = sha256(`image ${++this.buildCount} ${references.join(',')}`);
    this.images.set(id, { labels });
    references.forEach((reference) => this.local.set(reference, id));
    return id;
  }

  /** The image id a local reference or id names. */
  idOf(reference: string): string | undefined {
    return this.images.has(reference) ? reference : this.local.get(reference);
  }

  private call(method: EngineMethod, argument: string): void {
    this.calls.push(`${method} ${argument}`);
    const failure = this.failing.get(method);
    if (failure) {
      throw new Error(failure);
    }
  }

  async build(request: BuildRequest): Promise<{ imageId: string; steps: BuildStep[] }> {
    this.call('build', request.tags.join(' '));
    this.builds.push(request);
    request.onOutput('Step 1/1 : RUN true\n');
    const steps = [{ step: 'Step 1/1 : RUN true', seconds: 0.5, cached: false }];
    return { imageId: this.addImage(request.tags, request.labels), steps };
  }

  async inspect(reference: string): Promise<ImageInspectInfo | undefined> {
    this.call('inspect', reference);
    const id = this.idOf(reference);
    return id ? ({ Id: id } as ImageInspectInfo) : undefined;
  }

  async pull(reference: string, log: (line: string) => void): Promise<boolean> {
    this.call('pull', reference);
    const id = this.registry.get(reference);
    if (!id) {
      log(`${reference} not pulled: manifest unknown`);
      return false;
    }
    this.images.set(id, this.images.get(id) ?? { labels: {} });
    this.local.set(reference, id);
    return true;
  }

  async platform(): Promise<string> {
    this.call('platform', '');
    return 'linux/amd64';
  }

  async imageStore(): Promise<ImageStore> {
    this.call('imageStore', '');
    return this.store;
  }

  async inRegistry(reference: string): Promise<boolean> {
    this.call('inRegistry', reference);
    return this.registry.has(reference);
  }

  async tag(source: string, reference: string): Promise<void> {
    this.call('tag', `${source} ${reference}`);
    this.local.set(reference, this.require(source));
  }

  async push(reference: string): Promise<string> {
    this.call('push', reference);
    const id = this.require(reference);
    this.registry.set(reference, id);
    return sha256(`manifest of ${id}`);
  }

  async history(reference: string): Promise<HistoryEntry[]> {
    this.call('history', reference);
    this.require(reference);
    return [{ created: new Date('2026-07-01T00:00:00Z'), createdBy: '/bin/sh -c true', size: FAKE_IMAGE_SIZE }];
  }

  async runCommands(reference: string, commands: string[]): Promise<{ exitCode: number; output: string }[]> {
    this.call('runCommands', `${reference} ${commands.join(' | ')}`);
    this.require(reference);
    return commands.map((command) => ({ exitCode: 0, output: `output of ${command}\n` }));
  }

  /** Removing an image's last reference deletes it, as `docker rmi` does. */
  async removeImages(references: string[]): Promise<string[]> {
    this.call('removeImages', references.join(' '));
    const removed = references.filter((reference) => this.local.has(reference));
    for (const reference of removed) {
      const id = this.local.get(reference)!;
      this.local.delete(reference);
      if (![...this.local.values()].includes(id)) {
        this.images.delete(id);
      }
    }
    return removed;
  }

  /** Deletes the untagged images carrying `key=value`; returns the bytes freed. */
  async pruneDangling(label: string): Promise<number> {
    this.call('pruneDangling', label);
    const [key, value] = label.split('=');
    const tagged = new Set(this.local.values());
    const dangling = [...this.images].filter(([id, image]) => !tagged.has(id) && image.labels[key] === value);
    dangling.forEach(([id]) => this.images.delete(id));
    return dangling.length * FAKE_IMAGE_SIZE;
  }

  async layersSize(): Promise<number> {
    this.call('layersSize', '');
    return this.images.size * FAKE_IMAGE_SIZE;
  }

  private require(reference: string): string {
    const id = this.idOf(reference);
    if (!id) {
      throw Object.assign(new Error(`No such image: ${reference}`), { statusCode: 404 });
    }
    return id;
  }
}

/** A fresh fake per test, installed as the engine `DockerEngine.connect` hands out (after useStepWorkspace). */
export function useFakeDocker(): () => FakeDockerEngine {
  let fake: FakeDockerEngine | undefined;
  beforeEach(() => {
    fake = new FakeDockerEngine().install();
  });
  return () => fake!;
}
