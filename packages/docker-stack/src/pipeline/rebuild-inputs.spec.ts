import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackSpec } from '../stack/model';
import { readRebuildInputs, type LocalImage } from './rebuild-inputs';

// `.invalid` never resolves (RFC 2606): a registry that cannot be asked, answered at once.
const PINNED = `nowhere.invalid/base@sha256:${'a'.repeat(64)}`;
const spec = {
  stackDir: 'images',
  images: [
    { name: 'root', imageName: 'nowhere.invalid/org/root', buildArgs: {} },
    { name: 'child', imageName: 'nowhere.invalid/org/child', dependOn: 'root', buildArgs: {} },
  ],
} as unknown as StackSpec;

describe('readRebuildInputs', () => {
  let root: string;
  const write = (image: string, dockerfile: string) => {
    mkdirSync(join(root, 'images', image), { recursive: true });
    writeFileSync(join(root, 'images', image, 'Dockerfile'), dockerfile);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rebuild-inputs-'));
    write('root', 'FROM nowhere.invalid/made-here:1\nFROM nowhere.invalid/tools:2 AS tools\n');
    write('child', `ARG BASE_TAG\nFROM ${PINNED} AS pinned\nFROM nowhere.invalid/org/root:\${BASE_TAG}\n`);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('identifies each external base once: a pinned digest by itself, a base made here by its id, one it cannot ask for by its tag, saying so', async () => {
    const local: LocalImage = async (reference) => (reference === 'nowhere.invalid/made-here:1' ? { id: 'sha256:10ca1', pulled: false } : undefined);
    const warnings: string[] = [];
    const inputs = await readRebuildInputs(root, spec, local, (line) => warnings.push(line));
    expect(inputs.bases).toEqual({ 'nowhere.invalid/made-here:1': 'local sha256:10ca1', 'nowhere.invalid/tools:2': 'tag', [PINNED]: `sha256:${'a'.repeat(64)}` });
    expect(warnings[0]).toMatch(/^base image nowhere\.invalid\/tools:2: its registry could not be asked \(.+\); identified by its tag$/);
  });

  it("asks the registry for a base made here when the engine is not asked, and says when the stack's generation cannot be read", async () => {
    const warnings: string[] = [];
    const inputs = await readRebuildInputs(root, spec, undefined, (line) => warnings.push(line));
    expect(inputs.bases['nowhere.invalid/made-here:1']).toBe('tag');
    expect(inputs.generation).toBe('0');
    expect(warnings.at(-1)).toMatch(/^the stack's rebuild generation could not be read \(.+\): images are identified as of generation 0$/);
  });
});
