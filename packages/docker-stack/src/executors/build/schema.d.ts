export interface BuildExecutorOptions {
  stackDir: string;
  noCache?: boolean;
}
