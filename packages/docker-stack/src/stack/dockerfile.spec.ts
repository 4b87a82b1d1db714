import { parseDockerfile, takesBaseFrom, externalBases } from './dockerfile';

/** Joins lines so each test shows its Dockerfile line by line (line numbers are 1-based positions in this list). */
const dockerfile = (...lines: string[]) => lines.join('\n') + '\n';

describe('parseDockerfile', () => {
  describe('instructions', () => {
    it('upper-cases keywords and keeps the line each instruction starts on', () => {
      const summary = parseDockerfile(dockerfile('', 'from ubuntu:22.04', '', 'run echo hi'));
      expect(summary.instructions).toEqual([
        { keyword: 'FROM', args: 'ubuntu:22.04', line: 2 },
        { keyword: 'RUN', args: 'echo hi', line: 4 },
      ]);
    });

    it('joins continuation lines into one instruction on its first line', () => {
      const summary = parseDockerfile(
        dockerfile('FROM ubuntu', 'RUN apt-get update && \\', '    apt-get install -y \\', '      git', 'USER jovyan'),
      );
      expect(summary.instructions).toHaveLength(3);
      expect(summary.instructions[1].keyword).toBe('RUN');
      expect(summary.instructions[1].line).toBe(2);
      expect(summary.instructions[1].args.replace(/\s+/g, ' ')).toBe('apt-get update && apt-get install -y git');
      expect(summary.instructions[2]).toEqual({ keyword: 'USER', args: 'jovyan', line: 5 });
    });

    it('drops comment lines, also inside a continuation', () => {
      const summary = parseDockerfile(
        dockerfile('# syntax=docker/dockerfile:1', '# a comment', 'FROM ubuntu', 'RUN a \\', '  # explained here', '  && b', '  # trailing comment'),
      );
      expect(summary.instructions.map((instruction) => instruction.keyword)).toEqual(['FROM', 'RUN']);
      expect(summary.instructions[1].args.replace(/\s+/g, ' ')).toBe('a && b');
      expect(summary.instructions[1].line).toBe(4);
    });

    it('accepts Windows line endings', () => {
      const summary = parseDockerfile('FROM ubuntu\r\nRUN a \\\r\n  b\r\n');
      expect(summary.instructions).toEqual([
        { keyword: 'FROM', args: 'ubuntu', line: 1 },
        { keyword: 'RUN', args: 'a  b', line: 2 },
      ]);
    });

    it('returns nothing for an empty file', () => {
      const summary = parseDockerfile('');
      expect(summary.instructions).toEqual([]);
      expect(summary.froms).toEqual([]);
    });
  });

  describe('ARG', () => {
    it('separates ARGs declared before the first FROM (globalArgs) from all ARGs (args)', () => {
      const summary = parseDockerfile(
        dockerfile('ARG BASE_TAG', 'ARG REGISTRY=ghcr.io', 'FROM ${REGISTRY}/org/base:${BASE_TAG}', 'ARG PYTHON_VERSION=3.11', 'ARG NB_USER'),
      );
      expect([...summary.globalArgs]).toEqual([
        ['BASE_TAG', undefined],
        ['REGISTRY', 'ghcr.io'],
      ]);
      expect([...summary.args]).toEqual([
        ['BASE_TAG', undefined],
        ['REGISTRY', 'ghcr.io'],
        ['PYTHON_VERSION', '3.11'],
        ['NB_USER', undefined],
      ]);
    });

    it('strips double quotes around a default and keeps an empty default', () => {
      const summary = parseDockerfile(dockerfile('ARG A="quoted value"', 'ARG B=', 'FROM ubuntu'));
      expect(summary.globalArgs.get('A')).toBe('quoted value');
      expect(summary.globalArgs.has('B')).toBe(true);
      expect(summary.globalArgs.get('B')).toBe('');
    });
  });

  describe('FROM', () => {
    it('lists FROM references in order, without --platform or the stage name', () => {
      const summary = parseDockerfile(
        dockerfile('FROM --platform=$BUILDPLATFORM golang:1.22 AS builder', 'RUN go build', 'FROM ghcr.io/org/base:${BASE_TAG} as final'),
      );
      expect(summary.froms).toEqual(['golang:1.22', 'ghcr.io/org/base:${BASE_TAG}']);
    });
  });

  describe('COPY and ADD sources', () => {
    it('lists build-context sources with their line, dropping the destination and flags', () => {
      const summary = parseDockerfile(
        dockerfile('FROM ubuntu', 'COPY --chown=1000:100 requirements.txt environment.yml /tmp/', 'ADD scripts /opt/scripts'),
      );
      expect(summary.copySources).toEqual([
        { source: 'requirements.txt', line: 2 },
        { source: 'environment.yml', line: 2 },
        { source: 'scripts', line: 3 },
      ]);
    });

    it('excludes COPY --from=<stage>', () => {
      const summary = parseDockerfile(
        dockerfile('FROM golang AS builder', 'FROM ubuntu', 'COPY --from=builder /go/bin/app /usr/local/bin/', 'COPY --chown=jovyan --from=builder /a /b'),
      );
      expect(summary.copySources).toEqual([]);
    });

    it('reads the JSON-array form', () => {
      const summary = parseDockerfile(dockerfile('FROM ubuntu', 'COPY ["start notebook.sh", "fix-permissions", "/usr/local/bin/"]'));
      expect(summary.copySources).toEqual([
        { source: 'start notebook.sh', line: 2 },
        { source: 'fix-permissions', line: 2 },
      ]);
    });

    it('excludes ADD of http and https URLs', () => {
      const summary = parseDockerfile(
        dockerfile('FROM ubuntu', 'ADD https://example.com/a.tar.gz /tmp/', 'ADD http://example.com/b.tar.gz local.tar.gz /tmp/'),
      );
      expect(summary.copySources).toEqual([{ source: 'local.tar.gz', line: 3 }]);
    });

    it('reports the first line of a continued COPY', () => {
      const summary = parseDockerfile(dockerfile('FROM ubuntu', '', 'COPY a \\', '     b \\', '     /dest/'));
      expect(summary.copySources).toEqual([
        { source: 'a', line: 3 },
        { source: 'b', line: 3 },
      ]);
    });

    it('reads a shell-form COPY whose first source is a glob starting with "["', () => {
      const summary = parseDockerfile(dockerfile('FROM ubuntu', 'COPY [Rr]equirements.txt /tmp/'));
      expect(summary.copySources).toEqual([{ source: '[Rr]equirements.txt', line: 2 }]);
    });

    it('reads the JSON-array form after flags', () => {
      const summary = parseDockerfile(dockerfile('FROM ubuntu', 'COPY --chown=jovyan ["a", "/b/"]'));
      expect(summary.copySources).toEqual([{ source: 'a', line: 2 }]);
    });
  });
});

