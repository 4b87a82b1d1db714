/**
 * `node rebuild-inputs.js <stackDir>`: prints the stack's rebuild inputs (pipeline/rebuild-inputs.ts) as JSON. The
 * plugin makes it a runtime input of every cached image target, so Nx's hash moves with the rebuild generation and
 * the external bases' digests. It runs once per nx command, so it loads no engine client (a base made on this
 * machine counts by its tag here) and no Nx; it never fails (a failed hash would stop the run): a problem is
 * printed as its output instead, and the build step's log says it in full.
 */
import { readRebuildInputs } from '../pipeline/rebuild-inputs';
import { loadStack } from '../stack/load';

async function main(stackDir: string): Promise<string> {
  const root = process.cwd();
  const { spec } = loadStack(root, stackDir);
  return JSON.stringify(await readRebuildInputs(root, spec, undefined, () => undefined));
}

main(process.argv[2] ?? 'images').then(
  (text) => console.log(text),
  (error: Error) => console.log(`rebuild inputs unavailable: ${error.message}`),
);
