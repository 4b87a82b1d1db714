import { createHash } from 'node:crypto';
import { credentialsFor, type RegistryCredentials } from './credentials';
import { registryOf } from '../registry/reference';

/** Every manifest kind a tag may point at: multi-arch indexes as well as single images, OCI and Docker. */
const MANIFEST_TYPES = [
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

/** Registries on loopback speak plain HTTP (as dockerd allows for 127.0.0.0/8); every other one HTTPS. */
function baseUrl(host: string): string {
  const local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
  return `${local ? 'http' : 'https'}://${host}`;
}

/**
 * The registry HTTP API v2, enough to read and write tags without moving layers: promotion copies a manifest
 * to a new tag. Handles the Bearer token challenge (GHCR, Docker Hub) and Basic auth. Credentials are only
 * ever sent to the registry, never printed.
 */
export class RegistryClient {
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly host: string,
    private readonly credentials?: RegistryCredentials,
  ) {}

  static forRepository(repository: string): { client: RegistryClient; path: string } {
    const { host, path } = registryOf(repository);
    return { client: new RegistryClient(host, credentialsFor(host)), path };
  }

  private basic(): string | undefined {
    return this.credentials && `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
  }

  private async token(challenge: string, scope: string): Promise<string | undefined> {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    if (!params.realm) {
      return undefined;
    }
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? scope);
    const basic = this.basic();
    const response = await fetch(url, { headers: basic ? { authorization: basic } : {} });
    if (!response.ok) {
      throw new Error(`${this.host}: token request refused (HTTP ${response.status}); check the registry credentials`);
    }
    const body = (await response.json()) as { token?: string; access_token?: string };
    return body.token ?? body.access_token;
  }

  private async request(method: string, path: string, scope: string, init: { headers?: Record<string, string>; body?: Buffer } = {}): Promise<Response> {
    const url = `${baseUrl(this.host)}/v2/${path}`;
    const send = (authorization?: string) =>
      fetch(url, { method, headers: { ...init.headers, ...(authorization ? { authorization } : {}) }, body: init.body });
    let response = await send(this.tokens.get(scope));
    if (response.status === 401) {
      const challenge = response.headers.get('www-authenticate') ?? '';
      const authorization = /^Bearer/i.test(challenge) ? `Bearer ${await this.token(challenge, scope)}` : this.basic();
      if (authorization) {
        this.tokens.set(scope, authorization);
        response = await send(authorization);
      }
    }
    return response;
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
      throw new Error(`${this.host}/${repositoryPath}:${reference}: HTTP ${response.status} ${await response.text()}`);
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
      throw new Error(`${this.host}/${repositoryPath}@${digest}: HTTP ${response.status}`);
    }
    return Buffer.from(await response.arrayBuffer());
  }

  /** Points `tag` at the manifest; returns the digest the registry stored. */
  async putManifest(repositoryPath: string, tag: string, manifest: Manifest): Promise<string> {
    const response = await this.request('PUT', `${repositoryPath}/manifests/${tag}`, `repository:${repositoryPath}:pull,push`, {
      headers: { 'content-type': manifest.mediaType },
      body: manifest.body,
    });
    if (!response.ok) {
      throw new Error(`${this.host}/${repositoryPath}:${tag}: writing the tag failed: HTTP ${response.status} ${await response.text()}`);
    }
    return response.headers.get('docker-content-digest') ?? manifest.digest;
  }
}
