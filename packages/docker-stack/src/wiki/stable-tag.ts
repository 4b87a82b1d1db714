import { dividerLine, linksCell, referencesCell, tableLine } from './markdown';

export const STABLE_TAG_PAGE = 'Stable_Tag.md';
export const STABLE_TAG_HEADER = ['Global-Stable Image', 'Based On', 'Manifest'];

export interface StableImage {
  /** `<image_name>:stable`. */
  stable: string;
  /** `<image_name>:<prefix>-stable`, the tag it was promoted from. */
  basedOn: string;
}

/** `Stable_Tag.md` as the global promotion rewrites it: one table of a single row listing the whole stack. */
export function stableTagPage(repoUrl: string, images: StableImage[]): string {
  const stable = images.map((image) => image.stable);
  return [
    tableLine(STABLE_TAG_HEADER),
    dividerLine(STABLE_TAG_HEADER.length),
    tableLine([referencesCell(stable), referencesCell(images.map((image) => image.basedOn)), linksCell(repoUrl, stable)]),
    '',
  ].join('\n');
}
