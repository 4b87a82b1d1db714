import type Docker from 'dockerode';
import { BuildKitProgress } from './buildkit-progress';
import type { RegistryCredentials } from '../registry/registry-credentials';
import { openSession } from './buildkit-session';
import type { BuildStep, Follow } from './build-types';

/** One event of a BuildKit build stream: a progress trace, the image id, a plain line or the error. */
export interface BuildKitEvent {
  id?: string;
  aux?: unknown;
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

export interface BuildKitBuild {
  options: Docker.ImageBuildOptions;
  /** The context folder and the files of it to send. */
  context: string;
  src: string[];
  /** Secret id -> value, for `RUN --mount=type=secret,id=…`. */
  secrets: Record<string, string>;
  /** The credentials BuildKit may ask for, by registry host (to pull a base or cache image). */
  credentials: (host: string) => RegistryCredentials | undefined;
  onOutput: (text: string) => void;
}

/**
 * Builds with BuildKit (`POST /build?version=2`) in a session of ours (see buildkit-session.ts), writing inline
 * cache metadata (`BUILDKIT_INLINE_CACHE=1`) so that the pushed image can serve as `cacheFrom` straight from the
 * registry, without its layers being pulled first.
 */
export async function buildWithBuildKit(docker: Docker, build: BuildKitBuild, follow: Follow<BuildKitEvent>): Promise<{ imageId: string; steps: BuildStep[] }> {
  const session = await openSession(docker, build.secrets, build.credentials);
  try {
    const options = {
      ...build.options,
      buildargs: { ...build.options.buildargs, BUILDKIT_INLINE_CACHE: '1' },
      // The number 2, not the string: dockerode opens its own session (without secrets) for `version: '2'`
      // and would replace ours; the query string is `version=2` either way.
      version: 2,
      session: session.id,
    } as unknown as Docker.ImageBuildOptions;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await docker.buildImage({ context: build.context, src: build.src }, options);
    } catch (error) {
      throw new Error(
        `The Docker engine refused a BuildKit build: ${(error as Error).message.trim()}\n` +
          'Use an engine with BuildKit (Docker 18.09 or later, on Linux), or set the build option "builder": "classic".',
      );
    }
    const progress = new BuildKitProgress(build.onOutput);
    let imageId = '';
    await follow(stream, (event) => {
      if (event.id === 'moby.buildkit.trace' && typeof event.aux === 'string') {
        progress.update(event.aux);
      } else if (event.id === 'moby.image.id') {
        imageId = (event.aux as { ID: string }).ID;
      } else if (event.stream) {
        build.onOutput(event.stream);
      }
      if (event.error) {
        build.onOutput(`ERROR: ${event.errorDetail?.message ?? event.error}\n`);
      }
    });
    return { imageId, steps: progress.steps() };
  } finally {
    session.close();
  }
}

/**
 * The values of the build's secrets: `secrets` maps a secret id (as in `RUN --mount=type=secret,id=ID`) to the
 * environment variable that holds it. A variable that is not set is an error naming both, before anything is built.
 */
export function secretValues(image: string, secrets: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const missing = Object.entries(secrets).filter(([, variable]) => env[variable] === undefined);
  if (missing.length > 0) {
    const list = missing.map(([id, variable]) => `secret "${id}" reads $${variable}`).join(', ');
    throw new Error(`image "${image}": build option "secrets": ${list}, but ${missing.length === 1 ? 'it is' : 'they are'} not set in the environment.`);
  }
  return Object.fromEntries(Object.entries(secrets).map(([id, variable]) => [id, env[variable] as string]));
}
