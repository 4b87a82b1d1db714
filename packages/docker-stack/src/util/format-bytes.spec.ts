import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it.each([[0, '0 B'], [999, '999 B'], [1500, '1.5 KB'], [2_500_000_000, '2.5 GB']])('%d -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
