import type { Tree } from '@nx/devkit';
import { parseStack, type StackFolder } from '../../spec/parse-stack';
import { CHANGE_IGNORE_FILE, SPEC_FILE } from '../../spec/spec';
import { stackDiagram, withDiagram } from '../../spec/mermaid';
import type { ReadmeDiagramGeneratorSchema } from './schema';

/** Writes the Mermaid picture of the stack into the README, between its markers. */
export default async function readmeDiagramGenerator(tree: Tree, options: ReadmeDiagramGeneratorSchema) {
  const stackDir = options.stackDir ?? 'images';
  const readme = options.readme ?? 'README.md';
  const folders = new Map<string, StackFolder>(
    tree
      .children(stackDir)
      .filter((name) => !tree.isFile(`${stackDir}/${name}`))
      .map((name) => [name, { dockerfile: tree.read(`${stackDir}/${name}/Dockerfile`, 'utf-8') ?? undefined }]),
  );
  const { spec } = parseStack({
    stackDir,
    specText: tree.read(`${stackDir}/${SPEC_FILE}`, 'utf-8') ?? '',
    changeIgnoreText: tree.read(`${stackDir}/${CHANGE_IGNORE_FILE}`, 'utf-8') ?? undefined,
    folders,
  });
  tree.write(readme, withDiagram(tree.read(readme, 'utf-8') ?? '', stackDiagram(spec)));
}
