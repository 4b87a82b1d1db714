/**
 * tools/ci/main-job.sh through the real nx CLI, engine, registry and pytest, with GitHub's variables set as the
 * runner would: a scheduled run rebuilds everything; a push to main that changes one leaf builds that leaf alone
 * and gives every other image <prefix>-main by a registry-side copy of its content tag; promotion then finds the
 * whole set; and after a full rebuild no run builds on an image from before it, even where the Nx cache still holds
 * that image's build. A stack of 3 images on the local busybox base: mj-root <- mj-a, mj-root <- mj-b.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, registryDigest, removeImagesUnder, REGISTRY } from './support/docker';
import { nxEnvironment, ranTasks, REPO_ROOT, TempWorkspace, uniqueId, type NxResult } from './support/workspace';

jest.setTimeout(900_000);

const IMAGES = ['mj-root', 'mj-a', 'mj-b'];
const namespace = `e2e-mainjob-${uniqueId()}`;
const repositoryPath = (image: string) => `${namespace}/${image}`;
const repository = (image: string) => `${REGISTRY}/${repositoryPath(image)}`;
const MAIN_TAG = '2026.3-main';
const EXAMPLE = join(REPO_ROOT, 'tools/example-stack/images');

function writeStack(ws: TempWorkspace): void {
  const spec = ['root: mj-root', 'images:'];
  for (const image of IMAGES) {
    const parent = image === 'mj-root' ? undefined : 'mj-root';
    spec.push(`  ${image}:`, `    image_name: ${repository(image)}`, ...(parent ? [`    depend_on: ${parent}`] : []), '    prepull: false');
    const from = parent ? ['ARG BASE_TAG=latest', `FROM ${repository(parent)}:\${BASE_TAG}`] : ['FROM datahub-example-base:busybox'];
    // The RUN line differs on every build, so a rebuild gives a new image id.
    ws.write(`images/${image}/Dockerfile`, [...from, `COPY ${image}.txt /opt/stack/${image}.txt`, `RUN date +%s%N > /opt/stack/${image}.built`, ''].join('\n'));
    ws.write(`images/${image}/${image}.txt`, `${image}\n`);
    ws.write(`images/${image}/test/test_${image.replace('-', '_')}.py`, `def test_has_its_file(container):\n    assert container.run("test -f /opt/stack/${image}.txt")[0] == 0\n`);
  }
  spec.push('tag:', '  prefix: "2026.3"', '');
  ws.write('images/spec.yml', spec.join('\n'));
  ws.write('images/change_ignore.json', readFileSync(join(EXAMPLE, 'change_ignore.json'), 'utf8'));
  ws.write('images/conftest.py', readFileSync(join(EXAMPLE, 'conftest.py'), 'utf8'));
}

/** Runs tools/ci/main-job.sh in the workspace as the runner would, with GitHub's variables for the event. */
function mainJob(ws: TempWorkspace, env: Record<string, string>): NxResult {
  const result = spawnSync('bash', [join(REPO_ROOT, 'tools/ci/main-job.sh')], {
    cwd: ws.root,
    encoding: 'utf8',
    env: nxEnvironment({ NX_BASE: 'HEAD~1', NX_HEAD: 'HEAD', ...env }),
    maxBuffer: 64 * 1024 * 1024,
  });
  const run = { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}\n${result.stderr}` };
  if (run.status !== 0) {
    throw new Error(`main-job.sh exited ${run.status}:\n${run.output.slice(-6000)}`);
  }
  return run;
}

interface BuildRecord {
  imageId: string;
  reused: boolean;
  contentTag: string;
  generation: string;
  parent: { imageId: string } | null;
}
const buildOf = (ws: TempWorkspace, image: string) => JSON.parse(ws.read(`artifacts/${image}/build.json`)) as BuildRecord;

/** The images whose `docker build` really ran in this run (not restored from the Nx cache, not reused). */
const rebuilt = (ws: TempWorkspace, result: NxResult) =>
  ranTasks(result)
    .filter((task) => task.endsWith(':build'))
    .map((task) => task.split(':')[0])
    .filter((image) => !buildOf(ws, image).reused)
    .sort();

/** Points `<prefix>-main` of an image's repository at an unrelated image: what a stale tag from an older run looks like. */
async function makeMainTagStale(image: string): Promise<void> {
  await docker.getImage('datahub-example-base:busybox').tag({ repo: repository(image), tag: MAIN_TAG });
  // The local registry needs no login, but dockerd wants an X-Registry-Auth header all the same.
  const authconfig = { username: '', password: '', serveraddress: REGISTRY };
  const stream = await docker.getImage(repository(image)).push({ tag: MAIN_TAG, authconfig });
  await new Promise((resolve, reject) => docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve(undefined))));
}

describe('tools/ci/main-job.sh', () => {
  let ws: TempWorkspace;
  let beforeRebuild: Record<string, string>;
  let afterRebuild: Record<string, BuildRecord>;
  /** The workspace's Nx cache (entries and their index) as it was before the full rebuild: another runner's. */
  const cacheBeforeRebuild = mkdtempSync(join(tmpdir(), 'main-job-nx-'));

  beforeAll(() => {
    ws = new TempWorkspace('main-job');
    writeStack(ws);
    ws.git('remote', 'add', 'origin', 'git@github.com:ucsd-ets/datahub-docker-stack.git'); // for the wiki's links
    ws.commit('main-job stack');
    // An ordinary build first: the engine and the Nx cache hold images a full rebuild must not reuse.
    ws.nxOk(['run-many', '-t', 'build', 'test'], { GITHUB_REF_NAME: 'main' });
    beforeRebuild = Object.fromEntries(IMAGES.map((image) => [image, buildOf(ws, image).imageId]));
    cpSync(join(ws.root, '.nx'), cacheBeforeRebuild, { recursive: true });
  });

  afterAll(async () => {
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    ws?.remove();
    rmSync(cacheBeforeRebuild, { recursive: true, force: true });
  });

  it('a scheduled run rebuilds every image: no Nx cache, no reuse, new image ids', () => {
    const run = mainJob(ws, { GITHUB_EVENT_NAME: 'schedule', GITHUB_REF_NAME: 'main' });
    expect(run.output).toContain('Main job: full build of weekly rebuild');
    expect(rebuilt(ws, run)).toEqual([...IMAGES].sort());
    for (const image of IMAGES) {
      expect([image, buildOf(ws, image).imageId]).not.toEqual([image, beforeRebuild[image]]);
    }
    expect(run.output).toMatch(/rebuild generation \S+ -> \S+/);
    afterRebuild = Object.fromEntries(IMAGES.map((image) => [image, buildOf(ws, image)]));
    expect(afterRebuild['mj-root'].generation).not.toBe('0');
  });

  it("after that full rebuild, a branch run that changes one leaf builds it on the rebuilt parent, though its Nx cache holds the parent's older build", () => {
    rmSync(join(ws.root, '.nx'), { recursive: true, force: true });
    cpSync(cacheBeforeRebuild, join(ws.root, '.nx'), { recursive: true });
    ws.write('images/mj-b/mj-b.txt', 'mj-b, changed on a branch\n');
    ws.commit('change mj-b');
    const run = mainJob(ws, { GITHUB_EVENT_NAME: 'push', GITHUB_REF_NAME: 'dev-branch', COMMIT_MESSAGE: 'change mj-b' });
    expect(run.output).toContain('Main job: affected build');
    expect(rebuilt(ws, run)).toEqual(['mj-b']);
    expect(buildOf(ws, 'mj-b').parent?.imageId).toBe(afterRebuild['mj-root'].imageId);
    expect(buildOf(ws, 'mj-root')).toMatchObject({ imageId: afterRebuild['mj-root'].imageId, generation: afterRebuild['mj-root'].generation });
  });

  it("a push to main that changes one leaf builds that leaf alone; every other image's <prefix>-main is its content tag", async () => {
    await Promise.all(['mj-root', 'mj-b'].map(makeMainTagStale));
    ws.write('images/mj-a/mj-a.txt', 'mj-a, changed\n');
    ws.commit('change mj-a');
    const run = mainJob(ws, { GITHUB_EVENT_NAME: 'push', GITHUB_REF_NAME: 'main', COMMIT_MESSAGE: 'change mj-a' });
    expect(rebuilt(ws, run)).toEqual(['mj-a']);
    expect(ranTasks(run)).toContain('stack:tag-unchanged');
    for (const image of IMAGES) {
      const content = await registryDigest(repositoryPath(image), buildOf(ws, image).contentTag);
      expect(content).toMatch(/^sha256:/);
      expect([image, await registryDigest(repositoryPath(image), MAIN_TAG)]).toEqual([image, content]);
    }
  });

  it('stack:promote --tag=<prefix>-main then finds the whole set and promotes it', async () => {
    ws.nxOk(['run', 'stack:promote', `--tag=${MAIN_TAG}`], { GITHUB_REF_NAME: 'main' });
    for (const image of IMAGES) {
      expect([image, await registryDigest(repositoryPath(image), '2026.3-stable')]).toEqual([image, await registryDigest(repositoryPath(image), MAIN_TAG)]);
    }
  });
});
