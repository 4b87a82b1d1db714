import { readdirSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir`, relative to it, sorted: a build context, and what an image's identity hashes. */
export function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}
