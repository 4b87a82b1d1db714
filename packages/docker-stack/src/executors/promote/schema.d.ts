export interface PromoteExecutorOptions {
  stackDir: string;
  /** The command line reads `--tag=2026.3` as a number. */
  tag?: string | number;
  global?: boolean;
  dryRun?: boolean;
  wikiDir?: string;
}
