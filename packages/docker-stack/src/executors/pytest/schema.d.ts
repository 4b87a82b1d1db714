export interface PytestExecutorOptions {
  stackDir: string;
  python?: string;
}
