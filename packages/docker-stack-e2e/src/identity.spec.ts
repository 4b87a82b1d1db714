/**
 * Exact identity, through the nx CLI on the real engine: an image's build covers its folder (minus its test
 * folders), the BuildAll files, its parent's identity and the plugin's build-format version, and nothing else.
 * Also the OCI labels of issue 15 (source, url, version, licenses, base.digest, revision, created).
 * A stack of 3 images on the local busybox base: root <- middle <- leaf.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, removeImagesUnder, REGISTRY } from './support/docker';
import { ranTasks, REPO_ROOT, TempWorkspace, uniqueId, type NxResult } from './support/workspace';

jest.setTimeout(600_000);

const IMAGES = ['id-root', 'id-middle', 'id-leaf'];
const namespace = `e2e-id-${uniqueId()}`;
const repository = (image: string) => `${REGISTRY}/${namespace}/${image}`;
const REMOTE = 'git@github.com:ucsd-ets/datahub-docker-stack.git';

function writeStack(ws: TempWorkspace): void {
  const spec = ['root: id-root', 'images:'];
  IMAGES.forEach((image, index) => {
    const parent = IMAGES[index - 1];
    spec.push(`  ${image}:`, `    image_name: ${repository(image)}`, ...(parent ? [`    depend_on: ${parent}`] : []), '    prepull: false');
    const from = parent ? ['ARG BASE_TAG=latest', `FROM ${repository(parent)}:\${BASE_TAG}`] : ['FROM datahub-example-base:busybox'];
    ws.write(`images/${image}/Dockerfile`, [...from, `COPY ${image}.txt /opt/${image}.txt`, `RUN echo ${namespace} > /opt/${image}.run`, ''].join('\n'));
    ws.write(`images/${image}/${image}.txt`, `${image}\n`);
    ws.write(`images/${image}/test/test_${image.replace('-', '_')}.py`, 'def test_nothing():\n    pass\n');
  });
  spec.push('tag:', '  prefix: "2026.3"', '');
  ws.write('images/spec.yml', spec.join('\n'));
  ws.write('images/change_ignore.json', '{ "ChangeIgnore": [], "BuildAll": ["spec.yml", "change_ignore.json"] }\n');
  ws.write('.nxignore', '\n');
  // A real lockfile, so that Nx sees npm packages (and their versions) in this workspace.
  const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  ws.write('package.json', JSON.stringify({ name: 'stack-e2e', private: true, license: 'MIT', devDependencies: rootPackage.devDependencies }, null, 2));
  ws.write('package-lock.json', readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
}

/** The workspace's build results: image id and whether each build really ran docker build. */
function builds(ws: TempWorkspace): Record<string, { imageId: string; reused: boolean; contentTag: string }> {
  return Object.fromEntries(IMAGES.map((image) => [image, JSON.parse(ws.read(`artifacts/${image}/build.json`))]));
}

/** The images whose `docker build` ran in this nx command (not restored from the Nx cache, not reused). */
function rebuilt(ws: TempWorkspace, result: NxResult): string[] {
  const ran = ranTasks(result).filter((task) => task.endsWith(':build')).map((task) => task.split(':')[0]);
  return ran.filter((image) => !builds(ws)[image].reused).sort();
}

/** Serves the workspace the plugin with its build-format version raised by one (a copy, compiled JavaScript). */
function raiseBuildFormat(ws: TempWorkspace): void {
  rmSync(ws.path('node_modules'));
  mkdirSync(ws.path('node_modules/@datahub'), { recursive: true });
  for (const entry of readdirSync(join(REPO_ROOT, 'node_modules')).filter((name) => name !== '@datahub')) {
    symlinkSync(join(REPO_ROOT, 'node_modules', entry), ws.path(`node_modules/${entry}`));
  }
  const plugin = ws.path('node_modules/@datahub/docker-stack');
  cpSync(join(REPO_ROOT, 'packages/docker-stack'), plugin, { recursive: true });
  const file = join(plugin, 'dist/pipeline/build-inputs.js');
  const text = readFileSync(file, 'utf8');
  const raised = text.replace(/BUILD_FORMAT_VERSION = (\d+);/, (_, version: string) => `BUILD_FORMAT_VERSION = ${Number(version) + 1};`);
  expect(raised).not.toBe(text);
  writeFileSync(file, raised);
}

