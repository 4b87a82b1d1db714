import { manifestPageName } from '../../pipeline/outputs';
import { captureLogger } from '../../../testing/capture-logger';
import { digestOf } from '../../../testing/fake-registry';
import { pushImage, STACK_IMAGES, useRegistryStack } from '../../../testing/registry-stack';
import { useStepWorkspace } from '../../../testing/step-workspace';
import promoteExecutor from './executor';
import type { PromoteExecutorOptions } from './schema';

const REVISION = 'b'.repeat(40);
const LABELS = { 'org.opencontainers.image.revision': REVISION };

describe('promote executor', () => {
  const workspace = useStepWorkspace();
  const stack = useRegistryStack(workspace);
  const reference = stack.reference;
  let logged: string[];

  beforeEach(() => {
    stack.registries().forEach((registry, index) => {
      pushImage(registry, '2026.3-main', index + 1, `2026-07-0${index + 1}T00:00:00Z`, LABELS);
      workspace().write(`manifests/${manifestPageName(reference(index, '2026.3-main'))}`, `# ${STACK_IMAGES[index]}\n`);
    });
    logged = captureLogger();
  });

  const promote = (options: Partial<PromoteExecutorOptions> = {}) => promoteExecutor({ stackDir: 'images', tag: '2026.3-main', ...options }, workspace().context('stack', 'promote'));

  it('points every <prefix>-stable tag at its source manifest and adds the Home.md row of the built commit', async () => {
    expect(await promote()).toEqual({ success: true });
    for (const registry of stack.registries()) {
      expect(registry.tags.get('2026.3-stable')).toBe(registry.tags.get('2026.3-main'));
    }
    const home = workspace().read('wiki/Home.md');
    expect(home).toContain(REVISION.slice(0, 7));
    STACK_IMAGES.forEach((image, index) => {
      expect(home).toContain(reference(index, '2026.3-stable'));
      expect(workspace().read(`wiki/${manifestPageName(reference(index, '2026.3-stable'))}`)).toBe(`# ${image}\n`);
    });
    expect(workspace().read('artifacts/promotion/targets.txt')).toBe(`${[0, 1, 2].map((index) => reference(index, '2026.3-stable')).join('\n')}\n`);
  });

  it('writes nothing to the registries or the wiki on a dry run, but leaves the lists for reviewers', async () => {
    expect(await promote({ dryRun: true })).toEqual({ success: true });
    expect(stack.writes()).toEqual([]);
    expect(workspace().exists('wiki')).toBe(false);
    expect(workspace().read('artifacts/promotion/sources.txt')).toBe(`${[0, 1, 2].map((index) => reference(index, '2026.3-main')).join('\n')}\n`);
  });

  it('tags nothing when one source tag is missing, naming the image and its reference', async () => {
    stack.registries()[2].tags.delete('2026.3-main');
    expect(await promote()).toEqual({ success: false });
    expect(stack.writes()).toEqual([]);
    expect(logged.at(-1)).toBe(`error: stack:promote failed: Nothing was tagged: the registry lacks 1 source tag(s):\n  - grandchild (${reference(2, '2026.3-main')})`);
  });

  it('stops at a registry that stores another digest than the source\'s, before the later tags and the wiki', async () => {
    const expected = stack.registries()[1].tags.get('2026.3-main');
    stack.registries()[1].fault = (request, response) =>
      request.method === 'PUT' && Boolean(response.writeHead(201, { 'docker-content-digest': digestOf(Buffer.from('rewritten')) }).end());
    expect(await promote()).toEqual({ success: false });
    expect(logged.at(-1)).toBe(
      `error: stack:promote failed: child: writing ${reference(1, '2026.3-stable')} failed: got digest ${digestOf(Buffer.from('rewritten'))}, ` +
        `expected ${expected}. 1 of 3 tag(s) moved (base); run the same promotion again to finish it.`,
    );
    expect(stack.registries()[2].tags.has('2026.3-stable')).toBe(false);
    expect(workspace().exists('wiki/Home.md')).toBe(false);
  });
});
