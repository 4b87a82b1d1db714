import { RegistryClient } from './client';
import { FakeRegistry, PASSWORD } from '../../testing/fake-registry';

describe('RegistryClient', () => {
  let registry: FakeRegistry;
  const client = (credentials: ConstructorParameters<typeof RegistryClient>[1] = { username: 'bot', password: PASSWORD }, log: string[] = []) =>
    new RegistryClient(registry.host, credentials, { retryDelayMs: 1, log: (line) => log.push(line) });

  beforeEach(async () => {
    registry = await new FakeRegistry().start();
  });
  afterEach(() => registry.stop());

  it('answers a Bearer challenge with a token bought with the credentials, and copies a manifest keeping its digest', async () => {
    const digest = registry.put('2026.3-main', '{"schemaVersion":2,"n":1}');
    const registryClient = client();
    const manifest = await registryClient.getManifest('org/img', '2026.3-main');
    expect(manifest).toMatchObject({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest });
    expect(await registryClient.putManifest('org/img', '2026.3-stable', manifest!)).toBe(digest);
    expect(registry.tags.get('2026.3-stable')).toBe(digest);
    expect(await registryClient.getManifest('org/img', 'missing')).toBeUndefined();
    expect(registry.requests.filter((line) => line.startsWith('GET /token'))).toHaveLength(2); // one per scope: pull, then pull,push
  });

  it('buys tokens with an identity token as an OAuth2 refresh token', async () => {
    const digest = registry.put('t', '{"n":2}');
    expect((await client({ identitytoken: 'IDENTITY-tok3n' }).getManifest('org/img', 't'))?.digest).toBe(digest);
    expect(registry.requests).toContain('POST /token');
  });

  it('gets a new token once when the registry refuses an expired one', async () => {
    registry.put('t', '{"n":3}');
    const registryClient = client();
    await registryClient.getManifest('org/img', 't');
    registry.valid.clear(); // every token issued so far has expired
    expect(await registryClient.getManifest('org/img', 't')).toBeDefined();
    expect(registry.requests.filter((line) => line.startsWith('GET /token'))).toHaveLength(2);
  });

  it('fails after one new token when the registry keeps refusing, with a clear message', async () => {
    registry.put('t', '{"n":4}');
    registry.fault = (request, response) => !request.url?.startsWith('/token') && Boolean(response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${registry.host}/token"` }).end());
    await expect(client().getManifest('org/img', 't')).rejects.toThrow(`${registry.host}/org/img:t: reading the manifest failed: HTTP 401; check the registry credentials`);
    expect(registry.requests.filter((line) => line.startsWith('GET /token'))).toHaveLength(1);
  });

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    const digest = registry.put('t', '{"n":5}');
    const statuses = [503, 429, 500];
    registry.fault = (_request, response) => statuses.length > 0 && Boolean(response.writeHead(statuses.shift()!).end('busy'));
    const log: string[] = [];
    expect((await client(undefined, log).getManifest('org/img', 't'))?.digest).toBe(digest);
    expect(log).toEqual([expect.stringContaining('HTTP 503 busy), retrying in 0.001s'), expect.stringContaining('HTTP 429'), expect.stringContaining('HTTP 500')]);
  });

  it('does not retry a 4xx answer', async () => {
    registry.fault = (_request, response) => Boolean(response.writeHead(400).end('bad request'));
    await expect(client().getManifest('org/img', 't')).rejects.toThrow('HTTP 400');
    expect(registry.requests).toHaveLength(1);
  });

  it('retries a refused connection, then names the registry', async () => {
    await registry.stop();
    const log: string[] = [];
    await expect(client(undefined, log).getManifest('org/img', 't')).rejects.toThrow(`GET ${registry.host}/v2/org/img/manifests/t failed after 4 attempts`);
    expect(log).toHaveLength(3);
  });

  it('keeps the password and tokens out of messages even when the registry echoes them', async () => {
    registry.fault = (request, response) =>
      !request.url?.startsWith('/token') &&
      Boolean(request.headers.authorization) &&
      Boolean(response.writeHead(500).end(`internal error for ${request.headers.authorization} ${PASSWORD}`));
    const log: string[] = [];
    const echoed = await client(undefined, log).getManifest('org/img', 't').catch((error: Error) => error.message);
    const wrong = await client({ username: 'bot', password: 'wrong-Pw-42' }).getManifest('org/img', 't').catch((error: Error) => error.message);
    expect(echoed).toContain('failed after 4 attempts: HTTP 500 internal error for Bearer *** ***');
    expect(wrong).toContain('token request refused (HTTP 401, user name and password sent); check the registry credentials');
    const basic = Buffer.from(`bot:${PASSWORD}`).toString('base64');
    expect([echoed, wrong, ...log].join('\n')).not.toMatch(new RegExp(`${PASSWORD}|wrong-Pw-42|T0KEN-\\d|${basic}`));
  });

  it('lists tags and deletes by digest; reports deletes disabled without changing anything', async () => {
    const digest = registry.put('build-1', '{"n":6}');
    registry.put('2026.3-main', '{"n":7}');
    const registryClient = client();
    expect((await registryClient.listTags('org/img')).sort()).toEqual(['2026.3-main', 'build-1']);
    registry.deletes = false;
    expect(await registryClient.deleteManifest('org/img', digest)).toBe('unsupported');
    expect(registry.blobs.has(digest)).toBe(true);
    registry.deletes = true;
    expect(await registryClient.deleteManifest('org/img', digest)).toBe('deleted');
    expect(registry.blobs.has(digest)).toBe(false);
  });
});
