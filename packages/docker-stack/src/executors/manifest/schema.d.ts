export interface ManifestExecutorOptions {
  stackDir: string;
  wikiDir?: string;
}