describe('exact identity of image builds', () => {
  let ws: TempWorkspace;
  let first: ReturnType<typeof builds>;
  const build = () => ws.nxOk(['run-many', '-t', 'build', '--parallel=2']);

  beforeAll(() => {
    ws = new TempWorkspace('identity');
    writeStack(ws);
    // The classic builder: Docker 20.10's BuildKit (< 0.11) stamps the build time into the image config and
    // ignores SOURCE_DATE_EPOCH, so only the classic builder gives identical image ids for identical inputs on
    // this engine. The identity (content tag) and the reuse checks hold for both builders.
    ws.write('nx.json', JSON.stringify({ ...JSON.parse(ws.read('nx.json')), targetDefaults: { build: { options: { builder: 'classic' } } } }, null, 2));
    ws.git('remote', 'add', 'origin', REMOTE);
    ws.commit('identity stack');
  });

  afterAll(async () => {
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    ws?.remove();
  });

  it('builds every image once, with labels that tell the truth', async () => {
    expect(rebuilt(ws, build())).toEqual([...IMAGES].sort());
    first = builds(ws);
    const labels = (await docker.getImage(repository('id-leaf') + ':2026.3-main').inspect()).Config.Labels;
    const commit = ws.git('log', '-1', '--format=%H %cI').split(' ');
    expect(labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/ucsd-ets/datahub-docker-stack',
      'org.opencontainers.image.url': 'https://github.com/ucsd-ets/datahub-docker-stack',
      'org.opencontainers.image.version': '2026.3-main',
      'org.opencontainers.image.licenses': 'MIT',
      'org.opencontainers.image.revision': commit[0],
      'org.opencontainers.image.created': new Date(commit[1]).toISOString(),
      'org.opencontainers.image.base.name': `${repository('id-middle')}:2026.3-main`,
      'org.opencontainers.image.base.digest': first['id-middle'].imageId,
    });
  });

  it('no change rebuilds none', () => {
    ws.commit('no change');
    expect(rebuilt(ws, build())).toEqual([]);
  });

  it('a .gitignore edit rebuilds nothing', () => {
    ws.write('.gitignore', `${ws.read('.gitignore')}coverage\n`);
    ws.commit('ignore coverage');
    expect(rebuilt(ws, build())).toEqual([]);
    expect(builds(ws)['id-leaf'].imageId).toBe(first['id-leaf'].imageId);
  });

  it('a dev-dependency bump rebuilds nothing, and Nx does not even run the builds', () => {
    const lock = JSON.parse(ws.read('package-lock.json'));
    // What `npm install -D jest@30.2.99` changes: the version and the integrity (Nx hashes the integrity).
    lock.packages['node_modules/jest'].version = '30.2.99';
    lock.packages['node_modules/jest'].integrity = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    ws.write('package-lock.json', JSON.stringify(lock, null, 2));
    ws.write('package.json', ws.read('package.json').replace('"jest": "30.2.0"', '"jest": "30.2.99"'));
    ws.commit('bump jest');
    const result = build();
    expect(ranTasks(result)).toEqual([]);
  });

  it('a leaf change rebuilds that leaf alone', () => {
    ws.write('images/id-leaf/id-leaf.txt', 'id-leaf v2\n');
    ws.commit('change the leaf');
    expect(rebuilt(ws, build())).toEqual(['id-leaf']);
    first = builds(ws);
  });

  it('identical inputs give identical image ids, even when docker build runs again', async () => {
    for (const image of IMAGES) {
      await docker.getImage(`${repository(image)}:${first[image].contentTag}`).remove({ noprune: true });
    }
    ws.commit('nothing of the images');
    const result = ws.nxOk(['run-many', '-t', 'build', '--skip-nx-cache']);
    expect(rebuilt(ws, result)).toEqual([...IMAGES].sort());
    for (const image of IMAGES) {
      expect(builds(ws)[image].imageId).toBe(first[image].imageId);
    }
  });

  it('raising the build-format version rebuilds everything', async () => {
    raiseBuildFormat(ws);
    expect(rebuilt(ws, build())).toEqual([...IMAGES].sort());
    for (const image of IMAGES) {
      expect(builds(ws)[image].contentTag).not.toBe(first[image].contentTag);
    }
  });

  it('takes the source from GitHub Actions when it runs there', async () => {
    const env = { GITHUB_SERVER_URL: 'https://github.example', GITHUB_REPOSITORY: 'org/stack' };
    ws.nxOk(['run', 'id-root:build', '--noCache', '--skip-nx-cache'], env);
    const labels = (await docker.getImage(`${repository('id-root')}:2026.3-main`).inspect()).Config.Labels;
    expect(labels['org.opencontainers.image.source']).toBe('https://github.example/org/stack');
  });
});
