export type { StackExecutorOptions as ManifestExecutorOptions } from '../../pipeline/step';
