export interface ImageTestsExecutorOptions {
  stackDir: string;
  python?: string;
}
