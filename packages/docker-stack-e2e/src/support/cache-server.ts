import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Serves Nx's self-hosted remote cache protocol (GET/PUT /v1/cache/{hash}) from memory on a loopback port. */
function serve(): void {
  const entries = new Map<string, Buffer>();
  const server = createServer((request, response) => {
    const hash = /^\/v1\/cache\/([^/?]+)/.exec(request.url ?? '')?.[1];
    if (!hash) {
      response.writeHead(404).end();
    } else if (request.method === 'GET') {
      const entry = entries.get(hash);
      response.writeHead(entry ? 200 : 404, { 'content-type': 'application/octet-stream' }).end(entry);
    } else if (request.method === 'PUT') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        entries.set(hash, Buffer.concat(chunks));
        response.writeHead(200).end();
      });
    } else {
      response.writeHead(405).end();
    }
  });
  server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
}

/**
 * The remote cache a fresh CI runner shares with earlier runs. It runs in its own process: the tests call the
 * nx CLI synchronously, which would block a server living in the test's own event loop.
 */
export class CacheServer {
  private process?: ChildProcess;
  url = '';

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', __filename], {
      env: { ...process.env, SWC_NODE_PROJECT: join(__dirname, '../../../../tsconfig.json'), CACHE_SERVER: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.process = child;
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    this.url = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`cache server exited with ${code}`)));
    });
  }

  env(): Record<string, string> {
    return { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: this.url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'e2e-token' };
  }

  async stop(): Promise<void> {
    this.process?.kill();
  }
}

if (process.env.CACHE_SERVER === '1' && require.main === module) {
  serve();
}
