/**
 * The build executor on both builders, through the nx CLI, on the real engine and the registry on 127.0.0.1:5000:
 * timed steps, a child on its parent, and a pushed image serving as cache on a later runner (a second, empty
 * dockerd). Then what only BuildKit does: secrets from the environment that end up in no layer, and cache mounts.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { docker, imageId, layers, removeImagesUnder, REGISTRY } from './support/docker';
import { engineUnderTest } from './support/engine-under-test';
import { BASE_IMAGE, PrivateDockerd } from './support/private-dockerd';
import { REPO_ROOT, TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(600_000);

const EXAMPLE = join(REPO_ROOT, 'tools/example-stack/images');
const TAG = '2026.3-main';

interface Step {
  step: string;
  seconds: number;
  cached: boolean;
}

/** A workspace with the example stack under its own registry namespace, building with `builder` (and options). */
function exampleWorkspace(name: string, namespace: string, buildOptions: Record<string, unknown>): TempWorkspace {
  const ws = new TempWorkspace(name);
  ws.copyStack(EXAMPLE, [[`${REGISTRY}/datahub-example/`, `${REGISTRY}/${namespace}/`]]);
  const nxJson = JSON.parse(ws.read('nx.json'));
  ws.write('nx.json', JSON.stringify({ ...nxJson, targetDefaults: { build: { options: buildOptions } } }, null, 2));
  ws.commit('example stack');
  return ws;
}

const COPY_HELLO = 'COPY files/hello.sh /usr/local/bin/hello';
/**
 * The first steps of example-base as each builder names them (without the step count: the classic builder adds
 * a LABEL step per label). BuildKit names the FROM image in full, substitutes build args and does not count ARG.
 */
const EXAMPLE_BASE_STEPS: Record<string, string[]> = {
  classic: [
    `Step 1 : FROM ${BASE_IMAGE}`,
    'Step 2 : ARG GREETING',
    'Step 3 : RUN mkdir -p /opt/stack && echo "example-base: $GREETING" > /opt/stack/example-base',
    `Step 4 : ${COPY_HELLO}`,
    'Step 5 : RUN chmod +x /usr/local/bin/hello && echo "$GREETING" > /opt/stack/greeting',
  ],
  buildkit: [
    `Step 1 : FROM docker.io/library/${BASE_IMAGE}`,
    'Step 2 : RUN mkdir -p /opt/stack && echo "example-base: hello" > /opt/stack/example-base',
    `Step 3 : ${COPY_HELLO}`,
    'Step 4 : RUN chmod +x /usr/local/bin/hello && echo "hello" > /opt/stack/greeting',
  ],
};

const buildRecord = (ws: TempWorkspace, image: string) => JSON.parse(ws.read(`artifacts/${image}/build.json`));

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The time the build log shows for a step, as written (one decimal): BuildKit's `#n DONE 0.3s` of the step's
 * vertex (0.0 when `CACHED`), the classic builder's `(0.3s)` after the step's line.
 */
function loggedSeconds(log: string, builder: string, step: string): string | undefined {
  if (builder === 'classic') {
    const at = log.indexOf(step);
    return at < 0 ? undefined : /\((\d+\.\d)s\)/.exec(log.slice(at))?.[1];
  }
  const vertex = new RegExp(`^#(\\d+) ${escaped(step)}(: CACHED)?$`, 'm').exec(log);
  if (!vertex) {
    return undefined;
  }
  return vertex[2] ? '0.0' : new RegExp(`^#${vertex[1]} DONE (\\d+\\.\\d)s$`, 'm').exec(log)?.[1];
}

