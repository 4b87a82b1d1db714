/**
 * Docker reference grammar (distribution/reference): `[host[:port]/]component(/component)*`, lowercase
 * components joined by `.`, `_`, `__` or dashes; at most 255 characters. Tag names: see `tags.ts`.
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)';
const REPOSITORY = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*$`);
const NAME_COMPONENT = new RegExp(`^${COMPONENT}$`);

export function isValidRepository(name: string): boolean {
  return name.length <= 255 && REPOSITORY.test(name);
}

export function isValidNameComponent(name: string): boolean {
  return NAME_COMPONENT.test(name);
}

/** Splits `host:5000/a/b:tag` into repository and tag (the last `:` after the last `/`). */
export function splitReference(reference: string): { repository: string; tag: string } {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon <= slash) {
    return { repository: reference, tag: 'latest' };
  }
  return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

/** `registry host` and `path` of a repository as the registry HTTP API sees them (Docker Hub defaults). */
const DOCKER_HUB_NAMES = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

export function registryOf(repository: string): { host: string; path: string } {
  const [first, ...rest] = repository.split('/');
  const isHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (isHost && !DOCKER_HUB_NAMES.includes(first)) {
    return { host: first, path: rest.join('/') };
  }
  const path = isHost ? rest : [first, ...rest];
  return { host: 'registry-1.docker.io', path: path.length === 1 ? `library/${path[0]}` : path.join('/') };
}
