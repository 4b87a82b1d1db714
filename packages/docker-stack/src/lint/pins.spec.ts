import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { splitSpec, type SourceFile } from './install-commands';
import { checkInfoCmds, checkInstalls, parseVersions } from './pins';

const VERSIONS = `# pins
uv:
  pandas: "3.0.3"   # comment
  jupyter_server: "2.14.2"
apt:
  libtinfo5: "6.3-2"
deb:
  rstudio-server: "2024.09.1-394"
info_cmds: [PY_VER, PIP_LIST]
`;
const FILE = 'images/x/versions.yml';
const list = () => parseVersions(FILE, VERSIONS);
const dockerfile = (text: string): SourceFile => ({ path: 'images/x/Dockerfile', text });
const GOOD = `FROM base
RUN pinned uv pip install --system nltk pandas \\
        jupyter-server && \\
    pinned apt-get install -y libtinfo5
RUN deb="rstudio-server-$(pinned --version rstudio-server).deb" && gdebi -n "$deb"
`;

describe('parseVersions', () => {
  it('reads pins with their section and line, and the expected info_cmds', () => {
    const parsed = list();
    expect(parsed.findings).toEqual([]);
    expect(parsed.pins).toEqual([
      { name: 'pandas', section: 'uv', version: '3.0.3', line: 3 },
      { name: 'jupyter_server', section: 'uv', version: '2.14.2', line: 4 },
      { name: 'libtinfo5', section: 'apt', version: '6.3-2', line: 6 },
      { name: 'rstudio-server', section: 'deb', version: '2024.09.1-394', line: 8 },
    ]);
    expect(parsed.infoCmds).toEqual(['PY_VER', 'PIP_LIST']);
    expect(parsed.infoCmdsLine).toBe(9);
  });

  it('reports a YAML syntax error with the file and line', () => {
    const parsed = parseVersions(FILE, 'uv:\n  pandas: "3.0.3"\n  torch: [2.6\n');
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.findings[0]).toMatchObject({ file: FILE, line: expect.any(Number), message: expect.stringContaining('is not valid YAML') });
  });

  it('reports a version YAML reads as a number, with its line', () => {
    expect(parseVersions(FILE, 'uv:\n  pandas: "3.0.3"\nwheel-index:\n  cuda: 12.10\n').findings).toEqual([
      { file: FILE, line: 4, message: 'wheel-index.cuda must be a version string: YAML reads 12.10 as the number 12.1, write "12.10" in quotes' },
    ]);
  });

  it('reports a duplicated package key with its line', () => {
    expect(parseVersions(FILE, 'uv:\n  pandas: "1"\n  pandas: "2"\n').findings).toEqual([
      { file: FILE, line: 3, message: 'is not valid YAML: Map keys must be unique' },
    ]);
  });

  it('reports the same package pinned in two sections', () => {
    const parsed = parseVersions(FILE, 'uv:\n  Pandas: "3.0.3"\nconda:\n  pandas: "3.0.3"\n');
    expect(parsed.findings).toEqual([{ file: FILE, line: 4, message: 'pandas is pinned twice (also uv.Pandas on line 2): keep one' }]);
  });

  it('reports a file that is not a mapping and a bad info_cmds', () => {
    expect(parseVersions(FILE, '- a\n').findings[0].message).toContain('must be a mapping');
    expect(parseVersions(FILE, 'info_cmds: PY_VER\n').findings).toEqual([{ file: FILE, line: 1, message: 'info_cmds must be a list of info command names' }]);
  });
});

describe('splitSpec', () => {
  it.each([
    ['pandas', 'uv', { name: 'pandas', exact: false }],
    ['pandas==3.0.3', 'uv', { name: 'pandas', version: '3.0.3', exact: true }],
    ['pandas[parquet]==3.0.3', 'pip', { name: 'pandas', version: '3.0.3', exact: true }],
    ['pandas>=2', 'uv', { name: 'pandas', version: '>=2', exact: false }],
    ['conda-forge::numpy=1.26=py311', 'conda', { name: 'numpy', version: '1.26', exact: true }],
    ['libtinfo5=6.3-2', 'apt', { name: 'libtinfo5', version: '6.3-2', exact: true }],
  ] as const)('%s (%s)', (spec, installer, expected) => {
    expect(splitSpec(spec, installer)).toEqual(expected);
  });
});

