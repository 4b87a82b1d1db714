export interface PruneExecutorOptions {
  stackDir: string;
}
