import { git } from './git';

/** `https://host/owner/repo` from a git remote: scp-like ssh (`git@host:owner/repo.git`), `ssh://`, `git://` or `https://`. */
export function httpsUrlOfRemote(remote: string): string | undefined {
  const path = (value: string) => value.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  const scp = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)(.+)$/.exec(remote.trim());
  if (scp) {
    return `https://${scp[1]}/${path(scp[2])}`;
  }
  try {
    const url = new URL(remote.trim());
    if (url.protocol === 'https:' || url.protocol === 'http:') {
      // Credentials in the remote are dropped: the URL ends up in a public page.
      return `https://${url.host}/${path(url.pathname)}`;
    }
    if (['ssh:', 'git:', 'git+ssh:', 'ssh+git:'].includes(url.protocol)) {
      // The ssh port says nothing about the web server's.
      return `https://${url.hostname}/${path(url.pathname)}`;
    }
  } catch {
    // Not a URL: fall through.
  }
  return undefined;
}

/** The repository's web address: `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY`, else the `origin` remote's; undefined when neither. */
export function findRepositoryUrl(env: NodeJS.ProcessEnv, workspaceRoot: string): string | undefined {
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) {
    return `${env.GITHUB_SERVER_URL.replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}`;
  }
  const origin = git(workspaceRoot, 'remote', 'get-url', 'origin');
  return origin ? httpsUrlOfRemote(origin) : undefined;
}

/** The repository's web address for wiki links, which cannot do without one: as findRepositoryUrl, or a clear error. */
export function repositoryUrl(env: NodeJS.ProcessEnv, workspaceRoot: string): string {
  const url = findRepositoryUrl(env, workspaceRoot);
  if (!url) {
    throw new Error(
      git(workspaceRoot, 'remote', 'get-url', 'origin')
        ? // Not printed: a remote may carry a token.
          'The origin remote is neither an ssh nor an https URL, so the wiki links have no address: set GITHUB_SERVER_URL and GITHUB_REPOSITORY'
        : 'Cannot tell the repository\'s web address for the wiki links: set GITHUB_SERVER_URL and GITHUB_REPOSITORY, or add an "origin" remote',
    );
  }
  return url;
}
