import type { StackSpec } from '../spec/spec';

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

const PREFIX = /^[0-9]{4}\.[0-9]+$/;
const BRANCH_TAG = /^([0-9]{4}\.[0-9]+)-([A-Za-z0-9_][A-Za-z0-9_.-]*)$/;

/**
 * Which tag moves where, for every image in the spec. The prefix comes from the input, never from today's
 * spec, so an older quarter can still be promoted.
 */
export function planPromotion(spec: StackSpec, tag: string | undefined, global: boolean): PromotionPlan {
  let prefix: string;
  let from: string;
  let to: string;
  if (global) {
    if (!tag || !PREFIX.test(tag)) {
      throw new Error(`--global takes a year.quarter prefix such as "2026.3", not "${tag ?? ''}"`);
    }
    [prefix, from, to] = [tag, `${tag}-stable`, 'stable'];
  } else {
    const match = tag ? BRANCH_TAG.exec(tag) : null;
    if (!tag || !match) {
      throw new Error(`--tag takes a built tag such as "2026.3-main" (<prefix>-<branch>), not "${tag ?? ''}"`);
    }
    if (match[2] === 'stable') {
      throw new Error(`"${tag}" is already the stable tag; to make it "stable" use --tag=${match[1]} --global`);
    }
    [prefix, from, to] = [match[1], tag, `${match[1]}-stable`];
  }
  const moves = spec.images.map((image) => ({ image: image.name, repository: image.imageName, from, to }));
  return { global, prefix, moves };
}
