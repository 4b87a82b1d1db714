import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { helperCredentials } from './credential-helper';
import { registryOf } from './reference';
import type { RegistryCredentials } from './registry-credentials';

/** Where `docker login` keeps Docker Hub's credentials, whichever of its names the image uses. */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_HOSTS = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

/** The Docker CLI's key for a registry: Docker Hub's legacy index URL, else `host[:port]` without scheme or path. */
export function credentialKey(hostOrUrl: string): string {
  const host = hostOrUrl.replace(/^[a-z]+:\/\//i, '').split('/')[0];
  return DOCKER_HUB_HOSTS.includes(host) ? DOCKER_HUB_KEY : host;
}

/**
 * The one registry `REGISTRY_USERNAME`/`REGISTRY_PASSWORD` belong to: `REGISTRY_HOST`, else the registry of the
 * stack's images when they all share one. Never every host: a second registry must not see the first one's password.
 */
export function envCredentialsKey(env: NodeJS.ProcessEnv, repositories: string[]): string | undefined {
  if (env.REGISTRY_HOST) {
    return credentialKey(env.REGISTRY_HOST);
  }
  const keys = new Set(repositories.map((repository) => credentialKey(registryOf(repository).host)));
  return keys.size === 1 ? [...keys][0] : undefined;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

function readDockerConfig(env: NodeJS.ProcessEnv): DockerConfig {
  const file = join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  if (!existsSync(file)) {
    return {};
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
  } catch (error) {
    // Only the parser's position, never the text: the file holds secrets.
    throw new Error(`${file}: not valid JSON (${(error as Error).message.replace(/".*"/s, '…')})`);
  }
}

function fromEntry(entry: AuthEntry): RegistryCredentials | undefined {
  if (entry.identitytoken) {
    return { identitytoken: entry.identitytoken };
  }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return entry.username && entry.password ? { username: entry.username, password: entry.password } : undefined;
}

/**
 * The Docker config's credentials for a registry, looked up as the Docker CLI does: `credHelpers[key]`, else
 * `credsStore`, else `auths` (exact key, else a key naming the same host, as older files do).
 */
function configCredentials(key: string, env: NodeJS.ProcessEnv): RegistryCredentials | undefined {
  const config = readDockerConfig(env);
  const helper = config.credHelpers?.[key] ?? config.credsStore;
  if (helper) {
    return helperCredentials(helper, key, env);
  }
  const auths = config.auths ?? {};
  const entry = auths[key] ?? Object.entries(auths).find(([name]) => credentialKey(name) === key)?.[1];
  return entry && fromEntry(entry);
}

export interface CredentialScope {
  /** The stack's image repositories: their shared registry is where the env credentials go without REGISTRY_HOST. */
  repositories?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Credentials for a registry host: `REGISTRY_USERNAME`/`REGISTRY_PASSWORD` when the host is theirs (see
 * envCredentialsKey), else the Docker config's (helpers included), else none. Never from the command line, and
 * never printed.
 */
export function credentialsFor(host: string, scope: CredentialScope = {}): RegistryCredentials | undefined {
  const env = scope.env ?? process.env;
  const key = credentialKey(host);
  if (env.REGISTRY_USERNAME && env.REGISTRY_PASSWORD && envCredentialsKey(env, scope.repositories ?? []) === key) {
    return { username: env.REGISTRY_USERNAME, password: env.REGISTRY_PASSWORD };
  }
  return configCredentials(key, env);
}

/** What to do when a registry refuses us, depending on whether credentials were sent (never which ones). */
export function refusedHint(host: string, credentials: RegistryCredentials | undefined): string {
  return credentials
    ? `check the registry credentials for ${credentialKey(host)}`
    : `no credentials for ${credentialKey(host)}: set REGISTRY_USERNAME/REGISTRY_PASSWORD (and REGISTRY_HOST=${host}), or docker login ${host}`;
}

/** Every form a secret could be echoed in: itself, and Basic auth's base64 of `user:password`. */
function secretsOf(credentials: RegistryCredentials | undefined): string[] {
  if (!credentials) {
    return [];
  }
  const { username, password, identitytoken } = credentials;
  const basic = password ? [Buffer.from(`${username ?? ''}:${password}`).toString('base64')] : [];
  return [password, identitytoken, ...basic].filter((secret): secret is string => Boolean(secret && secret.length >= 4));
}

/** Masks any secret of the credentials (and further ones, such as a bearer token) in text bound for a log or an error. */
export function redact(text: string, credentials: RegistryCredentials | undefined, ...more: (string | undefined)[]): string {
  const secrets = [...secretsOf(credentials), ...more.filter((secret): secret is string => Boolean(secret && secret.length >= 4))];
  return secrets.reduce((masked, secret) => masked.split(secret).join('***'), text);
}
