import Docker from 'dockerode';
import { registryOf, splitReference } from '../registry/reference';
import { filesUnder } from '../util/files-under';
import { credentialKey, credentialsFor, redact, refusedHint } from '../registry/credentials';
import { withRetries } from '../registry/retries';
import { buildContext, LABELLED_DOCKERFILE } from './build-context';
import { buildWithBuildKit, type BuildKitEvent } from './buildkit';
import type { BuildRequest, BuildStep, ProgressEvent } from './build-types';
import { readClassicBuild } from './classic-build';
import { imageStoreOf, type ImageStore } from './image-store';

export interface HistoryEntry {
  created: Date;
  createdBy: string;
  size: number;
}

/** The Docker engine, through dockerode. Every call the pipeline makes to Docker goes through here. */
export class DockerEngine {
  private readonly asked: { platform?: Promise<string>; store?: Promise<ImageStore> } = {};

  private constructor(
    private readonly docker: Docker,
    private readonly repositories: string[],
  ) {}

  /**
   * Connects and checks that the engine answers, with an error that says how to fix it when it does not.
   * `repositories` are the stack's images: they scope REGISTRY_USERNAME/REGISTRY_PASSWORD (registry/credentials.ts).
   */
  static async connect(repositories: string[] = []): Promise<DockerEngine> {
    const docker = new Docker();
    try {
      await docker.ping();
    } catch (error) {
      const where = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
      throw new Error(
        `The Docker engine is not running or not reachable at ${where} (${(error as Error).message}).\n` +
          'Start it (e.g. "sudo systemctl start docker", or "tools/setup.sh" in this repository, which installs and starts dockerd), ' +
          'or point DOCKER_HOST at a running engine.',
      );
    }
    return new DockerEngine(docker, repositories);
  }

  /**
   * The authconfig dockerd gets in the X-Registry-Auth header (dockerd itself talks to the registry, so it needs
   * no login), and `run` with its errors scrubbed of those secrets before anything logs them.
   */
  private async withAuth<T>(reference: string, run: (authconfig: Docker.AuthConfig | undefined) => Promise<T>): Promise<T> {
    const { host } = registryOf(splitReference(reference).repository);
    const credentials = credentialsFor(host, { repositories: this.repositories });
    // dockerode's typings want username/password; the engine also takes an identity token instead.
    const authconfig = credentials && ({ ...credentials, serveraddress: credentialKey(host) } as Docker.AuthConfig);
    try {
      return await run(authconfig);
    } catch (error) {
      const message = redact((error as Error).message, credentials);
      const hint = /unauthorized|authentication required|denied/i.test(message) ? ` (${refusedHint(host, credentials)})` : '';
      throw Object.assign(new Error(`${message}${hint}`), { statusCode: (error as { statusCode?: number }).statusCode });
    }
  }

