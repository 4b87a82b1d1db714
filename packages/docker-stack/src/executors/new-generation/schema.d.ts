export interface NewGenerationExecutorOptions {
  stackDir: string;
}
