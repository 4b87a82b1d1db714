import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import bumpGenerator from './generator';

const STACK = join(__dirname, '../../../../../images');
const IMAGES = ['datascience-notebook', 'scipy-ml-notebook', 'rstudio-notebook'];
const read = (tree: Tree, image: string) => tree.read(`images/${image}/versions.yml`, 'utf-8') as string;

describe('bump generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    for (const image of IMAGES) {
      tree.write(`images/${image}/versions.yml`, readFileSync(join(STACK, image, 'versions.yml'), 'utf8'));
      tree.write(`images/${image}/Dockerfile`, 'FROM scratch\n');
    }
  });

  it('changes only the pin, keeping comments and layout, in the one file that holds it', async () => {
    const before = read(tree, 'datascience-notebook');
    await bumpGenerator(tree, { package: 'jupyterhub', version: '4.1.6' });
    const after = read(tree, 'datascience-notebook');
    expect(after).toBe(before.replace('jupyterhub: "4.1.5"        # must match', 'jupyterhub: "4.1.6"        # must match'));
    expect(after).not.toBe(before);
    for (const image of ['scipy-ml-notebook', 'rstudio-notebook']) {
      expect(read(tree, image)).toBe(readFileSync(join(STACK, image, 'versions.yml'), 'utf8'));
    }
  });

  it('matches names as pip does and keeps a number-like version a string', async () => {
    await bumpGenerator(tree, { package: 'CUDA', version: '12.10' });
    expect(read(tree, 'scipy-ml-notebook')).toContain('  cuda: "12.10"\n');
    await bumpGenerator(tree, { package: 'jupyter-server', version: '2.15.0' });
    expect(read(tree, 'datascience-notebook')).toContain('  jupyter_server: "2.15.0"\n');
  });

  it('refuses a package no versions.yml pins, changing nothing', async () => {
    await expect(bumpGenerator(tree, { package: 'numpy', version: '2.0.0' })).rejects.toThrow(
      'no versions.yml under images/ pins "numpy": it is unpinned, or named differently',
    );
    expect(tree.listChanges().filter((change) => change.path.endsWith('versions.yml') && change.type === 'UPDATE')).toEqual([]);
  });

  it('refuses an ambiguous package, naming each place, until --image chooses one', async () => {
    tree.write('images/rstudio-notebook/versions.yml', `${read(tree, 'rstudio-notebook')}uv:\n  pandas: "3.0.3"\n`);
    await expect(bumpGenerator(tree, { package: 'pandas', version: '3.0.4' })).rejects.toThrow(
      '"pandas" is pinned in 2 places: images/datascience-notebook/versions.yml (uv.pandas), images/rstudio-notebook/versions.yml (uv.pandas); pass --image=<image> to choose one',
    );
    await bumpGenerator(tree, { package: 'pandas', version: '3.0.4', image: 'rstudio-notebook' });
    expect(read(tree, 'rstudio-notebook')).toContain('pandas: "3.0.4"');
    expect(read(tree, 'datascience-notebook')).toContain('pandas: "3.0.3"');
  });

  it('refuses a missing version, an unknown --image and a broken versions.yml', async () => {
    await expect(bumpGenerator(tree, { package: 'pandas', version: ' ' })).rejects.toThrow('usage: nx g @datahub/docker-stack:bump <package> <version>');
    await expect(bumpGenerator(tree, { package: 'pandas', version: '1', image: 'nope' })).rejects.toThrow('images/nope/versions.yml does not exist');
    tree.write('images/rstudio-notebook/versions.yml', 'deb: [\n');
    await expect(bumpGenerator(tree, { package: 'pandas', version: '1' })).rejects.toThrow('images/rstudio-notebook/versions.yml: ');
  });
});
