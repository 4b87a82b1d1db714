import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsFor } from './credentials';

describe('credentialsFor', () => {
  let dockerConfig: string;

  beforeEach(() => {
    dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
    const auth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { 'ghcr.io': { auth: auth('bot', 'pa:ss') }, 'https://registry.example.org/v1/': { auth: auth('u', 'p') } } }),
    );
  });

  afterEach(() => rmSync(dockerConfig, { recursive: true, force: true }));

  it('prefers REGISTRY_USERNAME and REGISTRY_PASSWORD', () => {
    expect(credentialsFor('ghcr.io', { REGISTRY_USERNAME: 'env', REGISTRY_PASSWORD: 'secret', DOCKER_CONFIG: dockerConfig })).toEqual({
      username: 'env',
      password: 'secret',
    });
  });

  it('reads the Docker config file that docker login writes, keeping colons in the password', () => {
    expect(credentialsFor('ghcr.io', { DOCKER_CONFIG: dockerConfig })).toEqual({ username: 'bot', password: 'pa:ss' });
    expect(credentialsFor('registry.example.org', { DOCKER_CONFIG: dockerConfig })).toEqual({ username: 'u', password: 'p' });
  });

  it('has none for other registries, or without a config file', () => {
    expect(credentialsFor('127.0.0.1:5000', { DOCKER_CONFIG: dockerConfig })).toBeUndefined();
    expect(credentialsFor('ghcr.io', { DOCKER_CONFIG: join(dockerConfig, 'missing') })).toBeUndefined();
  });
});
