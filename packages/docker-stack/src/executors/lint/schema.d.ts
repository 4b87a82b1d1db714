export interface LintExecutorOptions {
  stackDir: string;
  python?: string;
}
