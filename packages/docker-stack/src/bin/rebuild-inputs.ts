/**
 * `node rebuild-inputs.js <stackDir>`: prints the stack's rebuild inputs (pipeline/rebuild-inputs.ts) as JSON. The
 * plugin makes it a runtime input of every cached image target, so Nx's hash moves with the rebuild generation and
 * the external bases' digests. It never fails (a failed hash would stop the run): problems are printed in its
 * output instead, and the build step's log says them in full.
 */
import { DockerEngine } from '../docker/docker-engine';
import { engineImages, readRebuildInputs, type LocalImage } from '../pipeline/rebuild-inputs';
import { loadStack } from '../stack/load';

async function main(stackDir: string): Promise<string> {
  const root = process.cwd();
  const { spec } = loadStack(root, stackDir);
  const local: LocalImage = await DockerEngine.connect().then(engineImages, () => async () => undefined);
  return JSON.stringify(await readRebuildInputs(root, spec, local, () => undefined));
}

main(process.argv[2] ?? 'images').then(
  (text) => console.log(text),
  (error: Error) => console.log(`rebuild inputs unavailable: ${error.message}`),
);
