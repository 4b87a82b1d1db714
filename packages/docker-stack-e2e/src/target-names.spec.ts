/**
 * Nx conventions of the inferred projects through the nx CLI (no Docker): target names chosen in the plugin
 * options of nx.json, dependsOn following them in the task graph, targetGroups and metadata.help.
 */
import { writeGeneratedStack } from './support/generated-stack';
import { TempWorkspace } from './support/workspace';

jest.setTimeout(180_000);

describe('plugin options and target metadata through the nx CLI', () => {
  let ws: TempWorkspace;

  beforeAll(() => {
    ws = new TempWorkspace('target-names', { buildTargetName: 'docker-build', testTargetName: 'image-test', serveTargetName: 'try' });
    writeGeneratedStack(ws, { levels: [1, 1] });
    ws.commit('a stack of two');
  });

  afterAll(() => ws?.remove());

  it('shows the renamed targets, grouped, with help where a target takes options', () => {
    const project = JSON.parse(ws.nxOk(['show', 'project', 'gen-l1-0', '--json']).stdout);
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['docker-build', 'image-test', 'push', 'manifest', 'lint', 'try']));
    expect(Object.keys(project.targets)).not.toContain('build');
    expect(project.metadata.targetGroups).toEqual({
      'Docker image pipeline': ['docker-build', 'image-test', 'push', 'manifest'],
      'Docker image tools': ['lint', 'try'],
    });
    expect(project.targets.try).toMatchObject({ continuous: true, metadata: { help: { command: 'npx nx run gen-l1-0:try --help' } } });
    const stack = JSON.parse(ws.nxOk(['show', 'project', 'stack', '--json']).stdout);
    expect(stack.metadata.targetGroups).toEqual({ 'Docker stack': ['promote', 'tag-unchanged', 'merge-index', 'new-generation', 'wiki', 'gc', 'summary'] });
  });

  it('orders the tasks along the renamed dependsOn: the child builds after its parent is tested', () => {
    ws.nxOk(['run-many', '-t', 'docker-build', '--graph=graph.json']);
    const { tasks } = JSON.parse(ws.read('graph.json'));
    expect(tasks.dependencies['gen-l1-0:docker-build']).toEqual(['gen-l0-0:image-test']);
    expect(tasks.dependencies['gen-l0-0:image-test']).toEqual(['gen-l0-0:docker-build']);
  });
});