  private follow(stream: NodeJS.ReadableStream, onEvent: (event: ProgressEvent) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      let failure: string | undefined;
      this.docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : failure ? reject(new Error(failure)) : resolve()),
        (event: ProgressEvent) => {
          if (event.error) {
            failure = event.errorDetail?.message ?? event.error;
          }
          onEvent(event);
        },
      );
    });
  }

  /** Builds with BuildKit or the classic builder and reports how long each Dockerfile step took. */
  async build(request: BuildRequest): Promise<{ imageId: string; steps: BuildStep[] }> {
    const options = {
      t: request.tags, // the API takes several `t` (tags); the typings allow one
      buildargs: request.buildArgs,
      cachefrom: request.cacheFrom,
      nocache: request.noCache,
      ...(request.platform && { platform: request.platform }),
      rm: true,
      forcerm: true,
    } as unknown as Docker.ImageBuildOptions;
    if (request.builder === 'buildkit') {
      // BuildKit writes the `labels` option into the image config, with no build step of its own.
      const context = { context: request.contextDir, src: filesUnder(request.contextDir) };
      const follow = (stream: NodeJS.ReadableStream, onEvent: (event: BuildKitEvent) => void) => this.follow(stream, onEvent as (event: ProgressEvent) => void);
      const credentials = (host: string) => credentialsFor(host, { repositories: this.repositories });
      const buildkitOptions = { ...options, labels: request.labels };
      return buildWithBuildKit(this.docker, { ...context, options: buildkitOptions, secrets: request.secrets, credentials, onOutput: request.onOutput }, follow);
    }
    if (Object.keys(request.secrets).length > 0) {
      throw new Error('Build secrets need BuildKit: the classic builder cannot mount them. Drop "builder": "classic" or the "secrets" option.');
    }
    // The classic builder commits one step per entry of the `labels` option: one LABEL line in the Dockerfile instead.
    const stream = await this.docker.buildImage(buildContext(request.contextDir, request.labels), { ...options, dockerfile: LABELLED_DOCKERFILE });
    const { imageId, steps } = await readClassicBuild(stream, request.onOutput, (events, onEvent) => this.follow(events, onEvent));
    return { imageId: imageId || ((await this.inspect(request.tags[0]))?.Id ?? ''), steps };
  }

  async inspect(reference: string): Promise<Docker.ImageInspectInfo | undefined> {
    try {
      return await this.docker.getImage(reference).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) {
        return undefined;
      }
      throw error;
    }
  }

  /** The engine's own platform, as `os/arch` (`linux/amd64`); asked once per connection, as it cannot change. */
  platform(): Promise<string> {
    return (this.asked.platform ??= this.docker.version().then(({ Os, Arch }) => `${Os}/${Arch}`));
  }

  /** Where the engine keeps its images (see imageStoreOf); asked once per connection. */
  imageStore(): Promise<ImageStore> {
    return (this.asked.store ??= this.docker.info().then((info: { DriverStatus?: string[][] }) => imageStoreOf(info.DriverStatus)));
  }

  /** Pulls a reference (for `platform`, else the engine's own); false when the registry does not have it or cannot be reached. */
  async pull(reference: string, log: (line: string) => void, platform?: string): Promise<boolean> {
    try {
      await withRetries(
        `pull ${reference}`,
        () => this.withAuth(reference, async (authconfig) => this.follow(await this.docker.pull(reference, { authconfig, ...(platform && { platform }) }), () => undefined)),
        log,
      );
      return true;
    } catch (error) {
      log(`${reference} not pulled: ${(error as Error).message.split('\n')[0]}`);
      return false;
    }
  }

  /** Whether the registry has the reference, asked through the engine without pulling anything. */
  async inRegistry(reference: string): Promise<boolean> {
    try {
      await this.withAuth(reference, (authconfig) => this.docker.getImage(reference).distribution({ authconfig }));
      return true;
    } catch {
      return false;
    }
  }

  async tag(source: string, reference: string): Promise<void> {
    const { repository, tag } = splitReference(reference);
    await this.docker.getImage(source).tag({ repo: repository, tag });
  }

  /** Pushes one tag, retrying transient registry errors; returns the manifest digest the registry reports. */
  async push(reference: string, log: (line: string) => void): Promise<string> {
    const { repository, tag } = splitReference(reference);
    return withRetries(
      `push ${reference}`,
      () =>
        this.withAuth(reference, async (authconfig) => {
          let digest = '';
          const stream = await this.docker.getImage(repository).push({ tag, authconfig });
          // The classic image store reports the digest in `aux`; the containerd store only in its last status line.
          await this.follow(stream, (event) => {
            digest = event.aux?.Digest ?? /^\S+: digest: (sha256:[0-9a-f]{64}) /.exec(event.status ?? '')?.[1] ?? digest;
          });
          return digest;
        }),
      log,
    );
  }

  async history(reference: string): Promise<HistoryEntry[]> {
    const entries = (await this.docker.getImage(reference).history()) as { Created: number; CreatedBy: string; Size: number }[];
    return entries.map((entry) => ({ created: new Date(entry.Created * 1000), createdBy: entry.CreatedBy, size: entry.Size }));
  }

  /** Runs each command with `sh -c` in one throw-away container of the image; never leaves the container behind. */
  async runCommands(reference: string, commands: string[], labels: Record<string, string>): Promise<{ exitCode: number; output: string }[]> {
    const container = await this.docker.createContainer({
      Image: reference,
      Entrypoint: ['sh', '-c'],
      Cmd: ['sleep 3600'],
      Labels: labels,
      HostConfig: { AutoRemove: false },
    });
    try {
      await container.start();
      const results: { exitCode: number; output: string }[] = [];
      for (const command of commands) {
        const exec = await container.exec({ Cmd: ['sh', '-c', command], AttachStdout: true, AttachStderr: true });
        const stream = await exec.start({ hijack: true, stdin: false });
        const chunks: Buffer[] = [];
        const collect = { write: (chunk: Buffer) => chunks.push(chunk) } as unknown as NodeJS.WritableStream;
        this.docker.modem.demuxStream(stream, collect, collect);
        await new Promise((resolve) => stream.on('end', resolve));
        results.push({ exitCode: (await exec.inspect()).ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') });
      }
      return results;
    } finally {
      await container.remove({ force: true });
    }
  }

  /** Removes the given references; returns the ones the engine knew. */
  async removeImages(references: string[]): Promise<string[]> {
    const removed: string[] = [];
    for (const reference of references) {
      try {
        await this.docker.getImage(reference).remove();
        removed.push(reference);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) {
          throw error;
        }
      }
    }
    return removed;
  }

  /** Removes untagged images carrying the label (earlier builds of the same image); returns the bytes freed. */
  async pruneDangling(label: string): Promise<number> {
    const result = await this.docker.pruneImages({ filters: JSON.stringify({ dangling: ['true'], label: [label] }) });
    return result.SpaceReclaimed ?? 0;
  }

  /** Bytes of image layers the engine holds: compared before and after a prune. */
  async layersSize(): Promise<number> {
    return ((await this.docker.df()) as { LayersSize?: number }).LayersSize ?? 0;
  }
}
