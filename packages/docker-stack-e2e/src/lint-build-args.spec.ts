/**
 * A build_args entry that the Dockerfile does not declare: docker builds it with a warning, so `nx lint` warns
 * (image, argument and spec.yml line) and exits 0; `--strictBuildArgs` makes it an error. Through the nx CLI.
 */
import { TempWorkspace } from './support/workspace';

jest.setTimeout(300_000);

const SPEC = `images:
  undeclared-arg:
    image_name: 127.0.0.1:5000/e2e-lint-build-args/undeclared-arg
    build_args:
      GREETING: hello
      GRETING: misspelt
tag:
  prefix: "2026.3"
`;
const WARNING = 'images/spec.yml:6: warning: image "undeclared-arg": build_args.GRETING is not declared in images/undeclared-arg/Dockerfile (no "ARG GRETING")';

describe('nx lint and a build_args entry the Dockerfile does not declare', () => {
  let ws: TempWorkspace;

  beforeAll(() => {
    ws = new TempWorkspace('lint-build-args');
    ws.write('images/spec.yml', SPEC);
    ws.write('images/undeclared-arg/Dockerfile', 'FROM datahub-example-base:busybox\nARG GREETING\nLABEL greeting=$GREETING\n');
    ws.commit('a stack with a misspelt build arg');
  });

  afterAll(() => ws?.remove());

  it('warns by default, naming the image, the argument and the spec.yml line, and exits 0', () => {
    const result = ws.nx(['lint', 'undeclared-arg', '--skip-nx-cache', '--output-style=static']);
    expect(result.status).toBe(0);
    expect(result.output).toContain(WARNING);
    expect(result.output).toMatch(/undeclared-arg: definition OK \(\d+ checks, 1 warning\)/);
  });

  it('fails with --strictBuildArgs', () => {
    const result = ws.nx(['lint', 'undeclared-arg', '--strictBuildArgs', '--skip-nx-cache', '--output-style=static']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(WARNING.replace('warning: ', ''));
    expect(result.output).toMatch(/undeclared-arg: 1 problem in the image definition/);
  });
});
