/**
 * The stack the pipeline benchmark runs on (issue 9's shape) and the figures it reads back from the artifacts.
 * 12 images in 3 levels (1 root, 3 middle, 8 leaves), each one COPY and one RUN of a 1,000,000-iteration shell
 * loop, with 2 pytest tests that each do a `docker run`.
 */
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TempWorkspace } from '../packages/docker-stack-e2e/src/support/workspace';

export const LEVELS = [1, 3, 8];
const STEPS = ['build', 'test', 'push', 'manifest'];

/** Image name -> parent (undefined for the root), level by level; image i of a level is built on i % n of the one below. */
function benchmarkImages(): Map<string, string | undefined> {
  const images = new Map<string, string | undefined>();
  LEVELS.forEach((count, level) => {
    for (let i = 0; i < count; i++) {
      images.set(`bench-l${level}-${i}`, level === 0 ? undefined : `bench-l${level - 1}-${i % LEVELS[level - 1]}`);
    }
  });
  return images;
}

/** A benchmark stack as written: its root, its deepest leaf, and the file of an image that a change edits. */
export interface BenchmarkStack {
  root: string;
  leaf: string;
  inputFile: (image: string) => string;
}

/**
 * The side-by-side kit's stack (../shared/bench/gen-stack.py output: `images/` in the former format and
 * `stack.json`), copied under images/ with its repositories moved to `repositoryPrefix` as run-ours.sh does.
 */
export function writeKitStack(ws: TempWorkspace, kitDir: string, repositoryPrefix: string): BenchmarkStack {
  const kit = JSON.parse(readFileSync(join(kitDir, 'stack.json'), 'utf8')) as { registry: string; root: string; deepest_leaf: string };
  cpSync(join(kitDir, 'images'), ws.path('images'), { recursive: true });
  const moveRepositories = (dir: string): void => {
    for (const entry of readdirSync(ws.path(dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        moveRepositories(path);
      } else if (ws.read(path).includes(`${kit.registry}/`)) {
        ws.write(path, ws.read(path).split(`${kit.registry}/`).join(repositoryPrefix));
      }
    }
  };
  moveRepositories('images');
  return { root: kit.root, leaf: kit.deepest_leaf, inputFile: (image) => `images/${image}/payload.txt` };
}

/** Writes the stack under images/ with its images in `<registry>/<namespace>/`; returns the leaf and root names. */
export function writeBenchmarkStack(ws: TempWorkspace, repositoryPrefix: string): BenchmarkStack {
  const images = benchmarkImages();
  const spec = ['root: bench-l0-0', 'images:'];
  for (const [name, parent] of images) {
    spec.push(`  ${name}:`, `    image_name: ${repositoryPrefix}${name}`, ...(parent ? [`    depend_on: ${parent}`] : []), '    info_cmds: [FILES]');
    const from = parent ? ['ARG BASE_TAG=latest', `FROM ${repositoryPrefix}${parent}:\${BASE_TAG}`] : ['FROM datahub-example-base:busybox'];
    const loop = 'RUN i=0; while [ "$i" -lt 1000000 ]; do i=$((i+1)); done; echo "$i" > /opt/stack/' + name + '.count';
    ws.write(`images/${name}/Dockerfile`, [...from, `COPY ${name}.txt /opt/stack/${name}.txt`, loop, ''].join('\n'));
    // The repository prefix is unique per run: the root's first layer is new, so no earlier layer cache helps.
    ws.write(`images/${name}/${name}.txt`, `${name} on ${parent ?? 'busybox'} (${repositoryPrefix})\n`);
    ws.write(
      `images/${name}/test/test_${name.replace(/-/g, '_')}.py`,
      [
        `def test_has_its_file(client, image):`,
        `    assert b"${name} on" in client.containers.run(image, ["cat", "/opt/stack/${name}.txt"], remove=True)`,
        ``,
        `def test_ran_the_loop(client, image):`,
        `    assert client.containers.run(image, ["cat", "/opt/stack/${name}.count"], remove=True) == b"1000000\\n"`,
        ``,
      ].join('\n'),
    );
  }
  spec.push('tag:', '  prefix: "2026.3"', 'all_info_cmds:', '  FILES:', '    description: Stack files', '    command: ls /opt/stack', '');
  ws.write('images/spec.yml', spec.join('\n'));
  ws.write('images/change_ignore.json', `${JSON.stringify({ ChangeIgnore: [], BuildAll: ['spec.yml', 'change_ignore.json', 'conftest.py'] })}\n`);
  ws.write(
    'images/conftest.py',
    [
      'import os', '', 'import docker', 'import pytest', '', '',
      '@pytest.fixture(scope="session")', 'def image():', '    return os.environ["TEST_IMAGE"]', '', '',
      '@pytest.fixture(scope="session")', 'def client():', '    return docker.from_env()', '',
    ].join('\n'),
  );
  ws.write('.nxignore', '\n');
  return { root: 'bench-l0-0', leaf: `bench-l2-${LEVELS[2] - 1}`, inputFile: (image) => `images/${image}/${image}.txt` };
}

export interface StepRun {
  image: string;
  step: string;
  start: number;
  end: number;
  seconds: number;
}

export interface ScenarioFigures {
  runs: StepRun[];
  wall: number;
  tasks: number;
  stepSeconds: number;
  /** Wall time that no step accounts for on the critical path, per task on it. */
  overheadPerTask: number;
  criticalTasks: number;
  firstTask: number;
}

/** Every step result written since `since` (epoch ms). */
function stepRuns(root: string, since: number): StepRun[] {
  const dir = join(root, 'artifacts');
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir).flatMap((image) =>
    STEPS.map((step) => join(dir, image, `${step}.json`))
      .filter((file) => existsSync(file))
      .map((file) => JSON.parse(readFileSync(file, 'utf8')) as { image: string; step: string; startedAt: string; seconds: number })
      .map((r) => ({ image: r.image, step: r.step, start: Date.parse(r.startedAt), seconds: r.seconds, end: Date.parse(r.startedAt) + r.seconds * 1000 }))
      .filter((run) => run.start >= since),
  );
}

/** Figures of one nx command that started at `started` and took `wall` seconds. */
export function scenarioFigures(root: string, started: number, wall: number): ScenarioFigures {
  const runs = stepRuns(root, started);
  // The critical path: from the last step to end, back through the step that ended last before each one started
  // (a dependency, or the task whose slot it took under --parallel); what lies between them, no step accounts for.
  const path: StepRun[] = [];
  let current: StepRun | undefined = [...runs].sort((a, b) => b.end - a.end)[0];
  while (current) {
    path.push(current);
    const start: number = current.start;
    current = runs.filter((run) => run.end <= start).sort((a, b) => b.end - a.end)[0];
  }
  const onPath = path.reduce((sum, run) => sum + run.seconds, 0);
  return {
    runs,
    wall,
    tasks: runs.length,
    stepSeconds: runs.reduce((sum, run) => sum + run.seconds, 0),
    overheadPerTask: path.length ? (wall - onPath) / path.length : wall,
    criticalTasks: path.length,
    firstTask: runs.length ? (Math.min(...runs.map((run) => run.start)) - started) / 1000 : wall,
  };
}
