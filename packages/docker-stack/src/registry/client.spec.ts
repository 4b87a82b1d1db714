import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient } from './client';

/** A loopback registry that, like GHCR, answers 401 with a Bearer challenge and hands out tokens for Basic auth. */
function bearerRegistry(): Promise<{ server: Server; host: string; requests: IncomingMessage[]; manifests: Map<string, Buffer> }> {
  const requests: IncomingMessage[] = [];
  const manifests = new Map<string, Buffer>([['2026.3-main', Buffer.from('{"schemaVersion":2}')]]);
  const server = createServer((request, response) => {
    requests.push(request);
    const host = request.headers.host;
    if (request.url?.startsWith('/token')) {
      const ok = request.headers.authorization === `Basic ${Buffer.from('bot:secret').toString('base64')}`;
      response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'T0KEN' }));
      return;
    }
    if (request.headers.authorization !== 'Bearer T0KEN') {
      response
        .writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="registry",scope="repository:org/img:pull"` })
        .end();
      return;
    }
    const tag = /\/manifests\/(.+)$/.exec(request.url ?? '')?.[1] ?? '';
    if (request.method === 'GET') {
      const body = manifests.get(tag);
      response.writeHead(body ? 200 : 404, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': 'sha256:d1' }).end(body);
    } else {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        manifests.set(tag, Buffer.concat(chunks));
        response.writeHead(201, { 'docker-content-digest': 'sha256:d1' }).end();
      });
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, requests, manifests })),
  );
}

describe('RegistryClient', () => {
  it('answers a Bearer challenge with a token bought with the credentials, and copies a manifest to a new tag', async () => {
    const registry = await bearerRegistry();
    try {
      const client = new RegistryClient(registry.host, { username: 'bot', password: 'secret' });
      const manifest = await client.getManifest('org/img', '2026.3-main');
      expect(manifest).toMatchObject({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:d1' });
      expect(await client.putManifest('org/img', '2026.3-stable', manifest!)).toBe('sha256:d1');
      expect(registry.manifests.get('2026.3-stable')?.toString()).toBe('{"schemaVersion":2}');
      expect(await client.getManifest('org/img', 'missing')).toBeUndefined();
    } finally {
      registry.server.close();
    }
  });

  it('fails clearly when the registry refuses the credentials', async () => {
    const registry = await bearerRegistry();
    try {
      const client = new RegistryClient(registry.host, { username: 'bot', password: 'wrong' });
      await expect(client.getManifest('org/img', '2026.3-main')).rejects.toThrow('token request refused (HTTP 401); check the registry credentials');
    } finally {
      registry.server.close();
    }
  });
});
