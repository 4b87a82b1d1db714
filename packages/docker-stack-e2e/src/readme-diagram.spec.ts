/**
 * The `readme-diagram` generator on a temporary workspace holding a generated stack (no Docker): through `nx g`
 * it writes the Mermaid picture of spec.yml between the README's markers and leaves the rest of the file alone;
 * registered as a global sync generator, `nx sync:check` fails while the picture is stale and `nx sync` fixes it.
 */
import { repositoryOf, writeGeneratedStack } from './support/generated-stack';
import { TempWorkspace } from './support/workspace';

jest.setTimeout(120_000);

const START = '<!-- stack-diagram:start (generated from the spec: npx nx sync) -->';
const END = '<!-- stack-diagram:end -->';
const GENERATE = ['g', '@datahub/docker-stack:readme-diagram', '--no-interactive'];

/** The Mermaid edges `parent --> child` between the markers of a README. */
function edgesIn(readme: string): string[] {
  const block = readme.slice(readme.indexOf(START), readme.indexOf(END));
  return [...block.matchAll(/^ {2}(\S+) --> (\S+)$/gm)].map((match) => `${match[1]} --> ${match[2]}`).sort();
}

describe('nx g @datahub/docker-stack:readme-diagram', () => {
  let ws: TempWorkspace;

  beforeEach(() => {
    ws = new TempWorkspace('readme-diagram');
  });

  afterEach(() => ws?.remove());

  it('replaces the block between the markers with the picture of spec.yml, keeping the rest of the README', () => {
    const spec = writeGeneratedStack(ws, { levels: [1, 2, 2] });
    ws.write('README.md', `# The stack\n\nBefore.\n\n${START}\nan outdated picture\n${END}\n\nAfter.\n`);
    ws.commit('a stack and an outdated README');

    ws.nxOk(GENERATE);
    const readme = ws.read('README.md');
    expect(readme.startsWith('# The stack\n\nBefore.\n\n')).toBe(true);
    expect(readme.endsWith('\n\nAfter.\n')).toBe(true);
    expect(readme).not.toContain('an outdated picture');
    expect(readme).toContain('```mermaid\nflowchart TD\n');
    const id = (name: string) => name.replace(/-/g, '_');
    const expected = [...spec].filter(([, parent]) => parent).map(([name, parent]) => `${id(parent as string)} --> ${id(name)}`);
    expect(edgesIn(readme)).toEqual(expected.sort());
    for (const name of spec.keys()) {
      expect(readme).toContain(`${id(name)}["${name}<br/><small>${repositoryOf(name)}</small>"]`);
    }
    // Run again on an unchanged spec: nothing to change.
    ws.nxOk(GENERATE);
    expect(ws.read('README.md')).toBe(readme);
  });

  it('follows a change of spec.yml, and appends the block to a README given by --readme that has no markers', () => {
    writeGeneratedStack(ws, { levels: [1, 1] });
    ws.write('docs/STACK.md', '# Images\n');
    ws.commit('a stack of two');
    ws.nxOk([...GENERATE, '--readme=docs/STACK.md']);
    expect(edgesIn(ws.read('docs/STACK.md'))).toEqual(['gen_l0_0 --> gen_l1_0']);
    expect(ws.read('docs/STACK.md').startsWith(`# Images\n\n${START}\n`)).toBe(true);

    writeGeneratedStack(ws, { levels: [1, 2] });
    ws.nxOk([...GENERATE, '--readme=docs/STACK.md']);
    expect(edgesIn(ws.read('docs/STACK.md'))).toEqual(['gen_l0_0 --> gen_l1_0', 'gen_l0_0 --> gen_l1_1']);
    expect(ws.read('docs/STACK.md').split(START)).toHaveLength(2);
  });

  it('as a global sync generator: nx sync:check fails while the diagram is stale, nx sync fixes it, then the check passes', () => {
    writeGeneratedStack(ws, { levels: [1, 2] });
    const nxJson = JSON.parse(ws.read('nx.json'));
    ws.write('nx.json', JSON.stringify({ ...nxJson, sync: { globalGenerators: ['@datahub/docker-stack:readme-diagram'] } }, null, 2));
    // An older marker note is still recognised: the block is replaced, not appended.
    const oldStart = '<!-- stack-diagram:start (generated from the spec: npx nx g @datahub/docker-stack:readme-diagram) -->';
    ws.write('README.md', `# The stack\n\n${oldStart}\nan outdated picture\n${END}\n`);
    ws.commit('a stack and a stale README');

    const stale = ws.nx(['sync:check']);
    expect(stale.status).not.toBe(0);
    expect(stale.output).toContain('The stack diagram in README.md does not match images/spec.yml: run "npx nx sync".');
    expect(ws.read('README.md')).toContain('an outdated picture'); // the check writes nothing

    ws.nxOk(['sync']);
    expect(edgesIn(ws.read('README.md'))).toEqual(['gen_l0_0 --> gen_l1_0', 'gen_l0_0 --> gen_l1_1']);
    expect(ws.read('README.md').split('stack-diagram:start')).toHaveLength(2);
    expect(ws.nxOk(['sync:check']).output).toContain('All files are up to date.');
  });
});
