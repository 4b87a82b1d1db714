import type { SpecProblem } from './errors';

/**
 * spec.yml must be UTF-8 text. Node would silently replace a bad byte with U+FFFD and YAML would accept a NUL,
 * so a Latin-1 spec or a binary file would load with wrong values: refuse them, saying what is wrong and where.
 */
export function decodeSpecText(file: string, bytes: Uint8Array): { text: string } | { problem: SpecProblem } {
  const refuse = (message: string, line?: number) => ({ problem: { file, line, message } });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return refuse('is UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8');
  }
  const lineOfByte = (offset: number) => bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
  const nul = bytes.indexOf(0);
  // UTF-16 without a byte order mark, or a binary file: text never holds NUL bytes.
  if (nul >= 0 && bytes.subarray(0, 512).filter((byte) => byte === 0).length > 1) {
    return refuse('is not text (it holds NUL bytes: a binary or UTF-16 file): save it as UTF-8', lineOfByte(nul));
  }
  const badByte = firstInvalidUtf8(bytes);
  if (badByte !== undefined) {
    return refuse(
      `is not valid UTF-8: byte 0x${bytes[badByte].toString(16).toUpperCase()} (Latin-1 "${String.fromCharCode(bytes[badByte])}"?) ` +
        'is not a UTF-8 character: save the file as UTF-8',
      lineOfByte(badByte),
    );
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const control = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return refuse(`holds the control character U+${code}, which YAML does not allow in a file: remove it`, text.slice(0, control.index).split('\n').length);
  }
  return { text };
}

/** The offset of the first byte that does not start or continue a valid UTF-8 character. */
function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(bytes);
    return undefined;
  } catch {
    // Narrow down by lines: the first line that does not decode holds the bad byte.
  }
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      // The characters before the first replacement were valid, so they re-encode to the same bytes.
      const decoded = new TextDecoder('utf-8').decode(bytes.subarray(start, end));
      return start + Buffer.byteLength(decoded.slice(0, decoded.indexOf('\uFFFD')));
    }
    start = end + 1;
  }
  return undefined;
}
