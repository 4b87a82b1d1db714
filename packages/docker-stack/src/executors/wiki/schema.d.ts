export interface WikiExecutorOptions {
  stackDir: string;
  wikiDir?: string;
}
