export interface TagUnchangedExecutorOptions {
  stackDir: string;
}
