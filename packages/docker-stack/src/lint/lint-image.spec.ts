import { parseStack } from '../stack/parse';
import { StackSpecError } from '../stack/errors';
import { formatLintProblem, specErrorProblems } from './lint-image';
import { BASE_DOCKERFILE, CHILD_DOCKERFILE, lines, lint, messages, SPEC_YML, stack, thrown, workspace } from './lint.fixtures';

/** SPEC_YML without the child's BASE_TAG build arg, which the loader refuses. */
const SPEC_YML_WITHOUT_BASE_TAG = SPEC_YML.replace('    build_args:\n      BASE_TAG: latest\n', '');

describe('lintImage', () => {
  it('passes a consistent root and child and counts what it checked', () => {
    const base = lint('base');
    expect(base.problems).toEqual([]);
    // base FROM, 1 COPY source, 1 ARG, 1 build arg, 1 Python file
    expect(base.checks).toBe(5);
    const child = lint('child');
    expect(child.problems).toEqual([]);
    // base FROM, 1 COPY source, 2 ARGs
    expect(child.checks).toBe(4);
  });

  describe('rule 1: the spec and the image folders', () => {
    it('turns a StackSpecError into problems, keeping file, line and image', () => {
      const error = new StackSpecError([
        { file: 'images/spec.yml', line: 7, image: 'child', key: 'depend_on', message: 'names "nope", which is not an image in "images"' },
        { file: 'images/extra/Dockerfile', image: 'extra', message: 'has a Dockerfile but no entry under "images"' },
        { file: 'images/spec.yml', message: 'YAML syntax error: bad' },
      ]);
      expect(specErrorProblems(error, 'child').map(formatLintProblem)).toEqual([
        'images/spec.yml:7: image "child": key "depend_on" names "nope", which is not an image in "images"',
        'images/extra/Dockerfile: image "extra": has a Dockerfile but no entry under "images"',
        'images/spec.yml: image "child": YAML syntax error: bad',
      ]);
    });

    it('reports what parseStack finds when a folder has no spec entry', () => {
      const error = thrown(() =>
        parseStack({
          stackDir: 'images',
          specText: lines('root: base', 'images:', '  base:', '    image_name: ghcr.io/org/base', 'tag:', '  prefix: "2026.3"'),
          folders: new Map([
            ['base', { dockerfile: 'FROM ubuntu\n' }],
            ['stray', { dockerfile: 'FROM ubuntu\n' }],
          ]),
        }),
      );
      expect(error).toBeInstanceOf(StackSpecError);
      expect(specErrorProblems(error as StackSpecError, 'base').map(formatLintProblem)).toEqual([
        expect.stringMatching(/^images\/stray\/Dockerfile: image "stray": has a Dockerfile but no entry under "images"/),
      ]);
    });

    it('fails an image that is not in the spec or has no Dockerfile', () => {
      expect(messages(lint('ghost'))).toEqual(['images/spec.yml: image "ghost": has no entry under "images" in images/spec.yml']);
      // A missing Dockerfile is a spec error (the loader refuses the stack), which lint reports for the image.
      const error = thrown(() => parseStack({ stackDir: 'images', specText: SPEC_YML_WITHOUT_BASE_TAG, folders: new Map([['base', { dockerfile: BASE_DOCKERFILE }], ['child', {}]]) }));
      expect(specErrorProblems(error as StackSpecError, 'child').map(formatLintProblem)).toEqual([
        'images/child/Dockerfile: image "child": is missing: every image folder needs a Dockerfile',
      ]);
    });
  });

  describe('rule 2: the base image', () => {
    const childWith = (dockerfile: string) => lint('child', workspace({ 'images/child/Dockerfile': dockerfile }));

    it('fails a child built FROM another image, naming the expected parent', () => {
      const result = childWith(lines('ARG BASE_TAG', 'FROM ghcr.io/x/other:${BASE_TAG}'));
      expect(messages(result)).toEqual([
        'images/child/Dockerfile:2: image "child": FROM must be ghcr.io/org/base:${BASE_TAG} (the parent in images/spec.yml), found ghcr.io/x/other:${BASE_TAG}',
      ]);
    });

    it('fails a child FROM its parent at a fixed tag', () => {
      expect(messages(childWith(lines('ARG BASE_TAG', 'FROM ghcr.io/org/base:latest')))).toEqual([
        'images/child/Dockerfile:2: image "child": FROM must be ghcr.io/org/base:${BASE_TAG} (the parent in images/spec.yml), found ghcr.io/org/base:latest',
      ]);
    });

    it('fails a child that does not declare BASE_TAG before FROM, pointing at a late declaration', () => {
      expect(messages(childWith(lines('FROM ghcr.io/org/base:${BASE_TAG}')))).toEqual([
        'images/child/Dockerfile:1: image "child": FROM ghcr.io/org/base:${BASE_TAG} needs "ARG BASE_TAG" before it: the build passes the parent\'s tag as BASE_TAG',
      ]);
      expect(messages(childWith(lines('FROM ghcr.io/org/base:${BASE_TAG}', 'ARG BASE_TAG')))).toEqual([
        'images/child/Dockerfile:1: image "child": FROM ghcr.io/org/base:${BASE_TAG} needs "ARG BASE_TAG" before it' +
          ' (line 2 declares it after FROM, where FROM cannot see it): the build passes the parent\'s tag as BASE_TAG',
      ]);
    });

    it('fails a child without FROM', () => {
      expect(messages(childWith(lines('ARG BASE_TAG')))).toEqual([
        'images/child/Dockerfile: image "child": has no FROM: it must start with "ARG BASE_TAG" and "FROM ghcr.io/org/base:${BASE_TAG}" (the parent in images/spec.yml)',
      ]);
    });

    it('accepts $BASE_TAG and ARG BASE_TAG with or without a default', () => {
      expect(childWith(lines('ARG BASE_TAG', 'FROM ghcr.io/org/base:$BASE_TAG')).problems).toEqual([]);
      expect(childWith(lines('ARG BASE_TAG=latest', 'FROM ghcr.io/org/base:${BASE_TAG}')).problems).toEqual([]);
    });

    it('fails a root whose FROM uses BASE_TAG', () => {
      const result = lint(
        'base',
        workspace({ 'images/base/Dockerfile': lines('ARG BASE_TAG=latest', 'ARG UPSTREAM_TAG', 'FROM quay.io/jupyter/base-notebook:${BASE_TAG}') }),
      );
      expect(messages(result)).toEqual([
        'images/base/Dockerfile:3: image "base": FROM must not use BASE_TAG: "base" is a root in images/spec.yml (no depend_on),' +
          ' so the build passes no BASE_TAG; use a fixed tag or a build_args entry',
      ]);
    });
  });

  describe('rule 3: COPY and ADD sources', () => {
    const childCopying = (copy: string, files: Record<string, string> = {}, spec = stack()) =>
      lint('child', workspace({ 'images/child/Dockerfile': lines('ARG BASE_TAG', 'FROM ghcr.io/org/base:${BASE_TAG}', copy), ...files }), spec);

    it('fails a source missing from the image folder, with its line', () => {
      expect(messages(childCopying('COPY conf/missing.conf /etc/'))).toEqual([
        'images/child/Dockerfile:3: image "child": COPY/ADD source "conf/missing.conf" does not exist: no images/child/conf/missing.conf' +
          ' (sources are relative to the image folder, the build context)',
      ]);
      expect(messages(childCopying('ADD --chown=1000:100 conf/app.conf gone.txt /etc/'))).toEqual([
        expect.stringContaining('images/child/Dockerfile:3: image "child": COPY/ADD source "gone.txt" does not exist'),
      ]);
    });

    it('accepts files, folders, the context itself, leading slashes and exec form', () => {
      expect(childCopying('COPY conf/app.conf conf ./conf/ /conf/app.conf . /etc/').problems).toEqual([]);
      expect(childCopying('COPY ["conf/app.conf", "/etc/app.conf"]').problems).toEqual([]);
    });

    it('needs a glob to match at least one file', () => {
      const files = { 'images/child/conf/b.yaml': 'b: 1\n' };
      expect(childCopying('COPY conf/*.conf conf/?.yaml c*/[ab].yaml /etc/', files).problems).toEqual([]);
      expect(messages(childCopying('COPY conf/*.json /etc/', files))).toEqual([
        'images/child/Dockerfile:3: image "child": COPY/ADD source "conf/*.json" matches no file in the build context images/child/',
      ]);
    });

    it('fails a source outside the build context', () => {
      expect(messages(childCopying('COPY ../base/scripts/run.sh /opt/'))).toEqual([
        'images/child/Dockerfile:3: image "child": COPY/ADD source "../base/scripts/run.sh" is outside the build context images/child/',
      ]);
    });

    it('resolves ARG values and skips what only the build knows, other stages and URLs', () => {
      const spec = stack({}, { buildArgs: { CONF: 'app' } });
      expect(childCopying('ARG CONF\nCOPY conf/${CONF}.conf /etc/', {}, spec).problems).toEqual([]);
      expect(messages(childCopying('ARG CONF\nCOPY conf/${CONF}.yaml /etc/', {}, spec))).toEqual([
        expect.stringContaining('COPY/ADD source "conf/${CONF}.yaml" does not exist: no images/child/conf/app.yaml'),
      ]);
      const skipped = childCopying('COPY --from=builder /out/bin /usr/bin/\nADD https://example.com/x.tgz /tmp/\nCOPY ${NOWHERE}/x /tmp/');
      expect(skipped.problems).toEqual([]);
      expect(skipped.checks).toBe(2); // FROM and the BASE_TAG ARG only
    });
  });

  describe('rule 4: ARGs and build_args', () => {
    it('fails an ARG without default that build_args does not give, once per name', () => {
      const result = lint('child', workspace({ 'images/child/Dockerfile': lines(CHILD_DOCKERFILE.trimEnd(), 'ARG PY_VER', 'ARG PY_VER') }));
      expect(messages(result)).toEqual([
        'images/child/Dockerfile:5: image "child": ARG PY_VER has no default and images/spec.yml gives no build_args.PY_VER for "child":' +
          ' add it to build_args or give the ARG a default',
      ]);
    });

    it('accepts ARGs given by build_args, BASE_TAG for a child, BuildKit ARGs and global defaults in a stage', () => {
      const dockerfile = lines('ARG BASE_TAG', 'ARG REGISTRY=ghcr.io', 'FROM ghcr.io/org/base:${BASE_TAG}', 'ARG REGISTRY', 'ARG TARGETARCH', 'ARG PY_VER');
      const result = lint('child', workspace({ 'images/child/Dockerfile': dockerfile }), stack({}, { buildArgs: { PY_VER: '3.11' } }));
      expect(result.problems).toEqual([]);
    });

    it('fails BASE_TAG without default in a root, where the build never sets it', () => {
      const result = lint('base', workspace({ 'images/base/Dockerfile': lines('ARG UPSTREAM_TAG', 'FROM quay.io/x:${UPSTREAM_TAG}', 'ARG BASE_TAG') }));
      expect(messages(result)).toEqual([
        'images/base/Dockerfile:3: image "base": ARG BASE_TAG has no default and "base" is a root in images/spec.yml, so the build never sets it: give it a default or drop it',
      ]);
    });

    it('warns of a build_arg the Dockerfile does not declare, at its line in spec.yml, as docker build does', () => {
      const result = lint('base', workspace(), stack({ buildArgs: { UPSTREAM_TAG: '2024-03-14', UNUSED: 'x' } }));
      expect(messages(result)).toEqual([
        'images/spec.yml:7: warning: image "base": build_args.UNUSED is not declared in images/base/Dockerfile (no "ARG UNUSED"), so docker build ignores it: declare it or remove it',
      ]);
    });

    it('fails a build_arg the Dockerfile does not declare with strictBuildArgs', () => {
      const result = lint('base', workspace(), stack({ buildArgs: { UPSTREAM_TAG: '2024-03-14', UNUSED: 'x' } }), undefined, true);
      expect(messages(result)).toEqual([
        'images/spec.yml:7: image "base": build_args.UNUSED is not declared in images/base/Dockerfile (no "ARG UNUSED"), so docker build ignores it: declare it or remove it',
      ]);
    });

    it('fails a BASE_TAG build_arg on a child, which the build overrides (a spec error: the loader refuses it)', () => {
      const folders = new Map([['base', { dockerfile: BASE_DOCKERFILE }], ['child', { dockerfile: CHILD_DOCKERFILE }]]);
      const error = thrown(() => parseStack({ stackDir: 'images', specText: SPEC_YML, folders }));
      expect(specErrorProblems(error as StackSpecError, 'child').map(formatLintProblem)).toEqual([
        "images/spec.yml:12: image \"child\": key \"build_args.BASE_TAG\" is set by the tooling to the parent image's tag; remove it from build_args",
      ]);
    });

    it('reads several declarations in one ARG instruction', () => {
      const dockerfile = lines('ARG UPSTREAM_TAG', 'FROM quay.io/x:${UPSTREAM_TAG}', 'ARG A="one two" B=2 C');
      expect(messages(lint('base', workspace({ 'images/base/Dockerfile': dockerfile, 'images/base/scripts/run.sh': undefined })))).toEqual([
        expect.stringContaining('images/base/Dockerfile:3: image "base": ARG C has no default'),
      ]);
    });
  });
});
