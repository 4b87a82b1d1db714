import { createHash } from 'node:crypto';
import { credentialsFor, redact, refusedHint } from './credentials';
import type { RegistryCredentials } from './registry-credentials';
import { registryOf } from './reference';
import { RegistryHttpError, withRetries } from './retries';
import { TokenAuth } from './token-auth';

/** Every manifest kind a tag may point at: multi-arch indexes as well as single images, OCI and Docker. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface Manifest {
  mediaType: string;
  /** The exact bytes: re-putting them under another tag keeps the digest. */
  body: Buffer;
  digest: string;
}

export interface RegistryClientOptions {
  /** Where retry notices go (default: Nx's logger). */
  log?: (line: string) => void;
  /** The first retry's wait; tests make it short. */
  retryDelayMs?: number;
}

interface RequestInit {
  headers?: Record<string, string>;
  body?: Buffer;
}

/** Nx's logger, loaded only for a notice: bin/rebuild-inputs.js uses this client in every nx command's hashing. */
const nxWarn = (line: string) => (require('@nx/devkit') as typeof import('@nx/devkit')).logger.warn(line);

/** Registries on loopback speak plain HTTP (as dockerd allows for 127.0.0.0/8); every other one HTTPS. */
function baseUrl(host: string): string {
  const local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
  return `${local ? 'http' : 'https'}://${host}`;
}

/**
 * The registry HTTP API v2, enough to read, write and delete tags without moving layers. Every request follows the
 * retry policy of retries.ts; authentication (Bearer token or Basic) is token-auth.ts's. Credentials are only ever
 * sent to the registry, and every message is scrubbed of them.
 */
export class RegistryClient {
  private readonly auth: TokenAuth;
  private readonly log: (line: string) => void;

  constructor(
    readonly host: string,
    private readonly credentials?: RegistryCredentials,
    private readonly options: RegistryClientOptions = {},
  ) {
    this.log = options.log ?? nxWarn;
    this.auth = new TokenAuth(host, credentials, (what, send) => this.retried(what, send));
  }

  /** A client for an image's registry; `repositories` are the stack's images, which scope REGISTRY_USERNAME/PASSWORD. */
  static forRepository(repository: string, repositories: string[] = []): { client: RegistryClient; path: string } {
    const { host, path } = registryOf(repository);
    return { client: new RegistryClient(host, credentialsFor(host, { repositories })), path };
  }

  /** Text safe for a log or an error: no password, identity token or bearer token in it. */
  private scrub(text: string): string {
    return redact(text, this.credentials, ...this.auth.tokens());
  }

  /** One HTTP exchange under the retry policy: network errors, 429 and 5xx are retried, other answers returned. */
  private retried(what: string, send: () => Promise<Response>): Promise<Response> {
    return withRetries(
      what,
      async () => {
        const response = await send();
        if (response.status === 429 || response.status >= 500) {
          const body = this.scrub((await response.text()).slice(0, 200));
          throw new RegistryHttpError(`HTTP ${response.status}${body ? ` ${body}` : ''}`, response.status);
        }
        return response;
      },
      (line) => this.log(this.scrub(line)),
      this.options.retryDelayMs,
    ).catch((error: Error) => {
      throw Object.assign(new Error(this.scrub(error.message)), { status: (error as { status?: number }).status });
    });
  }

  /** A request with authentication: a refused or expired token is replaced once (token-auth.ts) before giving up. */
  private async request(method: string, path: string, scope: string, init: RequestInit = {}): Promise<Response> {
    const url = `${baseUrl(this.host)}/v2/${path}`;
    const what = `${method} ${this.host}/v2/${path}`;
    const send = (authorization?: string) => () =>
      fetch(url, { method, headers: { ...init.headers, ...(authorization ? { authorization } : {}) }, body: init.body });
    const response = await this.retried(what, send(this.auth.cached(scope)));
    if (response.status !== 401) {
      return response;
    }
    await response.body?.cancel();
    const authorization = await this.auth.authorize(response.headers.get('www-authenticate') ?? '', scope);
    return authorization ? this.retried(what, send(authorization)) : response;
  }

