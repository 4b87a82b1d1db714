export type { StackExecutorOptions as PushExecutorOptions } from '../../pipeline/step';
