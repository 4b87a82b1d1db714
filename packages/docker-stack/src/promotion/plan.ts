import { isTagPrefix, parseBranchTag, stableTag, STABLE } from '../registry/tags';
import type { StackSpec } from '../stack/model';

export interface TagMove {
  image: string;
  repository: string;
  from: string;
  to: string;
}

export interface PromotionPlan {
  /** `<prefix>-<branch>` -> `<prefix>-stable`, or with `global` `<prefix>-stable` -> `stable`. */
  global: boolean;
  prefix: string;
  moves: TagMove[];
}

/**
 * Which tag moves where, for every image in the spec. The prefix comes from the input, never from today's
 * spec, so an older quarter can still be promoted.
 */
export function planPromotion(spec: StackSpec, tag: string | undefined, global: boolean): PromotionPlan {
  let prefix: string;
  let from: string;
  let to: string;
  if (global) {
    if (!tag || !isTagPrefix(tag)) {
      throw new Error(`--global takes a year.quarter prefix such as "2026.3", not "${tag ?? ''}"`);
    }
    [prefix, from, to] = [tag, stableTag(tag), STABLE];
  } else {
    const parsed = tag ? parseBranchTag(tag) : undefined;
    if (!tag || !parsed) {
      throw new Error(`--tag takes a built tag such as "2026.3-main" (<prefix>-<branch>), not "${tag ?? ''}"`);
    }
    if (parsed.branch === STABLE) {
      throw new Error(`"${tag}" is already the stable tag; to make it "stable" use --tag=${parsed.prefix} --global`);
    }
    [prefix, from, to] = [parsed.prefix, tag, stableTag(parsed.prefix)];
  }
  const moves = spec.images.map((image) => ({ image: image.name, repository: image.imageName, from, to }));
  return { global, prefix, moves };
}
