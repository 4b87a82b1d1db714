import Docker from 'dockerode';
import { PassThrough } from 'node:stream';

/** Label on containers started by `serve`, so a leftover can always be found. */
export const SERVE_LABEL = 'io.datahub.stack.serve';

export interface ServeRequest {
  reference: string;
  /** The image's name in the stack, for the label. */
  image: string;
  /** Host port on 127.0.0.1; 0 lets the engine pick a free one. */
  hostPort: number;
  /** The container port to publish; default: the image's first EXPOSEd port. */
  containerPort?: number;
  env: string[];
}

/**
 * One container of an image started with its usual command (entrypoint and CMD untouched), its port published on
 * loopback only. Talks to the engine through dockerode, like `DockerEngine`, of which it is the long-running kind.
 */
export class ServedContainer {
  private constructor(
    private readonly container: Docker.Container,
    readonly hostPort: number,
    readonly config: { cmd: string[]; env: string[] },
  ) {}

  static async start(request: ServeRequest): Promise<ServedContainer> {
    const docker = new Docker();
    const image = await docker.getImage(request.reference).inspect();
    const exposed = Object.keys(image.Config.ExposedPorts ?? {}).map((port) => Number.parseInt(port, 10));
    const port = request.containerPort ?? exposed[0];
    if (!port) {
      throw new Error(`${request.reference} EXPOSEs no port: pass --containerPort=<port it listens on>`);
    }
    const container = await docker.createContainer({
      Image: request.reference,
      Env: request.env,
      Labels: { [SERVE_LABEL]: request.image },
      ExposedPorts: { [`${port}/tcp`]: {} },
      HostConfig: { PortBindings: { [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: request.hostPort ? String(request.hostPort) : '' }] } },
    });
    try {
      await container.start();
      const bound = (await container.inspect()).NetworkSettings.Ports[`${port}/tcp`]?.[0]?.HostPort;
      const config = { cmd: [...(image.Config.Entrypoint ?? []), ...(image.Config.Cmd ?? [])], env: image.Config.Env ?? [] };
      return new ServedContainer(container, Number(bound), config);
    } catch (error) {
      await container.remove({ force: true });
      throw error;
    }
  }

  /** Streams the container's output (from its start) to `onText` until it stops. */
  async followLogs(onText: (text: string) => void): Promise<void> {
    const stream = await this.container.logs({ follow: true, stdout: true, stderr: true });
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => onText(chunk.toString('utf8')));
    this.container.modem.demuxStream(stream, output, output);
    stream.on('end', () => output.end());
  }

  /** Whether the container is still running, and its exit code when not. */
  async state(): Promise<{ running: boolean; exitCode: number }> {
    const { State } = await this.container.inspect();
    return { running: State.Running, exitCode: State.ExitCode };
  }

  /** Resolves with the exit code when the container stops. */
  async wait(): Promise<number> {
    return ((await this.container.wait()) as { StatusCode: number }).StatusCode;
  }

  async remove(): Promise<void> {
    await this.container.remove({ force: true }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) {
        throw error;
      }
    });
  }
}
