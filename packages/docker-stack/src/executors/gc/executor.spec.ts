import { logger, type ExecutorContext } from '@nx/devkit';
import { captureLogger } from '../../../testing/capture-logger';
import { pushImage, useRegistryStack } from '../../../testing/registry-stack';
import { useStepWorkspace } from '../../../testing/step-workspace';
import gcExecutor from './executor';

describe('gcExecutor', () => {
  it.each([-1, Number.NaN])('refuses --keep-days=%s before reading anything', async (keepDays) => {
    const errors: string[] = [];
    jest.spyOn(logger, 'error').mockImplementation((message: string) => void errors.push(message));
    const context = { root: '/nonexistent' } as ExecutorContext;
    expect(await gcExecutor({ stackDir: 'images', keepDays }, context)).toEqual({ success: false });
    expect(errors).toEqual([`stack:gc failed: --keep-days must be a number of days, 0 or more, not "${keepDays}"`]);
  });
});

describe('gcExecutor on content-addressed registries', () => {
  const workspace = useStepWorkspace();
  const stack = useRegistryStack(workspace);
  const OLD = '2020-01-01T00:00:00Z';
  let digests: Record<string, string>;
  let logged: string[];

  beforeEach(() => {
    const registry = stack.registries()[0];
    const kept = pushImage(registry, '2026.3-main', 1, OLD);
    registry.tags.set('build-kept', kept); // shares its digest with a branch tag: kept
    digests = { kept, old: pushImage(registry, 'build-old', 2, OLD), young: pushImage(registry, 'build-young', 3, new Date().toISOString()) };
    logged = captureLogger();
  });

  const gc = (yes: boolean) => gcExecutor({ stackDir: 'images', keepDays: 30, yes }, workspace().context('stack', 'gc'));
  const held = () => [...stack.registries()[0].blobs.keys()].filter((digest) => Object.values(digests).includes(digest)).sort();

  it('lists, on a dry run, only the old content tags no kept tag points to, and deletes nothing', async () => {
    expect(await gc(false)).toEqual({ success: true });
    expect(stack.writes()).toEqual([]);
    expect(logged).toContainEqual(expect.stringMatching(new RegExp(`^info: would delete: ${stack.reference(0, 'build-old')} \\(${digests.old}, created 2020-01-01`)));
    expect(logged).toContainEqual(`info: ${stack.registries()[0].host}/org/img: 1 unreferenced content tag(s) younger than 30 days kept`);
    expect(logged.filter((line) => line.includes('build-kept'))).toEqual([]);
  });

  it('deletes them with --yes, and only them', async () => {
    expect(await gc(true)).toEqual({ success: true });
    expect(held()).toEqual([digests.kept, digests.young].sort());
    expect(logged.at(-1)).toBe('info: Deleted 1 digest(s). The registry frees their layers on its next garbage collection.');
  });

  it('deletes nothing and says how to enable deletes when the registry refuses them', async () => {
    stack.registries()[0].deletes = false;
    expect(await gc(true)).toEqual({ success: false });
    expect(held()).toEqual(Object.values(digests).sort());
    expect(logged.at(-1)).toMatch(new RegExp(`^error: stack:gc failed: the registry ${stack.registries()[0].host} has deletes disabled \\(HTTP 405 UNSUPPORTED\\); nothing was deleted\\.`));
  });
});
