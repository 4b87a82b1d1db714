import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server speaking Nx's self-hosted remote cache protocol (GET/PUT /v1/cache/{hash}), standing in for
 * the remote cache a fresh CI runner shares with earlier runs.
 */
export class CacheServer {
  readonly entries = new Map<string, Buffer>();
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const hash = /^\/v1\/cache\/([^/?]+)/.exec(request.url ?? '')?.[1];
      if (!hash) {
        response.writeHead(404).end();
      } else if (request.method === 'GET') {
        const entry = this.entries.get(hash);
        response.writeHead(entry ? 200 : 404, { 'content-type': 'application/octet-stream' }).end(entry);
      } else if (request.method === 'PUT') {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          this.entries.set(hash, Buffer.concat(chunks));
          response.writeHead(200).end();
        });
      } else {
        response.writeHead(405).end();
      }
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  env(): Record<string, string> {
    return { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: this.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'e2e-token' };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
