import type { BuildStep } from '../docker/build-types';
import type { StepName } from './outputs';

/** What every result file `artifacts/<image>/<step>.json` holds. */
export interface StepRecord {
  image: string;
  step: string;
  success: boolean;
  startedAt: string;
  seconds: number;
  messages: string[];
  /** A runner of one platform left the image alone: it is not built for that platform (pipeline/stack-platform.ts). */
  skipped?: boolean;
}

/** How an image is built. Recorded in build.json, so that a rebuild from the same inputs builds the same way. */
export interface BuildSettings {
  builder: 'buildkit' | 'classic';
  /** Secret id -> the environment variable holding its value (never the value). */
  secrets: Record<string, string>;
}

/** What `build` records about the image it made: enough for any later step, on any runner, to find it again. */
export interface BuildDetails extends BuildSettings {
  imageName: string;
  imageId: string;
  /** `build-<identity>` (pipeline/build-inputs.ts): names this content in the registry, whatever the branch. */
  contentTag: string;
  tags: string[];
  parent: { image: string; reference: string; imageId: string } | null;
  buildArgs: Record<string, string>;
  /** The stack's rebuild generation the identity was worked out with (pipeline/rebuild-inputs.ts). */
  generation: string;
  steps: BuildStep[];
  /** The engine already held the image of this identity, built on the same parent: tagged, not rebuilt. */
  reused: boolean;
  /** Set on one platform's build of a multi-platform image. */
  platform?: string;
  /**
   * A multi-platform image: each platform's build. The fields above are then the engine's own platform's (else
   * the first's), but `contentTag` and `tags` name the index that push writes.
   */
  platforms?: Record<string, BuildDetails>;
}

/** A pytest run; `success: false` fails the step. */
export interface PytestDetails {
  success: boolean;
  exitCode: number;
  summary: string;
  paths: string[];
  /** E.g. that no test was collected: the step passes, as in the former pipeline, but says so. */
  warnings?: string[];
  /** A multi-platform image: each platform's run (the step passes only when every one does). */
  platforms?: Record<string, PytestDetails>;
}

export interface PushDetails {
  imageId: string;
  tags: string[];
  /** The manifest digest the registry reported for the last tag pushed (a multi-platform image: its index's). */
  digest: string;
  /** A multi-platform image: each platform's push. */
  platforms?: Record<string, PushDetails>;
}

export interface ManifestDetails {
  /** `<image_name>:<prefix>-<branch>`: the page is named after it. */
  fullName: string;
  page: string;
  infoCommands: string[];
}

export interface PruneDetails {
  removed: string[];
  reclaimedBytes: number;
}

/** The details each step adds to its result file. */
export interface StepDetails {
  build: BuildDetails;
  test: PytestDetails;
  'integration-test': PytestDetails;
  push: PushDetails;
  manifest: ManifestDetails;
  prune: PruneDetails;
}

/** A result file as read back: a successful step has all its details, a failed one may have some. */
export type StepResult<S extends StepName> = StepRecord &
  ((StepDetails[S] & { success: true }) | (Partial<StepDetails[S]> & { success: false }));
