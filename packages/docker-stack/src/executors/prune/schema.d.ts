export type { StackExecutorOptions as PruneExecutorOptions } from '../../pipeline/step';
