import type { BuildStep, Follow } from './build-types';

/**
 * Reads the classic builder's stream: every line goes to `onOutput` as it arrives, each `Step n/m : …` is timed
 * until the next one (and marked cached on ` ---> Using cache`), and the image id comes from the `aux` event.
 * An empty id means the stream named none: the caller looks the tag up.
 */
export async function readClassicBuild(
  stream: NodeJS.ReadableStream,
  onOutput: (text: string) => void,
  follow: Follow,
): Promise<{ imageId: string; steps: BuildStep[] }> {
  const steps: BuildStep[] = [];
  let current: { step: string; started: number; cached: boolean } | undefined;
  const finishStep = () => {
    if (current) {
      const seconds = (Date.now() - current.started) / 1000;
      steps.push({ step: current.step, seconds, cached: current.cached });
      onOutput(`  (${seconds.toFixed(1)}s)\n`);
    }
  };
  let imageId = '';
  await follow(stream, (event) => {
    if (event.stream) {
      const stepLine = /^Step \d+\/\d+ : .*/.exec(event.stream);
      if (stepLine) {
        finishStep();
        current = { step: stepLine[0], started: Date.now(), cached: false };
      } else if (current && /^ ---> Using cache/.test(event.stream)) {
        current.cached = true;
      }
      onOutput(event.stream);
    }
    if (event.aux?.ID) {
      imageId = event.aux.ID;
    }
    if (event.error) {
      onOutput(`ERROR: ${event.errorDetail?.message ?? event.error}\n`);
    }
  });
  finishStep();
  return { imageId, steps };
}
