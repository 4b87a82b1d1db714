export interface LintExecutorOptions {
  stackDir: string;
  python?: string;
  strictBuildArgs?: boolean;
}
