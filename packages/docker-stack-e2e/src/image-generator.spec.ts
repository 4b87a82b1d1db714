/**
 * `nx g @datahub/docker-stack:image` on the example stack, through the nx CLI against the real engine, registry
 * and pytest: the new image passes lint, builds on its parent and passes its generated test, under every image of
 * the stack and on a parent with no /etc/passwd; bad requests are refused with a clear message and leave
 * the workspace untouched.
 */
import { spawnSync } from 'node:child_process';
import { imageId, REGISTRY, removeImagesUnder } from './support/docker';
import { ExampleStack, IMAGES, MAIN_TAG } from './support/example-stack';
import { writeTinyStack } from './support/tiny-stack';
import { TempWorkspace, uniqueId } from './support/workspace';

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

  /** Runs the generated images' tests (their builds first); the whole output on failure says which test said what. */
  const expectGeneratedTestsPass = (ws: TempWorkspace, images: string[]) => {
    const result = ws.nx(['run-many', '-t', 'test', `--projects=${images.join(',')}`, '--output-style=static']);
    expect(result.output).not.toContain('unable to find user');
    expect({ status: result.status, output: result.status === 0 ? '' : result.output }).toEqual({ status: 0, output: '' });
    for (const image of images) {
      expect(result.output).toMatch(new RegExp(`${image}/test/test_image.py::test_runs_and_knows_its_name\\s*PASSED`));
    }
  };

  it('writes a test that passes under every image of the example stack', () => {
    const { ws } = stack;
    const generated = IMAGES.map((parent) => `gen-${parent}`);
    IMAGES.forEach((parent, index) => ws.nxOk(['g', '@datahub/docker-stack:image', generated[index], `--parent=${parent}`, '--no-interactive']));
    ws.commit('an image generated under each image');
    expectGeneratedTestsPass(ws, generated);
  });

  it('writes a test that passes on a parent with no /etc/passwd (no user names: busybox, distroless, docker import)', async () => {
    const ws = new TempWorkspace('image-generator-no-passwd');
    const namespace = `${REGISTRY}/e2e-${uniqueId()}`;
    try {
      writeTinyStack(ws, { 'bare-root': `${namespace}/bare-root` });
      ws.write('images/bare-root/Dockerfile', 'FROM datahub-example-base:busybox\nRUN rm /etc/passwd /etc/group\nCOPY bare-root.txt /opt/stack/bare-root.txt\n');
      ws.commit('a root with no /etc/passwd');
      ws.nxOk(['run', 'bare-root:build']);
      // The failure the old generated test hit: a user name needs an /etc/passwd.
      const asRoot = spawnSync('docker', ['run', '--rm', '--user', 'root', `${namespace}/bare-root:2026.3-main`, 'true'], { encoding: 'utf8' });
      expect(asRoot.stderr).toContain('no matching entries in passwd file');
      ws.nxOk(['g', '@datahub/docker-stack:image', 'gen-bare', '--parent=bare-root', '--no-interactive']);
      ws.commit('an image generated under it');
      expectGeneratedTestsPass(ws, ['gen-bare']);
    } finally {
      ws.remove();
      await removeImagesUnder(`${namespace}/`);
    }
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
