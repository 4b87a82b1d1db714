/**
 * A loopback HTTP proxy in front of a test registry that can fail on cue: go away (connections refused, those in
 * flight cut), answer 500 to everything, or hold requests (so that a test can break something else meanwhile). The pipeline only ever sees the proxy's address, so a test can also
 * swap the registry behind it for an empty one and run the same stack (same image names, same Nx hashes) again.
 * It runs in the test's process: nx must then run asynchronously (see fault-stack.ts runNx), or the proxy stalls.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with a request (`error500`: every request but blob transfers); `hold` waits for set(). */
export type ProxyMode = 'pass' | 'down' | 'error500' | 'hold';

/** A request as a trigger sees it, with the manifest PUTs already answered before it. */
export interface SeenRequest {
  method: string;
  url: string;
  manifestPutsBefore: number;
}

interface Trigger {
  when: (seen: SeenRequest) => boolean;
  mode: ProxyMode;
}

const isManifestPut = (method: string, url: string) => method === 'PUT' && /^\/v2\/.+\/manifests\/[^/]+$/.test(url);

export class FaultProxy {
  /** Manifest PUTs the registry answered 201 (a tag written), since the last set(). */
  manifestPuts = 0;
  /** Requests answered 500 by the proxy itself, since the last set(). */
  errors500 = 0;
  private mode: ProxyMode = 'pass';
  private triggers: Trigger[] = [];
  private held: (() => void)[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private port: number,
    /** `127.0.0.1:<port>` of the registry behind the proxy. */
    public target: string,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(0, target);
    await proxy.up();
    return proxy;
  }

  /** What the pipeline calls the registry. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Switches to `mode` at the first request for which `when` holds; that request already gets the new mode. */
  on(when: (seen: SeenRequest) => boolean, mode: ProxyMode): void {
    this.triggers.push({ when, mode });
  }

  /** Switches to `mode` now, dropping any trigger and starting the counts again. */
  async set(mode: ProxyMode): Promise<void> {
    this.triggers = [];
    this.manifestPuts = 0;
    this.errors500 = 0;
    if (mode !== 'down' && !this.server) {
      await this.up();
    }
    this.mode = mode;
    if (mode === 'down') {
      await this.down();
    }
    this.held.splice(0).forEach((handle) => handle());
  }

  get current(): ProxyMode {
    return this.mode;
  }

  /** Listens (again, on the same port once it has one). */
  private async up(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts every open connection, as a registry that dies does. */
  private async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.mode = 'down';
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const seen = { method: req.method ?? '', url: req.url ?? '', manifestPutsBefore: this.manifestPuts };
    const fired = this.triggers.find((trigger) => trigger.when(seen));
    if (fired) {
      this.triggers = [];
      this.mode = fired.mode;
    }
    if (this.mode === 'hold') {
      this.held.push(() => (req.socket.destroyed ? undefined : this.handle(req, res)));
      return;
    }
    if (this.mode === 'down') {
      void this.down();
      return;
    }
    // Blob transfers pass even then: the daemon retries each layer 5 times over 50 s by itself, which would only
    // slow the test; the tag writes (manifests) are what the pipeline's own retries must outlast.
    if (this.mode === 'error500' && !/\/blobs\//.test(seen.url)) {
      this.errors500++;
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNKNOWN","message":"fault proxy: 500"}]}');
      return;
    }
    this.forward(req, res, seen);
  }

  /** Passes the request on unchanged (Host included, so the registry's Location headers name the proxy). */
  private forward(req: IncomingMessage, res: ServerResponse, seen: SeenRequest): void {
    const [hostname, port] = this.target.split(':');
    const upstream = request({ hostname, port: Number(port), method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (isManifestPut(seen.method, seen.url) && answer.statusCode === 201) {
        this.manifestPuts++;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  async stop(): Promise<void> {
    await this.down();
  }
}
