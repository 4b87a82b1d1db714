import { spawnSync } from 'node:child_process';
import type { RegistryCredentials } from './registry-credentials';

/** The user name a helper answers with when its secret is an identity (refresh) token, as in the Docker CLI. */
const TOKEN_USERNAME = '<token>';

/**
 * Asks a Docker credential helper (`credsStore`/`credHelpers` in the Docker config) for a server's credentials:
 * `docker-credential-<name> get` with the server URL on stdin, JSON `{ServerURL, Username, Secret}` on stdout.
 * The secret never goes through argv, and the helper's stdout (which holds it) is never echoed in an error.
 */
export function helperCredentials(helper: string, serverUrl: string, env: NodeJS.ProcessEnv): RegistryCredentials | undefined {
  const program = `docker-credential-${helper}`;
  const result = spawnSync(program, ['get'], { input: serverUrl, encoding: 'utf8', env, timeout: 60_000 });
  if (result.error) {
    const why = (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is not on PATH' : result.error.message;
    throw new Error(`Docker credential helper ${program} (for ${serverUrl}) could not run: ${why}`);
  }
  if (result.status !== 0) {
    // The protocol's answer for "nothing stored": the registry is then asked without credentials.
    if (/credentials not found/i.test(`${result.stdout}${result.stderr}`)) {
      return undefined;
    }
    throw new Error(`Docker credential helper ${program} failed for ${serverUrl} (exit ${result.status}); run "${program} get" by hand to see why`);
  }
  let answer: { Username?: string; Secret?: string };
  try {
    answer = JSON.parse(result.stdout) as typeof answer;
  } catch {
    throw new Error(`Docker credential helper ${program} answered ${serverUrl} with something that is not JSON`);
  }
  if (!answer.Secret) {
    return undefined;
  }
  return answer.Username === TOKEN_USERNAME ? { identitytoken: answer.Secret } : { username: answer.Username ?? '', password: answer.Secret };
}
