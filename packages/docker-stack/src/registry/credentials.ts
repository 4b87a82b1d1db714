import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RegistryCredentials {
  username: string;
  password: string;
}

/**
 * Credentials for a registry host, from `REGISTRY_USERNAME`/`REGISTRY_PASSWORD`, else from the Docker config
 * file (`$DOCKER_CONFIG/config.json`, as `docker login` and `docker/login-action` write it). Never from the
 * command line, and callers never print them.
 */
export function credentialsFor(host: string, env: NodeJS.ProcessEnv = process.env): RegistryCredentials | undefined {
  if (env.REGISTRY_USERNAME && env.REGISTRY_PASSWORD) {
    return { username: env.REGISTRY_USERNAME, password: env.REGISTRY_PASSWORD };
  }
  const configFile = join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  if (!existsSync(configFile)) {
    return undefined;
  }
  const auths = (JSON.parse(readFileSync(configFile, 'utf8')) as { auths?: Record<string, { auth?: string }> }).auths ?? {};
  const entry = Object.entries(auths).find(([key]) => key.replace(/^https?:\/\//, '').split('/')[0] === host)?.[1];
  if (!entry?.auth) {
    return undefined;
  }
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
