/**
 * A registry of the test's own on a free loopback port: Debian's docker-registry with deletes on, its data in a
 * temporary folder, and an access log to count the bytes it served. Read through the registry HTTP API.
 * Options: deletes off, and htpasswd (Basic) auth, which docker-registry accepts on plain HTTP.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './private-dockerd';

const MANIFEST_TYPES = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

export interface Manifest {
  config: { digest: string; size: number };
  layers: { digest: string; size: number }[];
}

/** A free loopback port (the registry takes it a moment later; nothing else here asks for one in between). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export interface RegistryOptions {
  /** Default true. */
  deletes?: boolean;
  /** Require this user (htpasswd, Basic auth). */
  htpasswd?: { username: string; password: string };
}

/** An htpasswd line: docker-registry takes bcrypt only, which Perl's crypt() makes with Debian's libxcrypt. */
function htpasswdLine(username: string, password: string): string {
  const script = 'my $p = <STDIN>; my @c = (".", "/", "a".."z", "A".."Z", 0..9); print crypt($p, q{$2b$05$} . join("", map { $c[rand 64] } 1..22));';
  // The password goes in on stdin, never in argv.
  return `${username}:${execFileSync('perl', ['-e', script], { input: password, encoding: 'utf8' })}\n`;
}

/** The same config as tools/setup.sh's, plus the access log: no blob descriptor cache, so deletes stay honest. */
function config(dataDir: string, host: string, options: RegistryOptions = {}, htpasswdFile = ''): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    '  delete:',
    `    enabled: ${options.deletes ?? true}`,
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${host}`,
    ...(options.htpasswd ? ['auth:', '  htpasswd:', '    realm: private-registry', `    path: ${htpasswdFile}`] : []),
    '',
  ].join('\n');
}

export class PrivateRegistry {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'private-registry-'));

  /** `127.0.0.1:<port>`; a given port lets a new, empty registry take an old one's place under the same name. */
  private constructor(
    readonly host: string,
    private readonly options: RegistryOptions = {},
  ) {}

  static async start(port?: number, options: RegistryOptions = {}): Promise<PrivateRegistry> {
    const registry = new PrivateRegistry(`127.0.0.1:${port ?? (await freePort())}`, options);
    const htpasswd = join(registry.dir, 'htpasswd');
    if (options.htpasswd) {
      writeFileSync(htpasswd, htpasswdLine(options.htpasswd.username, options.htpasswd.password));
    }
    writeFileSync(join(registry.dir, 'config.yml'), config(join(registry.dir, 'data'), registry.host, options, htpasswd));
    const log = openSync(join(registry.dir, 'registry.log'), 'a');
    registry.process = spawn('/usr/bin/docker-registry', ['serve', join(registry.dir, 'config.yml')], { stdio: ['ignore', log, log] });
    closeSync(log);
    if (!(await waitUntil(async () => [200, 401].includes((await fetch(`http://${registry.host}/v2/`)).status), 30))) {
      await registry.stop();
      throw new Error(`docker-registry on ${registry.host} did not come up`);
    }
    return registry;
  }

  get port(): number {
    return Number(this.host.split(':')[1]);
  }

  private async get(path: string, accept = 'application/json'): Promise<Response> {
    const { username, password } = this.options.htpasswd ?? {};
    const headers: Record<string, string> = { accept };
    if (username) {
      headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    const response = await fetch(`http://${this.host}/v2/${path}`, { headers });
    if (!response.ok) {
      throw new Error(`GET ${this.host}/v2/${path}: HTTP ${response.status}`);
    }
    return response;
  }

  async manifest(repository: string, reference: string): Promise<Manifest> {
    return (await (await this.get(`${repository}/manifests/${reference}`, MANIFEST_TYPES)).json()) as Manifest;
  }

  /** Every `repository:tag` under a namespace with the digest of its manifest, e.g. `ns/a:build-1f…` -> `sha256:…`. */
  async tagDigests(namespace: string): Promise<Map<string, string>> {
    const { repositories } = (await (await this.get('_catalog?n=1000')).json()) as { repositories: string[] };
    const digests = new Map<string, string>();
    for (const repository of repositories.filter((name) => name.startsWith(`${namespace}/`))) {
      const { tags } = (await (await this.get(`${repository}/tags/list`)).json()) as { tags: string[] | null };
      for (const tag of tags ?? []) {
        const response = await this.get(`${repository}/manifests/${tag}`, MANIFEST_TYPES);
        digests.set(`${repository}:${tag}`, response.headers.get('docker-content-digest') ?? '');
      }
    }
    return digests;
  }

  /** Bytes of layer blobs the registry has sent, from its access log (GET …/blobs/… answered 200). */
  blobBytesServed(): number {
    const log = readFileSync(join(this.dir, 'registry.log'), 'utf8');
    const served = [...log.matchAll(/"GET \/v2\/\S+\/blobs\/sha256:\S+ HTTP\/[\d.]+" 200 (\d+)/g)];
    return served.reduce((sum, match) => sum + Number(match[1]), 0);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
