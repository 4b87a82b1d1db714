import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContext, LABELLED_DOCKERFILE, labelInstruction } from './build-context';

/** The names and texts of the files in an uncompressed tar stream. */
async function entries(stream: NodeJS.ReadableStream): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  const tar = Buffer.concat(chunks);
  const files: Record<string, string> = {};
  for (let offset = 0; offset + 512 <= tar.length && tar[offset] !== 0; ) {
    const name = tar.subarray(offset, offset + 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(tar.subarray(offset + 124, offset + 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
    files[name] = tar.subarray(offset + 512, offset + 512 + size).toString('utf8');
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('build context', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'build-context-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM base\nRUN true');
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    writeFileSync(join(dir, 'secret.env'), 'x\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts every label in one LABEL instruction, values quoted', () => {
    expect(labelInstruction({ 'org.opencontainers.image.title': 'x', 'a.b': 'say "hi"' })).toBe('LABEL org.opencontainers.image.title="x" a.b="say \\"hi\\""');
  });

  it('sends the files and the Dockerfile with its labels appended, honouring .dockerignore', async () => {
    writeFileSync(join(dir, '.dockerignore'), '*.env\n');
    const files = await entries(buildContext(dir, { 'a.b': 'c' }));
    expect(Object.keys(files).sort()).toEqual(['.dockerignore', 'Dockerfile', 'a.txt', LABELLED_DOCKERFILE].sort());
    expect(files[LABELLED_DOCKERFILE]).toBe('FROM base\nRUN true\nLABEL a.b="c"\n');
  });
});
