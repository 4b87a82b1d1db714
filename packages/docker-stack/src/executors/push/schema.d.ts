export interface PushExecutorOptions {
  stackDir: string;
}
