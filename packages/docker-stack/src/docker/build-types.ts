/** Types that the engine adapter and both builders' stream readers share: a leaf, so none of them imports another for a type. */

/** One step of a build as the builder reported it. */
export interface BuildStep {
  step: string;
  seconds: number;
  /** Taken from the layer cache rather than run. */
  cached: boolean;
}

/** One line of the daemon's JSON progress stream (classic build, pull, push). */
export interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Digest?: string; Tag?: string };
}

/** Reads a progress stream to its end, event by event; rejects with the stream's own error line, if any. */
export type Follow<Event = ProgressEvent> = (stream: NodeJS.ReadableStream, onEvent: (event: Event) => void) => Promise<void>;

/** What the engine adapter builds: one image, with either builder. */
export interface BuildRequest {
  contextDir: string;
  tags: string[];
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
  cacheFrom: string[];
  noCache: boolean;
  /** `buildkit` (the default), or the engine's deprecated `classic` builder. */
  builder: 'buildkit' | 'classic';
  /** Secret id -> value, for `RUN --mount=type=secret` (BuildKit only). */
  secrets: Record<string, string>;
  /** `os/arch` to build for, when not the engine's own (a multi-platform image, built with emulation). */
  platform?: string;
  /** Every line the daemon prints, as it arrives. */
  onOutput: (text: string) => void;
}
