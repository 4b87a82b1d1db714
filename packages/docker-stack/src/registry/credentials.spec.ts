import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialKey, credentialsFor, DOCKER_HUB_KEY, envCredentialsKey, redact } from './credentials';

const auth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

/**
 * A fake `docker-credential-test` on PATH that logs each call (argv and stdin) and answers from a table: a
 * `<token>` user for ghcr.io, a password for Docker Hub, "credentials not found" (exit 1) for anything else.
 */
function fakeHelper(dir: string): { path: string; calls: () => string[] } {
  const log = join(dir, 'calls.log');
  writeFileSync(
    join(dir, 'docker-credential-test'),
    [
      '#!/bin/sh',
      'url=$(cat)',
      `echo "$* <$url>" >> ${log}`,
      'case "$url" in',
      '  ghcr.io) echo \'{"ServerURL":"ghcr.io","Username":"<token>","Secret":"refresh-T0KEN"}\' ;;',
      `  ${DOCKER_HUB_KEY}) echo '{"ServerURL":"x","Username":"hubuser","Secret":"hub-S3CRET"}' ;;`,
      '  broken.example) echo "keychain locked" >&2; exit 2 ;;',
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'docker-credential-test'), 0o755);
  return { path: `${dir}:${process.env.PATH}`, calls: () => readFileSync(log, 'utf8').trim().split('\n') };
}

describe('credentialKey', () => {
  it.each(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1/'])('maps %s to Docker Hub\'s key', (name) => {
    expect(credentialKey(name)).toBe(DOCKER_HUB_KEY);
  });

  it('keeps host and port of other registries, without scheme or path', () => {
    expect(credentialKey('https://ghcr.io/v2/')).toBe('ghcr.io');
    expect(credentialKey('127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });
});

describe('credentialsFor', () => {
  let dir: string;
  const env = (more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ DOCKER_CONFIG: dir, ...more });
  const config = (value: object) => writeFileSync(join(dir, 'config.json'), JSON.stringify(value));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'docker-config-'));
    config({
      auths: {
        'ghcr.io': { auth: auth('bot', 'pa:ss') },
        'https://registry.example.org/v1/': { auth: auth('u', 'p') },
        [DOCKER_HUB_KEY]: { auth: auth('hub', 'hubpass') },
        'acr.example.io': { identitytoken: 'id-T0KEN' },
      },
    });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds Docker Hub credentials under the key docker login uses, whichever name the image gives', () => {
    for (const host of ['registry-1.docker.io', 'docker.io', 'index.docker.io']) {
      expect(credentialsFor(host, { env: env() })).toEqual({ username: 'hub', password: 'hubpass' });
    }
  });

  it('reads auths as docker login writes them, keeping colons in the password, and identity tokens', () => {
    expect(credentialsFor('ghcr.io', { env: env() })).toEqual({ username: 'bot', password: 'pa:ss' });
    expect(credentialsFor('registry.example.org', { env: env() })).toEqual({ username: 'u', password: 'p' });
    expect(credentialsFor('acr.example.io', { env: env() })).toEqual({ identitytoken: 'id-T0KEN' });
  });

  it('gives REGISTRY_USERNAME/REGISTRY_PASSWORD to REGISTRY_HOST only; other hosts keep the Docker config\'s', () => {
    const scoped = env({ REGISTRY_USERNAME: 'env', REGISTRY_PASSWORD: 'secret', REGISTRY_HOST: '127.0.0.1:5000' });
    expect(credentialsFor('127.0.0.1:5000', { env: scoped })).toEqual({ username: 'env', password: 'secret' });
    expect(credentialsFor('ghcr.io', { env: scoped })).toEqual({ username: 'bot', password: 'pa:ss' });
    expect(credentialsFor('quay.io', { env: scoped })).toBeUndefined();
  });

  it('without REGISTRY_HOST gives them to the images\' registry when all share one, else to none', () => {
    const plain = env({ REGISTRY_USERNAME: 'env', REGISTRY_PASSWORD: 'secret' });
    const one = ['ghcr.io/org/a', 'ghcr.io/org/b'];
    expect(credentialsFor('ghcr.io', { env: plain, repositories: one })).toEqual({ username: 'env', password: 'secret' });
    expect(credentialsFor('quay.io', { env: plain, repositories: one })).toBeUndefined();
    const two = ['ghcr.io/org/a', 'quay.io/org/b'];
    expect(envCredentialsKey(plain, two)).toBeUndefined();
    expect(credentialsFor('quay.io', { env: plain, repositories: two })).toBeUndefined();
    expect(credentialsFor('ghcr.io', { env: plain, repositories: two })).toEqual({ username: 'bot', password: 'pa:ss' });
    expect(envCredentialsKey(plain, ['ubuntu', 'docker.io/org/x'])).toBe(DOCKER_HUB_KEY);
  });

  it('asks credHelpers, else credsStore, through the helper protocol (URL on stdin, nothing secret in argv)', () => {
    const helper = fakeHelper(dir);
    config({ credsStore: 'test', credHelpers: { 'ghcr.io': 'test' }, auths: { 'quay.io': { auth: auth('q', 'qq') } } });
    const withPath = env({ PATH: helper.path });
    expect(credentialsFor('ghcr.io', { env: withPath })).toEqual({ identitytoken: 'refresh-T0KEN' });
    expect(credentialsFor('registry-1.docker.io', { env: withPath })).toEqual({ username: 'hubuser', password: 'hub-S3CRET' });
    // credsStore covers every host, as in the Docker CLI: auths entries are then not read.
    expect(credentialsFor('quay.io', { env: withPath })).toBeUndefined();
    expect(helper.calls()).toEqual(['get <ghcr.io>', `get <${DOCKER_HUB_KEY}>`, 'get <quay.io>']);
  });

  it('reports a helper that is missing or fails without echoing its output', () => {
    const helper = fakeHelper(dir);
    config({ credHelpers: { 'broken.example': 'test', 'other.example': 'absent' } });
    expect(() => credentialsFor('broken.example', { env: env({ PATH: helper.path }) })).toThrow(
      'Docker credential helper docker-credential-test failed for broken.example (exit 2)',
    );
    expect(() => credentialsFor('other.example', { env: env({ PATH: helper.path }) })).toThrow(
      'docker-credential-absent (for other.example) could not run: it is not on PATH',
    );
  });

  it('names a broken config file without quoting it', () => {
    writeFileSync(join(dir, 'config.json'), '{"auths": {"x": {"auth": "c2VjcmV0"}');
    expect(() => credentialsFor('x', { env: env() })).toThrow(`${join(dir, 'config.json')}: not valid JSON`);
  });

  it('has none without a config file', () => {
    expect(credentialsFor('ghcr.io', { env: env({ DOCKER_CONFIG: join(dir, 'missing') }) })).toBeUndefined();
  });
});

describe('redact', () => {
  it('masks the password, its Basic form, identity tokens and extra tokens', () => {
    const text = `pw=pa55word basic=${auth('bot', 'pa55word')} id=IDTOK1 bearer=BEARER9`;
    expect(redact(text, { username: 'bot', password: 'pa55word' }, 'BEARER9')).toBe('pw=*** basic=*** id=IDTOK1 bearer=***');
    expect(redact(text, { identitytoken: 'IDTOK1' })).toContain('id=***');
  });
});
