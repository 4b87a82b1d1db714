import { join } from 'node:path';
import { writeJson } from '../../pipeline/step';
import { useFakeDocker } from '../../../testing/fake-docker-engine';
import { BRANCH_TAG, useStepWorkspace } from '../../../testing/step-workspace';
import manifestExecutor from './executor';

const BRANCH = `ghcr.io/org/base:${BRANCH_TAG}`;
const PAGE = 'ghcr-io-org-base-2026.3-main.md';

describe('manifest executor', () => {
  const workspace = useStepWorkspace();
  const fake = useFakeDocker();
  let imageId: string;

  beforeEach(() => {
    imageId = workspace().recordBuild('base', 'ghcr.io/org/base', fake().addImage([BRANCH])).imageId;
  });

  const manifest = (wikiDir?: string) => manifestExecutor({ stackDir: 'images', wikiDir }, workspace().context('base', 'manifest'));

  it('runs the info commands in the built image and writes the page to manifests/, the wiki and artifacts/', async () => {
    writeJson(join(workspace().root, 'artifacts/base/push.json'), { success: true, digest: 'sha256:pushed' });
    expect(await manifest('wiki-checkout')).toEqual({ success: true });
    expect(fake().calls).toContain(`runCommands ${BRANCH} python --version | pip list`);
    expect(workspace().result('base', 'manifest')).toMatchObject({
      image: 'base',
      step: 'manifest',
      success: true,
      fullName: BRANCH,
      page: PAGE,
      infoCommands: ['PY_VER', 'PIP_LIST'],
    });
    const page = workspace().read('artifacts/base/manifest.md');
    expect(page).toContain('output of python --version');
    expect(page).toContain('sha256:pushed');
    expect(page).toContain(imageId);
    expect([workspace().read(`manifests/${PAGE}`), workspace().read(`wiki-checkout/${PAGE}`)]).toEqual([page, page]);
    expect(workspace().exists(`wiki/${PAGE}`)).toBe(false);
  });

  it('fails naming the image and the step when a command cannot run, and writes no page', async () => {
    fake().failing.set('runCommands', 'OCI runtime create failed');
    expect(await manifest()).toEqual({ success: false });
    expect(workspace().result('base', 'manifest').messages).toEqual(['base:manifest failed: OCI runtime create failed']);
    expect(workspace().exists(`manifests/${PAGE}`)).toBe(false);
    expect(workspace().exists('artifacts/base/manifest.md')).toBe(false);
  });
});
