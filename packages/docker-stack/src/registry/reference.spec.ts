import { isValidNameComponent, isValidRepository, registryOf, splitReference } from './reference';

describe('isValidRepository', () => {
  it.each([
    'ubuntu',
    'jupyter/datascience-notebook',
    'ghcr.io/org/name',
    'ghcr.io/ucsd-ets/datascience-notebook',
    '127.0.0.1:5000/a/b',
    'localhost:5000/x',
    'localhost/x',
    'docker.io/library/x',
    'quay.io/jupyter/scipy-notebook',
    'a.b_c__d---e/f',
  ])('accepts %s', (name) => {
    expect(isValidRepository(name)).toBe(true);
  });

  it.each([
    ['uppercase in a path component', 'ghcr.io/Org/name'],
    ['uppercase single name', 'Ubuntu'],
    ['trailing slash', 'ghcr.io/org/name/'],
    ['trailing dash', 'ghcr.io/org/name-'],
    ['trailing dot', 'ghcr.io/org/name.'],
    ['leading separator', 'ghcr.io/org/-name'],
    ['triple underscore', 'ghcr.io/org/a___b'],
    ['empty component', 'ghcr.io//name'],
    ['a tag', 'ghcr.io/org/name:2026.3'],
    ['a tag on a simple name', 'ubuntu:22.04'],
    ['a digest', 'ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
    ['whitespace', 'ghcr.io/org/my image'],
    ['empty string', ''],
  ])('rejects %s (%s)', (_why, name) => {
    expect(isValidRepository(name)).toBe(false);
  });

  it('accepts exactly 255 characters and rejects 256', () => {
    const prefix = 'ghcr.io/org/';
    const at255 = prefix + 'a'.repeat(255 - prefix.length);
    expect(at255).toHaveLength(255);
    expect(isValidRepository(at255)).toBe(true);
    expect(isValidRepository(at255 + 'a')).toBe(false);
  });
});

describe('isValidNameComponent', () => {
  it.each(['datascience-notebook', 'a', 'a.b', 'a_b', 'a__b', 'a--b', '2026'])('accepts %s', (name) => {
    expect(isValidNameComponent(name)).toBe(true);
  });

  it.each(['Datascience', 'a/b', 'a:b', '-a', 'a-', '', 'a b'])('rejects "%s"', (name) => {
    expect(isValidNameComponent(name)).toBe(false);
  });
});

describe('splitReference', () => {
  it('splits repository and tag', () => {
    expect(splitReference('ghcr.io/org/name:2026.3-main')).toEqual({ repository: 'ghcr.io/org/name', tag: '2026.3-main' });
  });

  it('defaults the tag to latest', () => {
    expect(splitReference('ghcr.io/org/name')).toEqual({ repository: 'ghcr.io/org/name', tag: 'latest' });
    expect(splitReference('ubuntu')).toEqual({ repository: 'ubuntu', tag: 'latest' });
  });

  it('does not mistake a registry port for a tag', () => {
    expect(splitReference('localhost:5000/x')).toEqual({ repository: 'localhost:5000/x', tag: 'latest' });
    expect(splitReference('127.0.0.1:5000/a/b')).toEqual({ repository: '127.0.0.1:5000/a/b', tag: 'latest' });
  });

  it('splits a tag after a registry port', () => {
    expect(splitReference('127.0.0.1:5000/a/b:v1')).toEqual({ repository: '127.0.0.1:5000/a/b', tag: 'v1' });
  });

  it('splits a simple name with a tag', () => {
    expect(splitReference('ubuntu:22.04')).toEqual({ repository: 'ubuntu', tag: '22.04' });
  });
});

describe('registryOf', () => {
  it('uses the first component as the host when it looks like one', () => {
    expect(registryOf('ghcr.io/org/name')).toEqual({ host: 'ghcr.io', path: 'org/name' });
    expect(registryOf('127.0.0.1:5000/a/b')).toEqual({ host: '127.0.0.1:5000', path: 'a/b' });
    expect(registryOf('localhost:5000/x')).toEqual({ host: 'localhost:5000', path: 'x' });
    expect(registryOf('localhost/x')).toEqual({ host: 'localhost', path: 'x' });
  });

  it('defaults to Docker Hub, adding library/ to official images', () => {
    expect(registryOf('ubuntu')).toEqual({ host: 'registry-1.docker.io', path: 'library/ubuntu' });
    expect(registryOf('jupyter/datascience-notebook')).toEqual({ host: 'registry-1.docker.io', path: 'jupyter/datascience-notebook' });
  });

  it('treats a first component without a dot, colon or localhost as a Docker Hub namespace', () => {
    expect(registryOf('org/team/name')).toEqual({ host: 'registry-1.docker.io', path: 'org/team/name' });
  });

  it('maps an explicit docker.io name to the Docker Hub registry API', () => {
    expect(registryOf('docker.io/library/x')).toEqual({ host: 'registry-1.docker.io', path: 'library/x' });
    expect(registryOf('docker.io/x')).toEqual({ host: 'registry-1.docker.io', path: 'library/x' });
  });
});
