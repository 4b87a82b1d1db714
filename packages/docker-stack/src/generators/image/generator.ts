import { generateFiles, logger, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { isValidNameComponent, isValidRepository } from '../../registry/reference';
import { readStack } from '../../stack/load';
import { SPEC_FILE, type StackSpec } from '../../stack/model';
import readmeDiagramGenerator, { normalizeOptions as diagramOptions } from '../readme-diagram/generator';
import { treeFileView } from '../tree-files';
import type { ImageGeneratorSchema } from './schema';
import { withImageEntry } from './spec-entry';

/** The options with their defaults, checked against the stack: every refusal happens here, before any write. */
export function normalizeOptions(tree: Tree, options: ImageGeneratorSchema, spec: StackSpec) {
  const { stackDir } = spec;
  const { name, parent, base } = options;
  const refuse = (message: string): never => {
    throw new Error(`nx g @datahub/docker-stack:image ${name ?? ''}: ${message}; nothing was written`);
  };
  if (!name || !isValidNameComponent(name)) {
    refuse(`"${name ?? ''}" is not a valid Docker image name: use lowercase letters, digits and single separators (., _, -)`);
  }
  if (spec.images.some((image) => image.name === name) || tree.exists(`${stackDir}/${name}`)) {
    refuse(`an image "${name}" already exists (${stackDir}/${SPEC_FILE} or ${stackDir}/${name}/)`);
  }
  if (parent && base) {
    refuse('give --parent for a child or --base for a root, not both');
  }
  const parentImage = parent ? spec.images.find((image) => image.name === parent) : undefined;
  if (parent && !parentImage) {
    refuse(`the parent "${parent}" is not an image of ${stackDir}/${SPEC_FILE} (images: ${spec.images.map((image) => image.name).join(', ')})`);
  }
  if (!parent && !base) {
    refuse('give --parent=<image> to build on an image of the stack, or --base=<image> for a new root');
  }
  const sibling = parentImage ?? spec.images[0];
  const imageName = options.imageName ?? (sibling ? sibling.imageName.replace(/[^/]+$/, name) : name);
  if (!isValidRepository(imageName)) {
    refuse(`"${imageName}" is not a valid image_name (Docker repository)`);
  }
  return { stackDir, name, imageName, parent: parentImage, base };
}

/** `nx g @datahub/docker-stack:image <name> --parent=<parent>` (or `--base=<image>` for a root). */
export default async function imageGenerator(tree: Tree, raw: ImageGeneratorSchema) {
  const { stackDir, readme } = diagramOptions(tree, { stackDir: raw.stackDir });
  const { spec } = readStack(treeFileView(tree), stackDir);
  const options = normalizeOptions(tree, raw, spec);
  // On its parent's freshly built tag, or for a root on the given base image.
  const fromLines = options.parent ? `ARG BASE_TAG\nFROM ${options.parent.imageName}:\${BASE_TAG}` : `FROM ${options.base}`;
  generateFiles(tree, join(__dirname, 'files'), stackDir, { name: options.name, fromLines });
  const specFile = `${stackDir}/${SPEC_FILE}`;
  tree.write(specFile, withImageEntry(tree.read(specFile, 'utf-8') ?? '', { name: options.name, imageName: options.imageName, dependOn: options.parent?.name }));
  // The new stack must load: a spec problem aborts the generator and nx writes nothing.
  readStack(treeFileView(tree), stackDir);
  if (tree.exists(readme)) {
    await readmeDiagramGenerator(tree, { stackDir, readme });
  }
  logger.info(`Added ${options.name} (${options.imageName}) to ${specFile}: next, npx nx lint ${options.name} and npx nx build ${options.name}`);
}
