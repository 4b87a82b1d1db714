import type { StackSpec } from '../stack/model';
import { planPromotion } from './plan';

const spec = {
  images: [
    { name: 'base', imageName: 'ghcr.io/org/base' },
    { name: 'child', imageName: 'ghcr.io/org/child', dependOn: 'base' },
  ],
  tagPrefix: '2027.1',
} as unknown as StackSpec;

describe('planPromotion', () => {
  it('moves <prefix>-<branch> to <prefix>-stable for every image, taking the prefix from the input', () => {
    const plan = planPromotion(spec, '2026.3-main', false);
    expect(plan.prefix).toBe('2026.3');
    expect(plan.moves).toEqual([
      { image: 'base', repository: 'ghcr.io/org/base', from: '2026.3-main', to: '2026.3-stable' },
      { image: 'child', repository: 'ghcr.io/org/child', from: '2026.3-main', to: '2026.3-stable' },
    ]);
  });

  it('moves <prefix>-stable to stable with --global', () => {
    expect(planPromotion(spec, '2026.3', true).moves[1]).toEqual({
      image: 'child',
      repository: 'ghcr.io/org/child',
      from: '2026.3-stable',
      to: 'stable',
    });
  });

  it.each([['2026.3-main'], ['stable'], ['2026'], [undefined]])('refuses --global with %s', (tag) => {
    expect(() => planPromotion(spec, tag, true)).toThrow(/--global takes a year.quarter prefix/);
  });

  it.each([['2026.3'], ['main'], ['2026.3-'], [undefined]])('refuses the source tag %s', (tag) => {
    expect(() => planPromotion(spec, tag, false)).toThrow(/--tag takes a built tag/);
  });

  it('refuses to promote the stable tag onto itself', () => {
    expect(() => planPromotion(spec, '2026.3-stable', false)).toThrow(/already the stable tag/);
  });
});