describe('takesBaseFrom', () => {
  const parent = 'ghcr.io/org/base';

  it.each([
    ['${BASE_TAG}', dockerfile('ARG BASE_TAG', `FROM ${parent}:\${BASE_TAG}`)],
    ['$BASE_TAG', dockerfile('ARG BASE_TAG', `FROM ${parent}:$BASE_TAG`)],
    ['a default for BASE_TAG', dockerfile('ARG BASE_TAG=latest', `FROM ${parent}:\${BASE_TAG}`)],
    ['--platform', dockerfile('ARG BASE_TAG', `FROM --platform=linux/amd64 ${parent}:\${BASE_TAG} AS base`)],
    ['comments and other ARGs first', dockerfile('# child image', 'ARG OTHER=1', 'ARG BASE_TAG', `FROM ${parent}:\${BASE_TAG}`)],
    ['a builder stage first (only the last stage ships)', dockerfile('ARG BASE_TAG', 'FROM ubuntu AS tools', `FROM ${parent}:\${BASE_TAG}`)],
    ['a last stage built on a parent stage', dockerfile('ARG BASE_TAG', `FROM ${parent}:\${BASE_TAG} AS runtime`, 'FROM ubuntu AS tools', 'FROM runtime')],
  ])('is true with %s', (_why, text) => {
    expect(takesBaseFrom(parseDockerfile(text), parent)).toBe(true);
  });

  it.each([
    ['no ARG BASE_TAG', dockerfile(`FROM ${parent}:\${BASE_TAG}`)],
    ['ARG BASE_TAG only after FROM', dockerfile(`FROM ${parent}:\${BASE_TAG}`, 'ARG BASE_TAG')],
    ['another parent', dockerfile('ARG BASE_TAG', 'FROM ghcr.io/org/other:${BASE_TAG}')],
    ['a fixed tag', dockerfile('ARG BASE_TAG', `FROM ${parent}:2026.3-stable`)],
    ['no tag', dockerfile('ARG BASE_TAG', `FROM ${parent}`)],
    ['a parent name that only starts the same', dockerfile('ARG BASE_TAG', `FROM ${parent}-gpu:\${BASE_TAG}`)],
    ['the parent only in an earlier stage', dockerfile('ARG BASE_TAG', `FROM ${parent}:\${BASE_TAG} AS base`, 'FROM ubuntu')],
    ['no FROM', dockerfile('ARG BASE_TAG')],
  ])('is false with %s', (_why, text) => {
    expect(takesBaseFrom(parseDockerfile(text), parent)).toBe(false);
  });
});

describe('externalBases', () => {
  const bases = (text: string, buildArgs: Record<string, string> = {}) => externalBases(parseDockerfile(text), buildArgs, ['ghcr.io/org/parent']);

  it('resolves ARGs before the first FROM, a build arg over the default', () => {
    expect(bases('ARG PY=3.11\nFROM python:${PY}-slim\n')).toEqual(['python:3.11-slim']);
    expect(bases('ARG PY=3.11\nFROM python:$PY-slim\n', { PY: '3.12' })).toEqual(['python:3.12-slim']);
  });

  it("leaves out the stack's own images, earlier stages and scratch, and names each base once", () => {
    const text = [
      'ARG BASE_TAG',
      'FROM rust:1.80 AS tools',
      'FROM scratch AS empty',
      'FROM ghcr.io/org/parent:${BASE_TAG}',
      'COPY --from=tools /x /x',
      'FROM tools',
      'FROM rust:1.80',
    ].join('\n');
    expect(bases(text)).toEqual(['rust:1.80']);
  });
});
