/**
 * A stack written for the former Python pipeline builds as it is: a top-level `x-` anchor merged into each image's
 * build_args (`<<`, the image's own keys win), another `x-` key, and YAML 1.1 booleans (`prepull: no`), through the
 * nx CLI on the real engine and pytest.
 */
import { imageId, docker, removeImagesUnder, REGISTRY } from './support/docker';
import { TempWorkspace, uniqueId } from './support/workspace';

jest.setTimeout(600_000);

const namespace = `e2e-former-${uniqueId()}`;
const repository = (image: string) => `${REGISTRY}/${namespace}/${image}`;

const SPEC = `# yaml-language-server: $schema=../node_modules/@datahub/docker-stack/spec.schema.json
x-common-args: &common
  GREETING: hello
  SHARED_ONLY: not-declared-by-the-child
x-owner: the DataHub team
root: former-base
images:
  former-base:
    image_name: ${repository('former-base')}
    prepull: no
    build_args:
      <<: *common
      RELEASE: 2024-03-14
  former-child:
    image_name: ${repository('former-child')}
    depend_on: former-base
    prepull: off
    build_args:
      <<: *common
      GREETING: hi
tag:
  prefix: "2026.3"
`;

describe('a stack in the former pipeline\'s format', () => {
  let ws: TempWorkspace;

  beforeAll(() => {
    ws = new TempWorkspace('former');
    ws.write('images/spec.yml', SPEC);
    ws.write('images/former-base/Dockerfile', 'FROM datahub-example-base:busybox\nARG GREETING\nARG SHARED_ONLY\nARG RELEASE\nLABEL greeting=$GREETING release=$RELEASE\n');
    ws.write('images/former-child/Dockerfile', `ARG BASE_TAG=latest\nFROM ${repository('former-base')}:\${BASE_TAG}\nARG GREETING\nLABEL greeting=$GREETING\n`);
    ws.write('images/tests_common/test_common.py', 'def test_common():\n    assert True\n');
    ws.commit('former-format stack');
  });

  afterAll(async () => {
    await removeImagesUnder(`${REGISTRY}/${namespace}/`);
    ws?.remove();
  });

  it('builds, with merged build args where the image\'s own keys win', async () => {
    ws.nxOk(['run-many', '-t', 'build', '--output-style=static']);
    const labels = async (image: string) => (await docker.getImage(`${repository(image)}:2026.3-main`).inspect()).Config.Labels;
    expect(await labels('former-base')).toMatchObject({ greeting: 'hello', release: '2024-03-14' });
    expect(await labels('former-child')).toMatchObject({ greeting: 'hi' });
    expect(await imageId(`${repository('former-child')}:2026.3-main`)).toBeDefined();
  });

  it('lints: a shared build arg the child does not declare is a warning, not an error', () => {
    const result = ws.nxOk(['lint', 'former-child', '--skip-nx-cache']);
    expect(result.output).toMatch(
      /images\/spec\.yml:4: warning: image "former-child": build_args\.SHARED_ONLY \(merged in from a shared block\) is not declared in images\/former-child\/Dockerfile/,
    );
    expect(result.output).toMatch(/former-child: definition OK \(\d+ checks, 1 warning\)/);
  });
});
