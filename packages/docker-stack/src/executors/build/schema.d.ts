export interface BuildExecutorOptions {
  stackDir: string;
  buildFormat?: number;
  noCache?: boolean;
}
