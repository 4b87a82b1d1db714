/**
 * The wiki keeps the former pipeline's shape (issue 14 §2), and its test rules hold (§4): through the nx CLI on a
 * generated stack, the real engine, the registry on 127.0.0.1:5000 and real pytest. The wiki starts as a former
 * `Home.md` of a dozen rows (fixtures/former-wiki/Home.md); every rule is checked by parsing the Markdown.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_REGISTRY, writeGeneratedStack } from './support/generated-stack';
import { registryDigest, removeImagesUnder, REGISTRY } from './support/docker';
import { cellItems, CODE, COMMIT, formerPageName, LINK, parseTable } from './support/wiki-markdown';
import { REPO_ROOT, TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(600_000);

const FORMER_HOME = readFileSync(join(REPO_ROOT, 'packages/docker-stack-e2e/fixtures/former-wiki/Home.md'), 'utf8');
const REPO_URL = 'https://github.com/ucsd-ets/datahub-docker-stack';
const namespace = `e2e-wiki-${uniqueId()}`;
/** Spec order: the order of every list in the wiki. */
const IMAGES = ['gen-l0-0', 'gen-l1-0', 'gen-l1-1'];
/** Has a test folder without tests, and integration tests. */
const UNTESTED = 'gen-l1-1';
const PIPELINE = ['build', 'test', 'push', 'integration-test', 'manifest'];
/** Nothing from a CI machine running this suite: the revision comes from git, the links from the origin remote. */
const NO_GITHUB = { GITHUB_SHA: undefined, GITHUB_SERVER_URL: undefined, GITHUB_REPOSITORY: undefined };

const reference = (image: string, tag: string) => `${REGISTRY}/${namespace}/${image}:${tag}`;
const references = (tag: string) => IMAGES.map((image) => reference(image, tag));
const wikiPage = (ref: string) => `wiki/${formerPageName(ref)}.md`;
const pageUrl = (ref: string) => `${REPO_URL}/wiki/${formerPageName(ref)}`;
const lines = (text: string) => text.trimEnd().split('\n');

function integrationTest(fails: boolean): string {
  return `def test_integration():\n    assert ${fails ? 'False' : 'True'}, "integration fails on purpose"\n`;
}

/** The generated stack in our own namespace, on the local base image; tests only where the test says. */
function writeStack(ws: TempWorkspace): void {
  const renamed = {
    write: (path: string, text: string) =>
      ws.write(path, text.split(`${GENERATED_REGISTRY}/`).join(`${REGISTRY}/${namespace}/`).replace(/^FROM busybox\S*/m, 'FROM datahub-example-base:busybox')),
  };
  writeGeneratedStack(renamed, { levels: [1, 2] });
  ws.write('images/spec.yml', ws.read('images/spec.yml').replace(`\n  ${UNTESTED}:\n`, `\n  ${UNTESTED}:\n    integration_tests: true\n`));
  // tests_common collects nothing, so the untested image's folders collect no test at all.
  rmSync(ws.path('images/tests_common'), { recursive: true, force: true });
  ws.write('images/tests_common/README.md', 'Shared tests to come.\n');
  for (const image of IMAGES.filter((name) => name !== UNTESTED)) {
    ws.write(`images/${image}/test/test_image.py`, 'import os\n\n\ndef test_knows_its_image():\n    assert os.environ["TEST_IMAGE"].endswith(":2026.3-main")\n');
  }
  ws.write(`images/${UNTESTED}/test/README.md`, 'Tests to come.\n');
  ws.write(`images/${UNTESTED}/integration_tests/test_integration.py`, integrationTest(true));
}

/** Every file of the wiki folder and its text. */
function wikiFiles(ws: TempWorkspace): Record<string, string> {
  return Object.fromEntries(readdirSync(ws.path('wiki')).map((file) => [file, ws.read(`wiki/${file}`)]));
}

