import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The one password the fake registry takes, with the user name `bot`. */
export const PASSWORD = 'pw-Zq81secret';
export const digestOf = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;
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
export class FakeRegistry {
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
      if (!this.deletes) {
        response.writeHead(405).end('{"errors":[{"code":"UNSUPPORTED"}]}');
      } else {
        response.writeHead(digest !== undefined && this.blobs.delete(digest) ? 202 : 404).end();
      }
    } else {
      const found = digest && this.blobs.get(digest);
      const headers = { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': digest ?? '' };
      response.writeHead(found ? 200 : 404, found ? headers : {}).end(found || undefined);
    }
  }
}
