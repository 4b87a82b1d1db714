export interface BuildExecutorOptions {
  stackDir: string;
  buildFormat?: number;
  noCache?: boolean;
  /** `buildkit` (default) or the engine's deprecated `classic` builder. */
  builder?: 'buildkit' | 'classic';
  /** Secret id -> name of the environment variable holding its value. */
  secrets?: Record<string, string>;
}
