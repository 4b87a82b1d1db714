import * as protobuf from 'protobufjs';
import type { BuildStep } from './build-types';

/**
 * BuildKit reports progress as `moby.buildkit.trace` events whose `aux` is a base64 `StatusResponse` (BuildKit's
 * control.proto). Only the fields printed here are declared: protobuf skips the others.
 */
const STATUS_PROTO = `
syntax = "proto3";
package moby.buildkit.v1;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message Vertex { string digest = 1; string name = 3; bool cached = 4; Timestamp started = 5; Timestamp completed = 6; string error = 7; }
message VertexLog { string vertex = 1; bytes msg = 4; }
message StatusResponse { repeated Vertex vertexes = 1; repeated VertexLog logs = 3; }
`;
const StatusResponse = protobuf.parse(STATUS_PROTO, { keepCase: true }).root.lookupType('moby.buildkit.v1.StatusResponse');

interface Timestamp {
  seconds: number;
  nanos: number;
}

interface Status {
  vertexes?: { digest: string; name: string; cached?: boolean; started?: Timestamp; completed?: Timestamp; error?: string }[];
  logs?: { vertex: string; msg: Buffer }[];
}

export function decodeStatus(base64: string): Status {
  return StatusResponse.toObject(StatusResponse.decode(Buffer.from(base64, 'base64')), { longs: Number }) as Status;
}

const seconds = (time: Timestamp) => time.seconds + time.nanos / 1e9;

/** A Dockerfile instruction, as BuildKit names its vertex: `[stage-0 2/4] RUN …` or `[2/4] RUN …` (numbered across stages). */
const STEP_NAME = /^\[[^\]]*?\b(\d+)\/(\d+)\] (.*)$/s;

/**
 * `Step 2/4 : RUN …`, as the classic builder names it: the log and the recorded steps read the same whichever
 * builder ran (BuildKit's stage name is dropped; its step numbers count across stages, so they stay unique).
 */
function displayName(name: string): string {
  const match = STEP_NAME.exec(name);
  return match ? `Step ${match[1]}/${match[2]} : ${match[3]}` : name;
}

interface Vertex {
  number: number;
  name: string;
  announced: boolean;
  cached: boolean;
  seconds?: number;
}

/**
 * Turns the trace events of one build into lines like `docker build --progress=plain` prints (`#3 [2/4] RUN …`,
 * its output, `#3 DONE 1.2s` or `#3 CACHED`) and into the timed steps of the build result.
 */
export class BuildKitProgress {
  private readonly vertexes = new Map<string, Vertex>();

  constructor(private readonly print: (text: string) => void) {}

  update(aux: string): void {
    const status = decodeStatus(aux);
    for (const update of status.vertexes ?? []) {
      let vertex = this.vertexes.get(update.digest);
      if (!vertex) {
        vertex = { number: this.vertexes.size + 1, name: displayName(update.name), announced: false, cached: false };
        this.vertexes.set(update.digest, vertex);
      }
      if (vertex.seconds !== undefined) {
        continue;
      }
      if (update.cached) {
        vertex.cached = true;
        vertex.seconds = 0;
        this.print(`#${vertex.number} ${vertex.name}: CACHED\n`);
        continue;
      }
      if ((update.started || update.error) && !vertex.announced) {
        vertex.announced = true;
        this.print(`#${vertex.number} ${vertex.name}\n`);
      }
      if (update.error) {
        this.print(`#${vertex.number} ERROR: ${update.error}\n`);
      } else if (update.completed) {
        vertex.seconds = update.started ? Math.round((seconds(update.completed) - seconds(update.started)) * 1000) / 1000 : 0;
        this.print(`#${vertex.number} DONE ${vertex.seconds.toFixed(1)}s\n`);
      }
    }
    for (const log of status.logs ?? []) {
      const number = this.vertexes.get(log.vertex)?.number ?? '?';
      for (const line of Buffer.from(log.msg).toString('utf8').split('\n').filter(Boolean)) {
        this.print(`#${number} ${line}\n`);
      }
    }
  }

  /** The Dockerfile's instructions that ran, in Dockerfile order, with their duration (0 when cached). */
  steps(): BuildStep[] {
    const numbered = [...this.vertexes.values()].flatMap((vertex) => {
      const match = /^Step (\d+)\//.exec(vertex.name);
      return match && vertex.seconds !== undefined ? [{ order: Number(match[1]), step: { step: vertex.name, seconds: vertex.seconds, cached: vertex.cached } }] : [];
    });
    return numbered.sort((a, b) => a.order - b.order).map(({ step }) => step);
  }
}
