import { manifestPageName } from './outputs';

describe('manifestPageName', () => {
  it('names pages as the former pipeline did: / and : become -, ghcr.io is ghcr-io', () => {
    expect(manifestPageName('ghcr.io/ucsd-ets/rstudio-notebook:2026.3-stable')).toBe('ghcr-io-ucsd-ets-rstudio-notebook-2026.3-stable.md');
    expect(manifestPageName('127.0.0.1:5000/ns/core:2026.3-main')).toBe('127.0.0.1-5000-ns-core-2026.3-main.md');
    expect(manifestPageName('docker.io/library/busybox:stable')).toBe('docker.io-library-busybox-stable.md');
  });
});
