import dockerignore from '@balena/dockerignore';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack } from 'tar-fs';
import { filesUnder } from '../util/files-under';

/** The Dockerfile the build reads: the image's own plus one LABEL instruction, added to the context under this name. */
export const LABELLED_DOCKERFILE = '.datahub-stack.Dockerfile';

/**
 * All labels in one `LABEL` instruction. The classic builder turns each label of the build API's `labels`
 * option into a step of its own, each one an image commit (about 0.3 s apiece here).
 */
export function labelInstruction(labels: Record<string, string>): string {
  return `LABEL ${Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}`;
}

/**
 * The build context as dockerode would send it (every file, minus what `.dockerignore` excludes, with dockerode's
 * own matcher), plus the labelled Dockerfile.
 */
export function buildContext(contextDir: string, labels: Record<string, string>): NodeJS.ReadableStream {
  const ignoreFile = join(contextDir, '.dockerignore');
  const keep = existsSync(ignoreFile) ? dockerignore({ ignorecase: false }).add(readFileSync(ignoreFile, 'utf8')).createFilter() : () => true;
  const dockerfile = `${readFileSync(join(contextDir, 'Dockerfile'), 'utf8').replace(/\n*$/, '\n')}${labelInstruction(labels)}\n`;
  return pack(contextDir, {
    entries: filesUnder(contextDir).filter(keep),
    finalize: false,
    finish: (archive) => {
      archive.entry({ name: LABELLED_DOCKERFILE }, dockerfile);
      archive.finalize();
    },
  });
}
