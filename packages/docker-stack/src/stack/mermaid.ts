import type { StackSpec } from './model';

export const DIAGRAM_START = '<!-- stack-diagram:start (generated from the spec: npx nx sync) -->';
/** Any start marker, whatever its note says (earlier ones named the generator). */
const START_MARKER = /<!-- stack-diagram:start[^>]*-->/;
export const DIAGRAM_END = '<!-- stack-diagram:end -->';

/** The stack as a Mermaid flowchart, parents above children, each node showing its image name. */
/** An image's node id in the diagram. */
export const mermaidId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

export function stackDiagram(spec: StackSpec): string {
  const id = mermaidId;
  const nodes = spec.images.map((image) => `  ${id(image.name)}["${image.name}<br/><small>${image.imageName}</small>"]`);
  const edges = spec.images.filter((image) => image.dependOn).map((image) => `  ${id(image.dependOn as string)} --> ${id(image.name)}`);
  return ['```mermaid', 'flowchart TD', ...nodes, ...edges, '```'].join('\n');
}

/** `text` with the block between the diagram markers replaced (or appended when there are no markers). */
export function withDiagram(text: string, diagram: string): string {
  const block = `${DIAGRAM_START}\n${diagram}\n${DIAGRAM_END}`;
  const start = text.search(START_MARKER);
  const end = text.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) {
    return `${text.replace(/\s*$/, '')}\n\n${block}\n`;
  }
  return text.slice(0, start) + block + text.slice(end + DIAGRAM_END.length);
}