describe('checkInstalls', () => {
  it('accepts installs through "pinned" and pins read with "pinned --version"', () => {
    expect(checkInstalls(list(), [dockerfile(GOOD)])).toEqual([]);
  });

  it('reports a wrong pin with the line of the package inside a continued RUN', () => {
    const text = GOOD.replace('        jupyter-server', '        jupyter-server==2.13.0');
    expect(checkInstalls(list(), [dockerfile(text)])).toEqual([
      { file: 'images/x/Dockerfile', line: 3, message: `installs jupyter-server==2.13.0 but ${FILE}:4 pins 2.14.2` },
    ]);
  });

  it('reports an unpinned install (no "pinned" wrapper)', () => {
    const text = `${GOOD}RUN uv pip install --system --no-cache Pandas\n`;
    expect(checkInstalls(list(), [dockerfile(text)])).toEqual([
      { file: 'images/x/Dockerfile', line: 6, message: `installs pandas unpinned; ${FILE}:3 pins 3.0.3: run the command through "pinned" (e.g. "pinned uv pip install pandas")` },
    ]);
  });

  it('reports an unpinned install in a script, a range and a version from a build arg', () => {
    const script = { path: 'images/x/scripts/install.sh', text: '#!/bin/bash\n# pip install pandas==1 (comment)\nuv pip install pandas\nuv pip install "pandas>=3"\nuv pip install pandas==${PANDAS}\n' };
    expect(checkInstalls(list(), [dockerfile(GOOD), script]).map(({ line, message }) => [line, message])).toEqual([
      [3, `installs pandas unpinned; ${FILE}:3 pins 3.0.3: run the command through "pinned" (e.g. "pinned uv pip install pandas")`],
      [4, `installs pandas>=3 but ${FILE}:3 pins 3.0.3`],
      [5, `installs pandas==\${PANDAS}: the version comes from \${PANDAS}, not from ${FILE}:3 (3.0.3); name it bare after "pinned"`],
    ]);
  });

  it('reports a version given to "pinned" (which refuses it) and pins in a requirements file', () => {
    const text = `${GOOD}RUN pinned uv pip install pandas==3.0.3 -r /tmp/requirements.txt\n`;
    const requirements = { path: 'images/x/requirements.txt', text: '# deps\nnltk\njupyter_server==2.0.0\n' };
    expect(checkInstalls(list(), [dockerfile(text), requirements]).map(({ file, line, message }) => [file, line, message])).toEqual([
      ['images/x/Dockerfile', 6, `"pinned" refuses pandas==3.0.3: the version comes from ${FILE}:3, name it bare`],
      ['images/x/requirements.txt', 3, `installs jupyter_server==2.0.0 but ${FILE}:4 pins 2.14.2`],
    ]);
  });

  it('reports a pin nothing uses, and a parent pin a child installs at another version', () => {
    const parent = parseVersions('images/base/versions.yml', 'uv:\n  numpy: "2.0.0"\n');
    const child = dockerfile('FROM base\nRUN pinned apt-get install -y libtinfo5 && pinned uv pip install pandas jupyter_server\nRUN uv pip install numpy==1.26.4\n');
    expect(checkInstalls(list(), [child], [parent]).map(({ file, line, message }) => [file, line, message])).toEqual([
      ['images/x/Dockerfile', 3, 'installs numpy==1.26.4 but images/base/versions.yml:2 pins 2.0.0'],
      [FILE, 8, 'pins rstudio-server but no Dockerfile or script reads it with "pinned --version rstudio-server": use it or remove it'],
    ]);
  });

  it('reports the wrong installer for an apt pin', () => {
    const text = GOOD.replace('pinned apt-get install -y libtinfo5', 'pinned apt-get install -y curl && mamba install -y libtinfo5');
    expect(checkInstalls(list(), [dockerfile(text)]).map(({ message }) => message)).toEqual([
      `installs libtinfo5 with conda, but ${FILE}:6 pins it under "apt": install it with apt or move the pin`,
    ]);
  });
});

describe('checkInfoCmds', () => {
  it('accepts the expected list', () => {
    expect(checkInfoCmds(['PY_VER', 'PIP_LIST'], list(), 'images/spec.yml', 7)).toEqual([]);
  });

  it('reports a missing and an unexpected info command at the spec line', () => {
    expect(checkInfoCmds(['PY_VER', 'CONDA_LIST'], list(), 'images/spec.yml', 7)).toEqual([
      { file: 'images/spec.yml', line: 7, message: `info_cmds lacks PIP_LIST, which ${FILE}:9 expects` },
      { file: 'images/spec.yml', line: 7, message: `info_cmds has CONDA_LIST, which ${FILE}:9 does not expect` },
    ]);
  });

  it('reports another order, and a versions.yml without info_cmds', () => {
    expect(checkInfoCmds(['PIP_LIST', 'PY_VER'], list(), 'images/spec.yml')[0].message).toBe(
      `info_cmds are in the order PIP_LIST, PY_VER; ${FILE}:9 expects PY_VER, PIP_LIST`,
    );
    expect(checkInfoCmds([], parseVersions(FILE, 'uv: {}\n'), 'images/spec.yml')).toEqual([
      { file: FILE, message: "lists no info_cmds: add the info commands the image's manifest must show" },
    ]);
  });
});

describe('the DataHub stack in images/', () => {
  const stack = join(__dirname, '../../../../images');
  const sources = (folder: string): SourceFile[] => {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
    return walk(folder)
      .filter((path) => /(Dockerfile|\.sh|requirements[^/]*\.txt)$/.test(path) && !/\/(test|integration_tests|manual_tests|workflow_tests)\//.test(path))
      .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  };
  const versions = (image: string) => parseVersions(`${image}/versions.yml`, readFileSync(join(stack, image, 'versions.yml'), 'utf8'));

  it.each(['datascience-notebook', 'scipy-ml-notebook', 'rstudio-notebook'])('%s follows its versions.yml', (image) => {
    const inherited = image === 'datascience-notebook' ? [] : [versions('datascience-notebook')];
    expect(versions(image).findings).toEqual([]);
    expect(checkInstalls(versions(image), sources(join(stack, image)), inherited)).toEqual([]);
  });
});