describe('the wiki in the former shape, on a former wiki', () => {
  let ws: TempWorkspace;
  let builtAt: string;
  let dryRunHome: string;

  beforeAll(() => {
    ws = new TempWorkspace('wiki-compat');
    writeStack(ws);
    ws.git('remote', 'add', 'origin', 'git@github.com:ucsd-ets/datahub-docker-stack.git');
    builtAt = ws.commit('a stack with an untested image');
  });

  afterAll(async () => {
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    ws?.remove();
  });

  it('passes an image whose test folders collect no tests, with a warning; its manifest waits for its integration tests', async () => {
    const result = ws.nx(['run-many', '-t', ...PIPELINE, '--parallel=2'], NO_GITHUB);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('integration fails on purpose');
    // Nx hides the output of tasks that pass: the warning is in the step's log and result file.
    expect(ws.read(`logs/${UNTESTED}/test.log`)).toContain('WARNING: no tests were collected');
    const untested = JSON.parse(ws.read(`artifacts/${UNTESTED}/test.json`));
    expect(untested).toMatchObject({ success: true, exitCode: 5, warnings: [expect.stringContaining('no tests were collected')] });
    const tested = JSON.parse(ws.read('artifacts/gen-l1-0/test.json'));
    expect(tested).toMatchObject({ success: true, exitCode: 0, summary: expect.stringMatching(/1 passed/) });
    expect(tested.warnings).toBeUndefined();
    // Pushed, but its integration tests failed: no manifest, while the other images have theirs.
    expect(await registryDigest(`${namespace}/${UNTESTED}`, '2026.3-main')).toMatch(/^sha256:/);
    expect(JSON.parse(ws.read(`artifacts/${UNTESTED}/integration-test.json`)).success).toBe(false);
    expect(existsSync(ws.path(`artifacts/${UNTESTED}/manifest.json`))).toBe(false);
    expect(existsSync(ws.path(wikiPage(reference(UNTESTED, '2026.3-main'))))).toBe(false);
    for (const image of IMAGES.filter((name) => name !== UNTESTED)) {
      expect(existsSync(ws.path(wikiPage(reference(image, '2026.3-main'))))).toBe(true);
    }
  });

  it('writes that manifest page once its integration tests pass', () => {
    ws.write(`images/${UNTESTED}/integration_tests/test_integration.py`, integrationTest(false));
    ws.commit('the integration test passes');
    ws.nxOk(['run-many', '-t', ...PIPELINE, '--parallel=2'], NO_GITHUB);
    const integration = JSON.parse(ws.read(`artifacts/${UNTESTED}/integration-test.json`));
    const manifest = JSON.parse(ws.read(`artifacts/${UNTESTED}/manifest.json`));
    expect([integration.success, manifest.success]).toEqual([true, true]);
    expect(Date.parse(manifest.startedAt)).toBeGreaterThanOrEqual(Date.parse(integration.startedAt) + integration.seconds * 1000);
    expect(existsSync(ws.path(wikiPage(reference(UNTESTED, '2026.3-main'))))).toBe(true);
  });

  it('starts from a fixture in the former format: a dozen rows whose links follow the page-name rule', () => {
    const former = parseTable(FORMER_HOME);
    expect(former.header).toEqual(['Commit', 'Image', 'Manifest']);
    expect(former.rows).toHaveLength(12);
    for (const { cells } of former.rows) {
      const [sha, repoUrl] = COMMIT.exec(cells[0])?.slice(1) ?? [];
      expect([sha, repoUrl]).toEqual([expect.stringMatching(/^[0-9a-f]{7}$/), REPO_URL]);
      expect(cellItems(cells[2], LINK)).toEqual(cellItems(cells[1], CODE).map(pageUrl));
    }
  });

  it('a build adds no row: stack:wiki only puts the manifest pages into the wiki', () => {
    ws.write('wiki/Home.md', FORMER_HOME);
    const page = wikiPage(reference('gen-l0-0', '2026.3-main'));
    rmSync(ws.path(page));
    ws.nxOk(['run', 'stack:wiki'], NO_GITHUB);
    expect(ws.read('wiki/Home.md')).toBe(FORMER_HOME);
    expect(ws.read(page)).toBe(ws.read('artifacts/gen-l0-0/manifest.md'));
  });

  it('a dry run writes nothing to the registry or the wiki, and the would-be Home.md and the reference lists to artifacts/', async () => {
    const before = wikiFiles(ws);
    const result = ws.nxOk(['run', 'stack:promote', '--tag=2026.3-main', '--dry-run'], NO_GITHUB);
    expect(result.output).toContain('artifacts/promotion/sources.txt');
    for (const image of IMAGES) {
      expect(await registryDigest(`${namespace}/${image}`, '2026.3-stable')).toBeUndefined();
    }
    expect(wikiFiles(ws)).toEqual(before);
    expect(lines(ws.read('artifacts/promotion/sources.txt'))).toEqual(references('2026.3-main'));
    expect(lines(ws.read('artifacts/promotion/targets.txt'))).toEqual(references('2026.3-stable'));
    dryRunHome = ws.read('artifacts/promotion/Home.md');
    expect(parseTable(dryRunHome).rows).toHaveLength(13);
  });

  it('a promotion inserts one row at the top of Home.md, keeps the former rows as they were, and copies the pages', async () => {
    // The row names the commit the images were built from, not the checkout's HEAD, which has moved on since.
    expect(ws.git('rev-parse', 'HEAD')).not.toBe(builtAt);
    ws.nxOk(['run', 'stack:promote', '--tag=2026.3-main'], NO_GITHUB);
    const home = ws.read('wiki/Home.md');
    expect(home).toBe(dryRunHome);
    const former = parseTable(FORMER_HOME);
    const table = parseTable(home);
    expect([table.before, table.header, table.divider, table.after]).toEqual([former.before, former.header, former.divider, former.after]);
    expect(table.rows).toHaveLength(13);
    expect(table.rows.slice(1)).toEqual(former.rows);
    const [commit, images, manifests] = table.rows[0].cells;
    expect(COMMIT.exec(commit)?.slice(1)).toEqual([builtAt.slice(0, 7), REPO_URL]);
    expect(cellItems(images, CODE)).toEqual(references('2026.3-stable'));
    expect(cellItems(manifests, LINK)).toEqual(references('2026.3-stable').map(pageUrl));
    for (const image of IMAGES) {
      expect(ws.read(wikiPage(reference(image, '2026.3-stable')))).toBe(ws.read(wikiPage(reference(image, '2026.3-main'))));
      expect(await registryDigest(`${namespace}/${image}`, '2026.3-stable')).toBe(await registryDigest(`${namespace}/${image}`, '2026.3-main'));
    }
  });

  it('the global promotion rewrites Stable_Tag.md as a single row and writes the :stable pages, as its dry run showed', async () => {
    const homeBefore = ws.read('wiki/Home.md');
    ws.nxOk(['run', 'stack:promote', '--tag=2026.3', '--global', '--dry-run'], NO_GITHUB);
    expect(existsSync(ws.path('wiki/Stable_Tag.md'))).toBe(false);
    expect(existsSync(ws.path('artifacts/promotion/Home.md'))).toBe(false);
    expect(lines(ws.read('artifacts/promotion/sources.txt'))).toEqual(references('2026.3-stable'));
    expect(lines(ws.read('artifacts/promotion/targets.txt'))).toEqual(references('stable'));
    for (const image of IMAGES) {
      expect(await registryDigest(`${namespace}/${image}`, 'stable')).toBeUndefined();
      expect(existsSync(ws.path(wikiPage(reference(image, 'stable'))))).toBe(false);
    }
    const dryRun = ws.read('artifacts/promotion/Stable_Tag.md');

    ws.nxOk(['run', 'stack:promote', '--tag=2026.3', '--global'], NO_GITHUB);
    const page = ws.read('wiki/Stable_Tag.md');
    expect(page).toBe(dryRun);
    const table = parseTable(page);
    expect([table.before, table.header, table.divider, table.after]).toEqual([[], ['Global-Stable Image', 'Based On', 'Manifest'], '| :- | :- | :- |', ['']]);
    expect(table.rows).toHaveLength(1);
    const [stable, basedOn, manifests] = table.rows[0].cells;
    expect(cellItems(stable, CODE)).toEqual(references('stable'));
    expect(cellItems(basedOn, CODE)).toEqual(references('2026.3-stable'));
    expect(cellItems(manifests, LINK)).toEqual(references('stable').map(pageUrl));
    for (const image of IMAGES) {
      expect(ws.read(wikiPage(reference(image, 'stable')))).toBe(ws.read(wikiPage(reference(image, '2026.3-stable'))));
      expect(await registryDigest(`${namespace}/${image}`, 'stable')).toBe(await registryDigest(`${namespace}/${image}`, '2026.3-main'));
    }
    expect(ws.read('wiki/Home.md')).toBe(homeBefore);
  });
});
