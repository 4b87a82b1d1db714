export interface MergeIndexExecutorOptions {
  stackDir: string;
}