  /** An error for an unexpected answer, naming the reference; the registry's words are kept, scrubbed. */
  private async failure(reference: string, action: string, response: Response): Promise<Error> {
    const hint = response.status === 401 || response.status === 403 ? `; ${refusedHint(this.host, this.credentials)}` : '';
    const body = this.scrub((await response.text()).slice(0, 300).trim());
    return new RegistryHttpError(`${this.host}/${reference}: ${action} failed: HTTP ${response.status}${hint}${body ? ` (${body})` : ''}`, response.status);
  }

  /** The manifest a tag (or digest) points at, or undefined when the registry does not have it. */
  async getManifest(repositoryPath: string, reference: string): Promise<Manifest | undefined> {
    const response = await this.request('GET', `${repositoryPath}/manifests/${reference}`, `repository:${repositoryPath}:pull`, {
      headers: { accept: MANIFEST_TYPES },
    });
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await this.failure(`${repositoryPath}:${reference}`, 'reading the manifest', response);
    }
    const body = Buffer.from(await response.arrayBuffer());
    return {
      mediaType: response.headers.get('content-type') ?? '',
      body,
      digest: response.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(body).digest('hex')}`,
    };
  }

  /** A blob's bytes, for small blobs such as an image's config (its labels); promotion never asks for a layer. */
  async getBlob(repositoryPath: string, digest: string): Promise<Buffer> {
    const response = await this.request('GET', `${repositoryPath}/blobs/${digest}`, `repository:${repositoryPath}:pull`);
    if (!response.ok) {
      throw await this.failure(`${repositoryPath}@${digest}`, 'reading the blob', response);
    }
    return Buffer.from(await response.arrayBuffer());
  }

  /** Uploads a small blob in one piece (the config of a manifest this client writes); a blob already there is kept. */
  async putBlob(repositoryPath: string, body: Buffer): Promise<string> {
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const scope = `repository:${repositoryPath}:pull,push`;
    const started = await this.request('POST', `${repositoryPath}/blobs/uploads/`, scope);
    const location = started.headers.get('location');
    if (started.status !== 202 || !location) {
      throw await this.failure(repositoryPath, 'starting a blob upload', started);
    }
    const url = new URL(location, `${baseUrl(this.host)}/`);
    url.searchParams.set('digest', digest);
    const path = `${url.pathname.replace(/^\/v2\//, '')}${url.search}`;
    const done = await this.request('PUT', path, scope, { headers: { 'content-type': 'application/octet-stream' }, body });
    if (!done.ok) {
      throw await this.failure(`${repositoryPath}@${digest}`, 'uploading the blob', done);
    }
    return digest;
  }

  /** Points `tag` at the manifest; returns the digest the registry stored. */
  async putManifest(repositoryPath: string, tag: string, manifest: Manifest): Promise<string> {
    const response = await this.request('PUT', `${repositoryPath}/manifests/${tag}`, `repository:${repositoryPath}:pull,push`, {
      headers: { 'content-type': manifest.mediaType },
      body: manifest.body,
    });
    if (!response.ok) {
      throw await this.failure(`${repositoryPath}:${tag}`, 'writing the tag', response);
    }
    return response.headers.get('docker-content-digest') ?? manifest.digest;
  }

  /** Every tag of a repository (following the `Link` pages); none when the registry does not know it. */
  async listTags(repositoryPath: string): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = `${repositoryPath}/tags/list?n=1000`;
    while (next) {
      const response = await this.request('GET', next, `repository:${repositoryPath}:pull`);
      if (response.status === 404) {
        return tags;
      }
      if (!response.ok) {
        throw await this.failure(repositoryPath, 'listing the tags', response);
      }
      tags.push(...(((await response.json()) as { tags?: string[] | null }).tags ?? []));
      next = /<\/v2\/([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    }
    return tags;
  }

  /**
   * Deletes a manifest by digest, and with it every tag pointing at it. `unsupported` when the registry has
   * deletes disabled (405 or UNSUPPORTED), so nothing changed.
   */
  async deleteManifest(repositoryPath: string, digest: string): Promise<'deleted' | 'unsupported'> {
    const response = await this.request('DELETE', `${repositoryPath}/manifests/${digest}`, `repository:${repositoryPath}:delete`);
    if (response.ok || response.status === 404) {
      return 'deleted';
    }
    const body = await response.clone().text();
    if (response.status === 405 || /"UNSUPPORTED"/.test(body)) {
      return 'unsupported';
    }
    throw await this.failure(`${repositoryPath}@${digest}`, 'deleting the manifest', response);
  }
}
