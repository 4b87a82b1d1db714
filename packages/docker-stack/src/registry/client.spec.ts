import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient } from './client';

const PASSWORD = 'pw-Zq81secret';
const digestOf = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;
const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
  });

/**
 * A loopback registry that, like GHCR, answers 401 with a Bearer challenge and hands out tokens for Basic auth or
 * an OAuth2 refresh token. Manifests are stored by content digest; tags point at digests. `fault` answers a request
 * first when it returns true, to play 5xx, 429, expired tokens or echoing servers.
 */
class FakeRegistry {
  readonly requests: string[] = [];
  readonly blobs = new Map<string, Buffer>();
  readonly tags = new Map<string, string>();
  /** Tokens the registry still accepts; dropping one plays an expired token. */
  readonly valid = new Set<string>();
  fault?: (request: IncomingMessage, response: ServerResponse) => boolean;
  deletes = true;
  private server?: Server;
  private issued = 0;
  host = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }

  put(tag: string, text: string): string {
    const body = Buffer.from(text);
    this.blobs.set(digestOf(body), body);
    this.tags.set(tag, digestOf(body));
    return digestOf(body);
  }

  private token(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const form = new URLSearchParams(body.toString());
    const basicOk = request.headers.authorization === `Basic ${Buffer.from(`bot:${PASSWORD}`).toString('base64')}`;
    const refreshOk = form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'IDENTITY-tok3n';
    if (!basicOk && !refreshOk) {
      response.writeHead(401).end(`bad credentials: ${request.headers.authorization ?? body.toString()}`);
      return;
    }
    const token = `T0KEN-${++this.issued}`;
    this.valid.add(token);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(refreshOk ? { access_token: token } : { token }));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    this.requests.push(`${request.method} ${request.url}`);
    if (this.fault?.(request, response)) {
      return;
    }
    if (request.url?.startsWith('/token')) {
      return this.token(request, body, response);
    }
    if (!this.valid.has((request.headers.authorization ?? '').replace('Bearer ', ''))) {
      const challenge = `Bearer realm="http://${this.host}/token",service="fake"`;
      response.writeHead(401, { 'www-authenticate': challenge }).end();
      return;
    }
    const [, kind, reference] = /\/v2\/org\/img\/(manifests|blobs|tags)\/(.+)$/.exec(request.url ?? '') ?? [];
    const digest = reference?.startsWith('sha256:') ? reference : this.tags.get(reference);
    if (request.method === 'PUT') {
      this.blobs.set(digestOf(body), body);
      this.tags.set(reference, digestOf(body));
      response.writeHead(201, { 'docker-content-digest': digestOf(body) }).end();
    } else if (kind === 'tags') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tags: [...this.tags.keys()] }));
    } else if (request.method === 'DELETE') {
      const done = this.deletes && digest !== undefined && this.blobs.delete(digest);
      response.writeHead(done ? 202 : 405).end(done ? '' : '{"errors":[{"code":"UNSUPPORTED"}]}');
    } else {
      const found = digest && this.blobs.get(digest);
      const headers = { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': digest ?? '' };
      response.writeHead(found ? 200 : 404, found ? headers : {}).end(found || undefined);
    }
  }
}

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
