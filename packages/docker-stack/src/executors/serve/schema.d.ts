export interface ServeExecutorOptions {
  stackDir: string;
  port?: number;
  containerPort?: number;
  token?: string;
  timeout?: number;
}
