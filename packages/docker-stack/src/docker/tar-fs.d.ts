/** The part of tar-fs 2 (dockerode's own context packer) that build-context.ts uses. */
declare module 'tar-fs' {
  import type { Readable } from 'node:stream';
  interface Pack extends Readable {
    entry(header: { name: string }, content: string): void;
    finalize(): void;
  }
  export function pack(dir: string, options: { entries: string[]; finalize?: boolean; finish?: (pack: Pack) => void }): Pack;
}
