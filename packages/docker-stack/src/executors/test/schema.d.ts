export interface TestExecutorOptions {
  stackDir: string;
  python?: string;
}