describe.each(['buildkit', 'classic'])('the %s builder', (builder) => {
  const namespace = `e2e-bk-${builder}-${uniqueId()}`;
  const reference = (image: string) => `${REGISTRY}/${namespace}/${image}:${TAG}`;
  let ws: TempWorkspace;

  beforeAll(() => {
    ws = exampleWorkspace(builder, namespace, { builder });
  });

  afterAll(async () => {
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    ws?.remove();
  });

  it('builds, tests and pushes a parent and its child, logging and recording each step with its time', async () => {
    ws.nxOk(['run-many', '-t', 'push', '-p', 'example-base', 'example-python', '--parallel=1']);
    const build = buildRecord(ws, 'example-base');
    expect(build.builder).toBe(builder);
    const steps = build.steps as Step[];
    const expected = EXAMPLE_BASE_STEPS[builder];
    // The containerd image store (Docker 28) names the base with its digest too: `FROM …:busybox@sha256:…`.
    const named = (step: Step) => step.step.replace(/^Step (\d+)\/\d+/, 'Step $1').replace(/^(Step 1 : FROM \S+)@sha256:[0-9a-f]{64}$/, '$1');
    expect(steps.slice(0, expected.length).map(named)).toEqual(expected);
    const log = ws.read('logs/example-base/build.log');
    for (const step of steps) {
      expect([step.step, step.seconds.toFixed(1)]).toEqual([step.step, loggedSeconds(log, builder, step.step)]);
    }
    expect(log).toMatch(/Step \d+\/\d+ : RUN mkdir/);
    expect(log).toMatch(builder === 'buildkit' ? /#\d+ (DONE \d+\.\ds|[^\n]*: CACHED)/ : /\(\d+\.\ds\)/);
    const parentLayers = await layers(reference('example-base'));
    expect((await layers(reference('example-python'))).slice(0, parentLayers.length)).toEqual(parentLayers);
  });

  it('uses the pushed image as cache on a later runner that has neither its layers nor any build cache', async () => {
    const later = await PrivateDockerd.start();
    try {
      await later.loadFromShared(BASE_IMAGE);
      expect((await later.docker.listImages()).flatMap((image) => image.RepoTags ?? [])).toEqual([BASE_IMAGE]);
      const result = ws.nxOk(['run', 'example-base:build', '--skip-nx-cache'], { DOCKER_HOST: later.host });
      const steps = buildRecord(ws, 'example-base').steps as Step[];
      const runs = steps.filter((step) => / : (RUN|COPY) /.test(step.step));
      expect(runs).toHaveLength(3);
      // The classic builder on the containerd image store fails any build given a pulled cache: it builds without.
      const cacheless = builder === 'classic' && engineUnderTest().store === 'containerd';
      expect(result.output).toContain(cacheless ? 'the classic builder cannot use a registry cache on the containerd image store' : `using ${reference('example-base')} as build cache`);
      expect(runs.map((step) => step.cached)).toEqual(runs.map(() => !cacheless));
      expect(buildRecord(ws, 'example-base').imageId).toBe(await later.docker.getImage(reference('example-base')).inspect().then((image) => image.Id));
    } finally {
      await later.stop();
    }
  });
});

describe('BuildKit secrets and cache mounts', () => {
  const namespace = `e2e-bk-mounts-${uniqueId()}`;
  const reference = `${REGISTRY}/${namespace}/example-base:${TAG}`;
  const secret = `s3cret-${randomBytes(12).toString('hex')}`;
  const cacheId = `e2e-${uniqueId()}`;
  let ws: TempWorkspace;

  beforeAll(() => {
    ws = exampleWorkspace('mounts', namespace, { secrets: { token: 'E2E_BUILD_TOKEN' } });
    ws.write(
      'images/example-base/Dockerfile',
      [
        `FROM ${BASE_IMAGE}`,
        'ARG GREETING',
        'COPY files/hello.sh /usr/local/bin/hello',
        // BuildKit leaves secrets out of its cache keys: the run id keeps this step from an earlier run's cache.
        `RUN --mount=type=secret,id=token echo ${cacheId} > /run-id && sha256sum /run/secrets/token | cut -d" " -f1 > /token.sha256`,
        `RUN --mount=type=cache,id=${cacheId},target=/var/cache/stack echo run >> /var/cache/stack/runs && wc -l < /var/cache/stack/runs > /cache-runs`,
        '',
      ].join('\n'),
    );
    ws.commit('secret and cache mount');
  });

  afterAll(async () => {
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    ws?.remove();
  });

  const inImage = (command: string) => execFileSync('docker', ['run', '--rm', reference, 'sh', '-c', command], { encoding: 'utf8' }).trim();

  it('refuses to build when the secret\'s environment variable is not set, naming both', () => {
    const result = ws.nx(['run', 'example-base:build', '--skip-nx-cache'], { E2E_BUILD_TOKEN: undefined });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('image "example-base": build option "secrets": secret "token" reads $E2E_BUILD_TOKEN, but it is not set in the environment.');
  });

  it('refuses secrets on the classic builder', () => {
    const result = ws.nx(['run', 'example-base:build', '--skip-nx-cache', '--builder=classic'], { E2E_BUILD_TOKEN: secret });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('Build secrets need BuildKit');
  });

  it('mounts the secret from the environment, and it is in no layer, history, log or artifact', async () => {
    ws.nxOk(['run', 'example-base:build', '--skip-nx-cache'], { E2E_BUILD_TOKEN: secret });
    expect(inImage('cat /token.sha256')).toBe(createHash('sha256').update(secret).digest('hex'));
    const history = execFileSync('docker', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', reference], { encoding: 'utf8' });
    expect(history).toContain('sha256sum /run/secrets/token');
    expect(history).not.toContain(secret);
    // docker save writes every layer as an uncompressed tar, and the config with its history: one byte search covers all.
    const saved = execFileSync('docker', ['save', reference], { maxBuffer: 256 * 1024 * 1024 });
    expect(saved.length).toBeGreaterThan(1_000_000);
    expect(saved.includes(Buffer.from(secret))).toBe(false);
    expect(saved.includes(Buffer.from('/token.sha256'))).toBe(true); // the search does see layer contents
    expect(JSON.stringify((await docker.getImage(reference).inspect()).Config)).not.toContain(secret);
    expect(ws.read('logs/example-base/build.log')).not.toContain(secret);
    expect(ws.read('artifacts/example-base/build.json')).not.toContain(secret);
    expect(buildRecord(ws, 'example-base').secrets).toEqual({ token: 'E2E_BUILD_TOKEN' });
  });

  it('keeps a cache mount between builds, outside the image', async () => {
    expect(inImage('cat /cache-runs')).toBe('1');
    ws.write('images/example-base/files/hello.sh', `${ws.read('images/example-base/files/hello.sh')}# changed\n`);
    ws.commit('change a file before the cache-mount step');
    const before = await imageId(reference);
    ws.nxOk(['run', 'example-base:build'], { E2E_BUILD_TOKEN: secret });
    expect(await imageId(reference)).not.toBe(before);
    expect(inImage('cat /cache-runs')).toBe('2');
    expect(inImage('test -e /var/cache/stack/runs && echo present || echo absent')).toBe('absent');
  });
});
