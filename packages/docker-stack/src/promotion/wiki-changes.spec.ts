import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromotionPlan } from './plan';
import { applyWikiChanges, planWikiChanges, writePromotionArtifacts } from './wiki-changes';

const moves = [
  { image: 'base', repository: 'ghcr.io/org/base', from: '2026.3-main', to: '2026.3-stable' },
  { image: 'child', repository: 'ghcr.io/org/child', from: '2026.3-main', to: '2026.3-stable' },
];
const plan: PromotionPlan = { global: false, prefix: '2026.3', moves };

describe('the wiki changes of a promotion', () => {
  let root: string;
  const context = () => ({
    workspaceRoot: root,
    wikiDir: join(root, 'wiki'),
    manifestsDir: join(root, 'manifests'),
    repoUrl: 'https://github.com/org/stack',
    commit: '0123456789',
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'wiki-changes-'));
    mkdirSync(join(root, 'wiki'));
    mkdirSync(join(root, 'manifests'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names every source image without a page, before anything is written', () => {
    writeFileSync(join(root, 'wiki', 'ghcr-io-org-base-2026.3-main.md'), 'base');
    expect(() => planWikiChanges(plan, moves, context())).toThrow(/no manifest page in wiki\/ or manifests\/:\n {2}- child \(ghcr-io-org-child-2026\.3-main\.md\)/);
  });

  it('takes a page missing from the wiki from manifests/, and writes only when applied', () => {
    writeFileSync(join(root, 'wiki', 'ghcr-io-org-base-2026.3-main.md'), 'base');
    writeFileSync(join(root, 'manifests', 'ghcr-io-org-child-2026.3-main.md'), 'child');
    const changes = planWikiChanges(plan, moves, context());
    expect(changes.page.name).toBe('Home.md');
    writePromotionArtifacts(join(root, 'artifacts/promotion'), moves, changes);
    expect(readFileSync(join(root, 'artifacts/promotion/targets.txt'), 'utf8')).toBe('ghcr.io/org/base:2026.3-stable\nghcr.io/org/child:2026.3-stable\n');
    expect(() => readFileSync(join(root, 'wiki', 'Home.md'))).toThrow(/ENOENT/);
    applyWikiChanges(join(root, 'wiki'), changes);
    expect(readFileSync(join(root, 'wiki', 'ghcr-io-org-child-2026.3-stable.md'), 'utf8')).toBe('child');
    expect(readFileSync(join(root, 'wiki', 'Home.md'), 'utf8')).toBe(changes.page.text);
  });
});
