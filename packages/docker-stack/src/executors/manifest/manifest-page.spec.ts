import { renderManifestPage } from './manifest-page';

const history = [
  { created: new Date('2026-01-02T00:00:00Z'), createdBy: '/bin/sh -c echo child | tee x', size: 2_000 },
  { created: new Date('2026-01-01T00:00:00Z'), createdBy: '/bin/sh -c #(nop) ADD file:abc in /', size: 1_000_000 },
];

describe('renderManifestPage', () => {
  const page = renderManifestPage({
    fullName: 'ghcr.io/org/img:2026.3-main',
    digest: 'sha256:abc',
    imageId: 'sha256:def',
    parent: 'ghcr.io/org/base:2026.3-main',
    history,
    sections: [
      { title: 'Python Version', command: 'python --version', exitCode: 0, output: 'Python 3.11.8\n' },
      { title: 'pip Packages', command: 'pip list', exitCode: 0, output: Array.from({ length: 30 }, (_, i) => `pkg${i} 1.0`).join('\n') },
      { title: 'Broken', command: 'false', exitCode: 1, output: '' },
    ],
  });

  it('names the image, its digest and its parent', () => {
    expect(page).toContain('# ghcr.io/org/img:2026.3-main');
    expect(page).toContain('| Digest | `sha256:abc` |');
    expect(page).toContain('| Parent | `ghcr.io/org/base:2026.3-main` |');
  });

  it('lists layers oldest first with a cumulative size, escaping table pipes', () => {
    const rows = page.split('\n').filter((line) => line.startsWith('| 2026-'));
    expect(rows[0]).toBe('| 2026-01-01 00:00:00 | ADD file:abc in / | 1.0 MB | 1.0 MB |');
    expect(rows[1]).toBe('| 2026-01-02 00:00:00 | echo child \\| tee x | 2.0 KB | 1.0 MB |');
  });

  it('gives each info command a section and folds long outputs', () => {
    expect(page).toMatch(/## Python Version\n\n`python --version`\n\n```text\nPython 3.11.8\n```/);
    expect(page).toContain('<details><summary>30 lines</summary>');
    expect(page).toContain('**Exited with code 1.**');
  });

  it('shows a multi-platform image as its index, then each platform with its own digest, size, layers and outputs', () => {
    const platform = (name: string, machine: string) => ({ platform: name, digest: `sha256:${machine}`, imageId: `sha256:id-${machine}`, history, sections: [{ title: 'Machine', command: 'uname -m', exitCode: 0, output: `${machine}\n` }] });
    const multi = renderManifestPage({
      fullName: 'ghcr.io/org/img:2026.3-main',
      digest: 'sha256:index',
      imageId: '',
      parent: null,
      history: [],
      sections: [],
      platforms: [platform('linux/amd64', 'x86_64'), platform('linux/arm64', 'aarch64')],
    });
    expect(multi).toContain('| Digest | `sha256:index` (the index) |');
    expect(multi).toContain('| Platforms | linux/amd64, linux/arm64 |');
    expect(multi).toMatch(/## linux\/amd64\n\nDigest `sha256:x86_64`, image ID `sha256:id-x86_64`, size 1.0 MB\.\n\n### Layers[\s\S]*### Machine[\s\S]*x86_64[\s\S]*## linux\/arm64[\s\S]*aarch64/);
  });
});
