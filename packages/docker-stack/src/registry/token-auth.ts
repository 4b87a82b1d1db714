import { refusedHint } from './credentials';
import type { RegistryCredentials } from './registry-credentials';

/** The name this client gives itself in OAuth2 token requests (the distribution spec asks for one). */
const CLIENT_ID = 'datahub-docker-stack';

type Retried = (what: string, send: () => Promise<Response>) => Promise<Response>;

/**
 * Answers a registry's 401 challenge: `Bearer` (GHCR, Docker Hub, ACR; the token service of the distribution spec)
 * or `Basic` (htpasswd). Tokens are bought with Basic credentials (GET), or with an identity token as an OAuth2
 * refresh token (POST `grant_type=refresh_token`), and kept per scope until the registry refuses them.
 */
export class TokenAuth {
  private readonly byScope = new Map<string, string>();

  constructor(
    private readonly host: string,
    private readonly credentials: RegistryCredentials | undefined,
    private readonly retried: Retried,
  ) {}

  /** The `authorization` header last used for a scope. */
  cached(scope: string): string | undefined {
    return this.byScope.get(scope);
  }

  /** Every bearer token held: secrets too, to scrub from messages. */
  tokens(): string[] {
    return [...this.byScope.values()].map((header) => header.replace(/^\w+ /, ''));
  }

  private basic(): string | undefined {
    const { username, password } = this.credentials ?? {};
    return password ? `Basic ${Buffer.from(`${username ?? ''}:${password}`).toString('base64')}` : undefined;
  }

  /** A fresh `authorization` header for the challenge (a new token, never the refused one), or none to offer. */
  async authorize(challenge: string, scope: string): Promise<string | undefined> {
    this.byScope.delete(scope);
    const authorization = /^Bearer /i.test(challenge) ? await this.bearer(challenge, scope) : this.basic();
    if (authorization) {
      this.byScope.set(scope, authorization);
    }
    return authorization;
  }

  private async bearer(challenge: string, scope: string): Promise<string | undefined> {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    if (!params.realm) {
      return undefined;
    }
    const query = { ...(params.service ? { service: params.service } : {}), scope: params.scope ?? scope };
    const url = new URL(params.realm);
    const identityToken = this.credentials?.identitytoken;
    const what = `token request to ${url.origin}${url.pathname} for ${this.host}`;
    const response = await this.retried(what, () => {
      if (identityToken) {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: identityToken, client_id: CLIENT_ID, ...query });
        return fetch(url, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      }
      Object.entries(query).forEach(([key, value]) => url.searchParams.set(key, value));
      const basic = this.basic();
      return fetch(url, { headers: basic ? { authorization: basic } : {} });
    });
    if (!response.ok) {
      await response.body?.cancel();
      const sent = identityToken ? 'identity token' : this.credentials?.password ? 'user name and password' : 'no credentials';
      throw new Error(`${this.host}: token request refused (HTTP ${response.status}, ${sent} sent); ${refusedHint(this.host, this.credentials)}`);
    }
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    return token ? `Bearer ${token}` : undefined;
  }
}
