import { lines, lint, messages, SPEC_YML, stack, workspace } from './lint.fixtures';

describe('lint: multi-stage Dockerfiles', () => {
  const childWith = (dockerfile: string) => messages(lint('child', workspace({ 'images/child/Dockerfile': dockerfile })));

  it('accepts a builder stage first when the last stage descends from the parent, also through stage names', () => {
    expect(childWith(lines('ARG BASE_TAG', 'FROM golang:1.22 AS build', 'RUN go build', 'FROM ghcr.io/org/base:${BASE_TAG}', 'COPY --from=build /x /x'))).toEqual([]);
    expect(
      childWith(lines('ARG BASE_TAG', 'FROM golang:1.22 AS build', 'FROM ghcr.io/org/base:${BASE_TAG} AS runtime', 'FROM runtime AS final', 'COPY --from=build /x /x')),
    ).toEqual([]);
  });

  it('fails a last stage on another base, at its line, even when an earlier stage uses the parent', () => {
    expect(childWith(lines('ARG BASE_TAG', 'FROM ghcr.io/org/base:${BASE_TAG} AS base', 'FROM alpine:3.20', 'COPY --from=base /x /x'))).toEqual([
      'images/child/Dockerfile:3: image "child": the last stage (the one that ships) must descend from ghcr.io/org/base:${BASE_TAG} (the parent in images/spec.yml), found alpine:3.20',
    ]);
  });

  it('follows stage names to the first stage\'s base', () => {
    expect(childWith(lines('ARG BASE_TAG', 'FROM ubuntu:22.04 AS one', 'FROM one AS two', 'FROM two'))).toEqual([
      'images/child/Dockerfile:2: image "child": the last stage (the one that ships) must descend from ghcr.io/org/base:${BASE_TAG} (the parent in images/spec.yml), found ubuntu:22.04',
    ]);
  });
});

describe('lint: build args from a shared block', () => {
  const shared = SPEC_YML.replace('root: base\n', 'x-common: &common\n  SHARED_ARG: x\nroot: base\n').replace(
    '      UPSTREAM_TAG: "2024-03-14"\n      UNUSED: x\n',
    '      <<: *common\n      UPSTREAM_TAG: "2024-03-14"\n',
  );

  it('warns, at the shared line, about a merged build arg the Dockerfile does not declare; the image still passes', () => {
    const result = lint('base', workspace({ 'images/spec.yml': shared }), stack({ buildArgs: { UPSTREAM_TAG: '2024-03-14', SHARED_ARG: 'x' } }));
    expect(messages(result)).toEqual([
      'images/spec.yml:2: warning: image "base": build_args.SHARED_ARG (merged in from a shared block) is not declared in images/base/Dockerfile (no "ARG SHARED_ARG"), so docker build ignores it: fine if this image does not need it',
    ]);
    expect(result.problems.every((problem) => problem.warning)).toBe(true);
  });
});

describe('lint: pins (wiring of pins.ts)', () => {
  const versions = lines('uv:', '  pandas: "2.2.0"', 'info_cmds: [PY_VER]');

  it('skips an image without versions.yml', () => {
    expect(messages(lint('base', workspace({ 'images/base/scripts/run.sh': 'uv pip install pandas\n' })))).toEqual([]);
  });

  it('checks the Dockerfile and its scripts, not tests or scripts/pinned, with the pins of its ancestors', () => {
    const files = workspace({
      'images/base/versions.yml': versions,
      'images/base/scripts/run.sh': 'pinned uv pip install pandas\n',
      'images/base/scripts/pinned': 'uv pip install numpy\n',
      'images/base/test/install.sh': 'uv pip install numpy\n',
      'images/child/versions.yml': lines('uv:', '  numpy: "2.0.0"', 'info_cmds: []'),
      'images/child/Dockerfile': lines('ARG BASE_TAG=latest', 'FROM ghcr.io/org/base:${BASE_TAG}', 'RUN uv pip install pandas==2.1.0 numpy'),
      'images/child/conf/app.conf': undefined,
    });
    const spec = stack({ infoCmds: ['PY_VER'] });
    expect(messages(lint('base', files, spec))).toEqual([]);
    const child = messages(lint('child', files, spec));
    expect(child).toEqual([
      'images/child/Dockerfile:3: image "child": installs pandas==2.1.0 but images/base/versions.yml:2 pins 2.2.0',
      expect.stringMatching(/^images\/child\/Dockerfile:3: image "child": installs numpy unpinned; images\/child\/versions.yml:2 pins 2.0.0/),
    ]);
  });

  it('fails info_cmds that differ from versions.yml, at the spec line', () => {
    const result = lint('base', workspace({ 'images/base/versions.yml': versions, 'images/base/scripts/run.sh': 'pinned uv pip install pandas\n' }), stack({ infoCmds: [] }));
    expect(messages(result)).toEqual(['images/spec.yml:3: image "base": info_cmds lacks PY_VER, which images/base/versions.yml:3 expects']);
  });
});
