import { join } from 'node:path';
import { writeJson } from '../../pipeline/step';
import { captureLogger } from '../../../testing/capture-logger';
import { useStepWorkspace } from '../../../testing/step-workspace';
import wikiExecutor from './executor';

describe('wiki executor', () => {
  const workspace = useStepWorkspace();
  let logged: string[];

  beforeEach(() => {
    logged = captureLogger();
  });

  /** A manifest result and its page, as the manifest step (or Nx's cache) leaves them. */
  function manifested(image: string, success = true): void {
    writeJson(join(workspace().root, `artifacts/${image}/manifest.json`), { success, fullName: `ghcr.io/org/${image}:2026.3-main` });
    workspace().write(`artifacts/${image}/manifest.md`, `# page of ${image}\n`);
  }

  it('copies the manifest page of every image that has one into the wiki folder, under its full name', async () => {
    manifested('base');
    manifested('child');
    manifested('grandchild', false);
    expect(await wikiExecutor({ stackDir: 'images', wikiDir: 'wiki-checkout' }, workspace().context('stack', 'wiki'))).toEqual({ success: true });
    expect(workspace().read('wiki-checkout/ghcr-io-org-base-2026.3-main.md')).toBe('# page of base\n');
    expect(workspace().read('wiki-checkout/ghcr-io-org-child-2026.3-main.md')).toBe('# page of child\n');
    expect(workspace().exists('wiki-checkout/ghcr-io-org-grandchild-2026.3-main.md')).toBe(false);
    expect(logged).toEqual(['info: Put 2 manifest page(s) into wiki-checkout/: ghcr-io-org-base-2026.3-main.md, ghcr-io-org-child-2026.3-main.md']);
  });

  it('fails, saying which target to run, when no image has a manifest', async () => {
    expect(await wikiExecutor({ stackDir: 'images' }, workspace().context('stack', 'wiki'))).toEqual({ success: false });
    expect(logged).toEqual(['error: No image has a manifest in artifacts/: run the manifest target first (npx nx run-many -t manifest).']);
    expect(workspace().exists('wiki')).toBe(false);
  });
});
