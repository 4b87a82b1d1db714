import type { ExecutorContext } from '@nx/devkit';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { artifactPath, logPath, type StepName } from '../src/pipeline/outputs';
import { writeJson } from '../src/pipeline/step';
import type { BuildDetails, StepRecord, StepResult } from '../src/pipeline/step-results';
import { VALID_FOLDERS, VALID_SPEC } from '../src/stack/parse.fixtures';
import { FAKE_GENERATION } from './fake-docker-engine';

/** The branch the steps see: `GITHUB_REF_NAME`, so no git is needed. */
export const BRANCH_TAG = '2026.3-main';

/** What the steps read from the environment, fixed so the tests need no git, no CI and no host credentials. */
const STEP_ENV: Record<string, string | undefined> = {
  GITHUB_REF_NAME: 'main',
  GITHUB_HEAD_REF: undefined,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'org/stack',
  GITHUB_SHA: 'a'.repeat(40),
  // The host's registry credentials stay out of the tests.
  DOCKER_CONFIG: undefined,
  REGISTRY_HOST: undefined,
  REGISTRY_USERNAME: undefined,
  REGISTRY_PASSWORD: undefined,
};

/**
 * A temporary workspace holding the parser's valid stack (`base` <- `child` <- `grandchild`, prefix 2026.3) in
 * `images/`, for running executors in unit tests. `useStepWorkspace()` makes one per test and cleans up.
 */
export class StepWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'step-unit-'));

  constructor(spec = VALID_SPEC) {
    this.write('images/spec.yml', spec);
    for (const [name, folder] of VALID_FOLDERS) {
      mkdirSync(join(this.root, 'images', name), { recursive: true });
      if (folder.dockerfile) {
        this.write(`images/${name}/Dockerfile`, folder.dockerfile);
      }
    }
  }

  write(path: string, text: string): string {
    const file = join(this.root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }

  /** What Nx hands an executor running `<project>:<target>`. */
  context(project: string, target = 'build'): ExecutorContext {
    return { root: this.root, cwd: this.root, projectName: project, targetName: target, isVerbose: false } as ExecutorContext;
  }

  result<S extends StepName>(image: string, step: S): StepResult<S> {
    return JSON.parse(this.read(artifactPath(image, step))) as StepResult<S>;
  }

  log(image: string, step: StepName): string {
    return this.read(logPath(image, step));
  }

  /** A successful build.json, as `build` writes it, for an image the fake engine holds as `imageId`. */
  recordBuild(image: string, imageName: string, imageId: string, contentTag = `build-${image}-hash`): BuildDetails {
    const details: BuildDetails = {
      imageName,
      imageId,
      contentTag,
      tags: [`${imageName}:${BRANCH_TAG}`, `${imageName}:${contentTag}`],
      reused: false,
      parent: null,
      generation: FAKE_GENERATION,
      buildArgs: {},
      steps: [],
      builder: 'buildkit',
      secrets: {},
    };
    const record: StepRecord = { image, step: 'build', success: true, startedAt: new Date(0).toISOString(), seconds: 1, messages: [] };
    writeJson(join(this.root, artifactPath(image, 'build')), { ...record, ...details });
    return details;
  }

  /**
   * A stand-in for `python3 -m pytest`: prints a pytest-like summary and exits with `code`; it also records its
   * arguments and TEST_IMAGE in `pytest-args.txt`.
   */
  fakePython(code: number, summary: string): string {
    const file = this.write(
      'fake-python.sh',
      `#!/bin/sh\necho "$TEST_IMAGE $*" > "${join(this.root, 'pytest-args.txt')}"\necho "collected"\necho "===== ${summary} ====="\nexit ${code}\n`,
    );
    chmodSync(file, 0o755);
    return file;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A fresh workspace per test, the steps' environment fixed, and their live output kept off the test report. */
export function useStepWorkspace(spec?: string): () => StepWorkspace {
  let workspace: StepWorkspace | undefined;
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [key, value] of Object.entries(STEP_ENV)) {
      saved[key] = process.env[key];
      value === undefined ? delete process.env[key] : (process.env[key] = value);
    }
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    workspace = new StepWorkspace(spec);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    workspace?.remove();
    for (const [key, value] of Object.entries(saved)) {
      value === undefined ? delete process.env[key] : (process.env[key] = value);
    }
  });
  return () => workspace!;
}
