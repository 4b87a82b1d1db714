import { BuildKitProgress } from './buildkit-progress';
import recorded from './buildkit-progress.fixture.json';

function replay(messages: string[]): { lines: string[]; progress: BuildKitProgress } {
  const printed: string[] = [];
  const progress = new BuildKitProgress((text) => printed.push(text));
  messages.forEach((message) => progress.update(message));
  return { lines: printed.join('').split('\n').filter(Boolean), progress };
}

describe('BuildKitProgress on trace events recorded from the engine', () => {
  it('names each Dockerfile step as the classic builder does, in Dockerfile order, with its duration', () => {
    const { progress } = replay(recorded.fresh);
    const steps = progress.steps();
    expect(steps.map((step) => step.step)).toEqual([
      'Step 1/3 : FROM docker.io/library/datahub-example-base:busybox',
      'Step 2/3 : RUN echo hello from step two',
      'Step 3/3 : COPY Dockerfile /Dockerfile',
    ]);
    expect(steps[1].cached).toBe(false);
    expect(steps[1].seconds).toBeGreaterThan(0);
    expect(steps[1].seconds).toBeLessThan(60);
  });

  it('prints each step when it starts, its output, and DONE with its time', () => {
    const { lines } = replay(recorded.fresh);
    const start = lines.findIndex((line) => /^#\d+ Step 2\/3 : RUN echo hello from step two$/.test(line));
    expect(start).toBeGreaterThanOrEqual(0);
    const number = lines[start].split(' ')[0];
    expect(lines).toContain(`${number} hello from step two`);
    expect(lines.slice(start)).toContainEqual(expect.stringMatching(new RegExp(`^${number} DONE \\d+\\.\\ds$`)));
  });

  it('marks cached steps, once each, with no time', () => {
    const { lines, progress } = replay(recorded.cached);
    const run = progress.steps().find((step) => step.step.startsWith('Step 2/3'));
    expect(run).toEqual({ step: 'Step 2/3 : RUN echo hello from step two', seconds: 0, cached: true });
    expect(lines.filter((line) => line.endsWith('Step 2/3 : RUN echo hello from step two: CACHED'))).toHaveLength(1);
  });
});
