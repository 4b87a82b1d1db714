/** Types that the engine adapter and both builders' stream readers share: a leaf, so none of them imports another for a type. */

/** One step of a build as the builder reported it. */
export interface BuildStep {
  step: string;
  seconds: number;
  /** Taken from the layer cache rather than run. */
  cached: boolean;
}
