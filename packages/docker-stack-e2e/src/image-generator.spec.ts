/**
 * `nx g @datahub/docker-stack:image` on the example stack, through the nx CLI against the real engine, registry
 * and pytest: the new image passes lint, builds on its parent and passes its generated test; bad requests are
 * refused with a clear message and leave the workspace untouched.
 */
import { imageId } from './support/docker';
import { ExampleStack, MAIN_TAG } from './support/example-stack';

jest.setTimeout(600_000);

const START = '<!-- stack-diagram:start (generated from the spec: npx nx sync) -->';
const END = '<!-- stack-diagram:end -->';

describe('nx g @datahub/docker-stack:image', () => {
  let stack: ExampleStack;

  beforeAll(() => {
    stack = new ExampleStack('image-generator');
    stack.ws.write('README.md', `# Example\n\n${START}\nold\n${END}\n`);
    stack.ws.commit('a README with the diagram markers');
  });

  afterAll(async () => stack?.remove());

  it('adds a child that passes nx lint, builds on its parent and passes its own test', async () => {
    const { ws } = stack;
    const specBefore = ws.read('images/spec.yml');
    ws.nxOk(['g', '@datahub/docker-stack:image', 'example-new', '--parent=example-r', '--no-interactive']);
    expect(ws.read('images/example-new/Dockerfile')).toContain(`ARG BASE_TAG\nFROM ${stack.repository('example-r')}:\${BASE_TAG}\n`);
    const entry = `  example-new:\n    image_name: ${stack.repository('example-new')}\n    depend_on: example-r\n`;
    expect(ws.read('images/spec.yml')).toBe(`${specBefore.replace(/\ntag:\n/, `\n${entry}tag:\n`)}`);
    expect(ws.read('README.md')).toContain('example_r --> example_new');
    ws.commit('add example-new');

    expect(ws.nxOk(['lint', 'example-new']).output).toMatch(/example-new: definition OK \(\d+ checks\)/);
    const result = ws.nxOk(['run', 'example-new:test']);
    expect(result.output).toMatch(/example-new\/test\/test_image.py::test_runs_and_knows_its_name\s*PASSED/);
    const build = stack.build('example-new');
    expect(build.parent.image).toBe('example-r');
    expect(await imageId(stack.reference('example-new', MAIN_TAG))).toBe(build.imageId);
  });

  it.each([
    [['example-base', '--parent=example-r'], 'an image "example-base" already exists'],
    [['example-x', '--parent=no-such-image'], 'the parent "no-such-image" is not an image of images/spec.yml'],
    [['Example_X', '--parent=example-base'], '"Example_X" is not a valid Docker image name'],
  ])('refuses %j, naming the problem, and writes nothing', (args, message) => {
    const { ws } = stack;
    const result = ws.nx(['g', '@datahub/docker-stack:image', ...args, '--no-interactive']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(message);
    expect(result.output).toContain('nothing was written');
    expect(ws.git('status', '--porcelain')).toBe('');
  });
});
