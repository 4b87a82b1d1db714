import type { ExecutorContext } from '@nx/devkit';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { DockerEngine } from '../docker/docker-engine';
import { branchTag, currentBranch } from '../registry/tags';
import { loadStack } from '../stack/load';
import { findImage, type ImageSpec, type StackSpec } from '../stack/model';
import { artifactPath, hasLog, logPath, type StepName } from './outputs';
import { notThisRunner } from './stack-platform';
import type { StepDetails, StepRecord, StepResult } from './step-results';

/** What every per-image step knows about the image it works on. */
export interface ImageTask {
  workspaceRoot: string;
  spec: StackSpec;
  image: ImageSpec;
  parent?: ImageSpec;
  /** `<prefix>-<branch>`. */
  branchTag: string;
  /** `<image_name>:<prefix>-<branch>` (with `-<os>-<arch>` for one platform of a multi-platform image). */
  reference: string;
  /** Set for one platform of a multi-platform image (pipeline/platform-variants.ts). */
  platform?: string;
  log: StepLog;
}

/**
 * Whether steps print their output as it comes. A batch (executors/pipeline) runs several steps at once in one
 * process and hands Nx each step's output when it ends, so it turns the live copy off.
 */
let live = true;
export const printStepOutputLive = (on: boolean) => {
  live = on;
};

/** Prints a step's output live and keeps a copy in `logs/<image>/<step>.log` when the step has a log. */
export class StepLog {
  readonly messages: string[] = [];
  private readonly file?: WriteStream;

  constructor(path?: string) {
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      this.file = createWriteStream(path);
    }
  }

  /** Raw output (build or test lines), as it comes. */
  write(text: string): void {
    if (live) {
      process.stdout.write(text);
    }
    this.file?.write(text);
  }

  /** A message that also goes into the step's result file. */
  info(message: string): void {
    this.messages.push(message);
    this.write(`${message}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.file ? this.file.end(resolve) : resolve()));
  }
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readStepResult<S extends StepName>(workspaceRoot: string, image: string, step: S): StepResult<S> | undefined {
  const path = join(workspaceRoot, artifactPath(image, step));
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as StepResult<S>) : undefined;
}

/** The image `name` of the stack and its tags, as every step (and `serve`) sees it. */
export function imageTask(workspaceRoot: string, stackDir: string, name: string, log: StepLog): ImageTask {
  const { spec } = loadStack(workspaceRoot, stackDir);
  const image = findImage(spec, name);
  const tag = branchTag(spec.tagPrefix, currentBranch(process.env, workspaceRoot));
  return {
    workspaceRoot,
    spec,
    image,
    parent: image.dependOn ? findImage(spec, image.dependOn) : undefined,
    branchTag: tag,
    reference: `${image.imageName}:${tag}`,
    log,
  };
}

/**
 * Runs one step of one image: resolves the image and its tags, times the work, turns any error into a failed
 * step with the message shown, and always writes the step's result file (and its log, where the step table in
 * outputs.ts says it has one). `work` returns the step's details; `success: false` among them fails the step
 * with those details kept.
 */
export async function runImageStep<S extends StepName>(
  step: S,
  options: { stackDir: string },
  context: ExecutorContext,
  work: (task: ImageTask, docker: DockerEngine) => Promise<StepDetails[S]>,
): Promise<{ success: boolean }> {
  const started = Date.now();
  const name = context.projectName ?? '';
  const log = new StepLog(hasLog(step) ? join(context.root, logPath(name, step)) : undefined);
  const result: StepRecord = { image: name, step, success: false, startedAt: new Date(started).toISOString(), seconds: 0, messages: log.messages };
  try {
    const task = imageTask(context.root, options.stackDir, name, log);
    const elsewhere = notThisRunner(task.image);
    if (elsewhere) {
      log.info(elsewhere);
      Object.assign(result, { success: true, skipped: true });
    } else {
      const details = await work(task, await DockerEngine.connect(task.spec.images.map((entry) => entry.imageName)));
      Object.assign(result, details, { success: (details as { success?: boolean }).success !== false });
    }
  } catch (error) {
    log.info(`${name}:${step} failed: ${(error as Error).message}`);
  }
  result.seconds = (Date.now() - started) / 1000;
  writeJson(join(context.root, artifactPath(name, step)), result);
  await log.close();
  return { success: result.success };
}
