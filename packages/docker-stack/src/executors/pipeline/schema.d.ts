import type { StepName } from '../../pipeline/outputs';
import type { BuildExecutorOptions } from '../build/schema';
import type { ManifestExecutorOptions } from '../manifest/schema';
import type { ImageTestsExecutorOptions } from '../image-tests/schema';

/** One step of an image's pipeline: the step's name and that step executor's own options. */
export type PipelineExecutorOptions = { step: StepName } & BuildExecutorOptions & ImageTestsExecutorOptions & ManifestExecutorOptions;
