export interface SummaryExecutorOptions {
  stackDir: string;
}
