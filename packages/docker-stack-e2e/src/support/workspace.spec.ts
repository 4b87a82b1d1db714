/** The nx helper every e2e suite relies on: daemon off, and nothing of the developer's environment leaking in. */
import { hostEnvWithoutLeaks, TempWorkspace } from './workspace';

jest.setTimeout(60_000);

const LEAKS = {
  GIT_DIR: '/nonexistent/.git',
  DOCKER_CONFIG: '/nonexistent/docker-config',
  NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'http://127.0.0.1:9',
  NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'host-token',
  REGISTRY_USERNAME: 'host-user',
  REGISTRY_PASSWORD: 'host-secret',
};

describe('TempWorkspace.nx', () => {
  let ws: TempWorkspace;
  const saved = { ...process.env };

  beforeAll(() => {
    ws = new TempWorkspace('helper');
    ws.commit('empty workspace');
  });

  afterEach(() => {
    process.env = { ...saved };
  });

  afterAll(() => ws?.remove());

  it('refuses to run nx with the daemon on, whose output the suites could not parse', () => {
    expect(() => ws.nx(['--version'], { NX_DAEMON: 'true' })).toThrow(/needs NX_DAEMON=false \(got true\)/);
    expect(() => ws.nx(['--version'], { NX_DAEMON: undefined })).toThrow(/needs NX_DAEMON=false/);
  });

  it("clears the host's GIT_DIR, DOCKER_CONFIG, remote cache and registry variables from nx and git runs", () => {
    Object.assign(process.env, LEAKS, { KEPT_VARIABLE: 'kept' });
    const env = hostEnvWithoutLeaks();
    for (const name of Object.keys(LEAKS)) {
      expect(env[name]).toBeUndefined();
    }
    expect(env.KEPT_VARIABLE).toBe('kept');
    // With GIT_DIR leaking, git and nx would read a repository that does not exist.
    expect(ws.git('rev-parse', '--is-inside-work-tree')).toBe('true');
    expect(ws.nxOk(['show', 'projects']).status).toBe(0);
  });
});
