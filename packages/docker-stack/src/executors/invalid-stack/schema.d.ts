export interface InvalidStackExecutorOptions {
  stackDir: string;
}
