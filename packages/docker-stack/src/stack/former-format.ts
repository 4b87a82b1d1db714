import { isPlainObject, type Plain } from '../util/plain-object';
import type { SpecProblem } from './errors';
import type { LineFinder } from './yaml-lines';

/**
 * The spec format used before 2023 (one build plan per Python version): its keys, each with what replaces it now.
 * The former pipeline's current code does not read it either; a fork that still has it gets one error saying so.
 */
const TOP_LEVEL: Record<string, string> = {
  plans: 'plans.<plan>.tag_prefix → tag.prefix (one plan per stack: stable tags are <prefix>-stable, so tag_stable_postfix goes)',
  manifests: 'manifests (the command list) → all_info_cmds',
};
const PER_IMAGE: Record<string, string> = {
  manifests: 'images.<image>.manifests → images.<image>.info_cmds',
  dbuild_env: 'images.<image>.dbuild_env → images.<image>.build_args (the one plan\'s values, with no plan level)',
  skip_plans: 'images.<image>.skip_plans → remove it (there are no plans)',
};

/** One problem naming every pre-2023 key of the spec and its replacement, or none when the spec has no such key. */
export function formerFormatProblem(raw: Plain, lineOf: LineFinder, specFile: string): SpecProblem | undefined {
  const found: { path: string[]; replacement: string }[] = Object.keys(TOP_LEVEL)
    .filter((key) => Object.hasOwn(raw, key))
    .map((key) => ({ path: [key], replacement: TOP_LEVEL[key] }));
  const images = isPlainObject(raw.images) ? raw.images : {};
  for (const [image, entry] of Object.entries(images)) {
    const keys = isPlainObject(entry) ? Object.keys(entry).filter((key) => Object.hasOwn(PER_IMAGE, key)) : [];
    found.push(...keys.map((key) => ({ path: ['images', image, key], replacement: PER_IMAGE[key] })));
  }
  if (found.length === 0) {
    return undefined;
  }
  const replacements = [...new Set(found.map(({ replacement }) => replacement))];
  return {
    file: specFile,
    line: lineOf(found[0].path),
    message:
      `is in the spec format used before 2023 (old keys: ${found.map(({ path }) => path.join('.')).join(', ')}), which this plugin does not read; ` +
      `rewrite it in the current format: ${replacements.join('; ')}. Nothing was built.`,
  };
}
