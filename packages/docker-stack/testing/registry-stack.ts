import { join } from 'node:path';
import { writeJson } from '../src/pipeline/step';
import { digestOf, FakeRegistry, PASSWORD } from './fake-registry';
import type { StepWorkspace } from './step-workspace';

export const STACK_IMAGES = ['base', 'child', 'grandchild'];

/** The stack's three images, each in its own content-addressed loopback registry (the fake knows one repository). */
function specText(registries: FakeRegistry[]): string {
  const entries = STACK_IMAGES.map((image, index) => {
    const parent = index === 0 ? '' : `    depend_on: ${STACK_IMAGES[index - 1]}\n`;
    return `  ${image}:\n    image_name: ${registries[index].host}/org/img\n${parent}`;
  });
  return `images:\n${entries.join('')}tag:\n  prefix: "2026.3"\n`;
}

/**
 * An image pushed under `tag`, its config carrying the creation time and the labels build writes (as gc and
 * promote read them); returns the manifest digest. `n` makes each image's content distinct.
 */
export function pushImage(registry: FakeRegistry, tag: string, n: number, created: string, labels: Record<string, string> = {}): string {
  const config = Buffer.from(JSON.stringify({ created, config: { Labels: labels } }));
  registry.blobs.set(digestOf(config), config);
  return registry.put(tag, JSON.stringify({ schemaVersion: 2, config: { digest: digestOf(config) }, n }));
}

/**
 * Per test: the workspace's spec rewritten to put each image in its own fake registry, with their credentials in
 * a DOCKER_CONFIG of the workspace (useStepWorkspace restores the variable).
 */
export function useRegistryStack(workspace: () => StepWorkspace) {
  let registries: FakeRegistry[] = [];
  beforeEach(async () => {
    registries = await Promise.all(STACK_IMAGES.map(() => new FakeRegistry().start()));
    workspace().write('images/spec.yml', specText(registries));
    const auths = Object.fromEntries(registries.map((registry) => [registry.host, { auth: Buffer.from(`bot:${PASSWORD}`).toString('base64') }]));
    writeJson(join(workspace().root, 'docker-config/config.json'), { auths });
    process.env.DOCKER_CONFIG = join(workspace().root, 'docker-config');
  });
  afterEach(() => Promise.all(registries.map((registry) => registry.stop())));
  return {
    registries: () => registries,
    reference: (index: number, tag: string) => `${registries[index].host}/org/img:${tag}`,
    /** Every PUT or DELETE any registry got. */
    writes: () => registries.flatMap((registry) => registry.requests.filter((request) => /^(PUT|DELETE)/.test(request))),
  };
}
