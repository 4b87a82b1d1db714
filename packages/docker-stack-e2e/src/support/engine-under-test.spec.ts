import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { docker } from './docker';
import { checkEngine, engineUnderTest } from './engine-under-test';
import { PrivateDockerd } from './private-dockerd';
import { REPO_ROOT } from './workspace';

const HOST = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A kind of engine that the engine under test is not: the other image store. */
const otherKind = () => (engineUnderTest().store === 'containerd' ? 'host' : 'containerd');
const otherStore = () => (engineUnderTest().store === 'containerd' ? 'classic' : 'containerd');

describe('the engine under test (TEST_ENGINE, DOCKER_HOST)', () => {
  it('is the kind TEST_ENGINE names and has what the suites need', async () => {
    await expect(checkEngine(docker, HOST)).resolves.toBeUndefined();
  });

  it('fails naming the engine and the feature when it is not the kind asked for', async () => {
    const { Version } = await docker.version();
    const wanted = engineUnderTest({ TEST_ENGINE: otherKind() });
    await expect(checkEngine(docker, HOST, wanted)).rejects.toThrow(
      new RegExp(
        `^the engine at ${escape(HOST)} \\(Docker ${escape(Version)}, API [\\d.]+, linux, ${engineUnderTest().store} image store\\) ` +
          `does not have what the tests need: .*the ${otherStore()} image store \\(TEST_ENGINE=${otherKind()}\\)`,
      ),
    );
  });

  it('refuses a TEST_ENGINE it does not know, naming those it does', () => {
    expect(() => engineUnderTest({ TEST_ENGINE: 'podman' })).toThrow('TEST_ENGINE=podman is not an engine the tests know (host, classic, containerd)');
  });

  it('stops a whole suite run before any test when the engine is not the kind TEST_ENGINE names', () => {
    const jest = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--selectProjects', 'e2e', join(REPO_ROOT, 'packages/docker-stack-e2e/src/readme-diagram.spec.ts')],
      { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TEST_ENGINE: otherKind() }, timeout: 120_000 },
    );
    const output = jest.stdout + jest.stderr;
    expect(jest.status).not.toBe(0);
    expect(output).toContain(`does not have what the tests need: `);
    expect(output).toContain(`the ${otherStore()} image store (TEST_ENGINE=${otherKind()})`);
    expect(output).not.toMatch(/Tests:\s+\d+ passed/);
  }, 150_000);

  it('starts private engines of the same kind: version and image store', async () => {
    const engine = await PrivateDockerd.start();
    try {
      expect((await engine.docker.version()).Version).toBe((await docker.version()).Version);
      await expect(checkEngine(engine.docker, engine.host)).resolves.toBeUndefined();
    } finally {
      await engine.stop();
    }
  }, 120_000);
});
