import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { DIAGRAM_END, DIAGRAM_START } from '../../stack/mermaid';
import imageGenerator from './generator';

/** The real DataHub spec (comments, flow lists), with an anchor and its alias to keep too. */
const CMDS = 'info_cmds: [PY_VER, PIP_LIST, CONDA_INFO, CONDA_LIST, APT_PKG_LIST]';
const SPEC = readFileSync(join(__dirname, '../../../../../images/spec.yml'), 'utf8')
  .replace(CMDS, CMDS.replace('[', '&cmds ['))
  .replace(CMDS, 'info_cmds: *cmds');
const IMAGES = ['datascience-notebook', 'rstudio-notebook', 'scipy-ml-notebook'];

describe('image generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('images/spec.yml', SPEC);
    tree.write('images/datascience-notebook/Dockerfile', 'FROM quay.io/jupyter/datascience-notebook:2024-03-14\n');
    for (const image of IMAGES.slice(1)) {
      tree.write(`images/${image}/Dockerfile`, 'ARG BASE_TAG\nFROM ghcr.io/ucsd-ets/datascience-notebook:${BASE_TAG}\n');
    }
    tree.write('README.md', `# Stack\n\n${DIAGRAM_START}\nold\n${DIAGRAM_END}\n`);
  });

  it('writes the Dockerfile on the parent, one test, the spec entry after its parent and the diagram', async () => {
    await imageGenerator(tree, { name: 'julia-notebook', parent: 'rstudio-notebook' });
    expect(tree.read('images/julia-notebook/Dockerfile', 'utf-8')).toContain('ARG BASE_TAG\nFROM ghcr.io/ucsd-ets/rstudio-notebook:${BASE_TAG}\n');
    const test = tree.read('images/julia-notebook/test/test_image.py', 'utf-8');
    expect(test).toContain('== "julia-notebook"');
    // By uid, which every image has; a user name needs an /etc/passwd that a busybox or imported base lacks.
    expect(test).toContain('user="0",');
    expect(test).not.toMatch(/user="[a-z]/);
    const entry = '  julia-notebook:\n    image_name: ghcr.io/ucsd-ets/julia-notebook\n    depend_on: rstudio-notebook\n';
    // Every other character of spec.yml stays: comments and their alignment, the anchor, flow lists.
    expect(tree.read('images/spec.yml', 'utf-8')).toBe(SPEC.replace('  scipy-ml-notebook:\n', `${entry}  scipy-ml-notebook:\n`));
    expect(tree.read('README.md', 'utf-8')).toContain('rstudio_notebook --> julia_notebook');
  });

  it('adds a root on --base, to the root list, after the last image', async () => {
    await imageGenerator(tree, { name: 'minimal', base: 'ubuntu:22.04', imageName: 'ghcr.io/ucsd-ets/minimal' });
    expect(tree.read('images/minimal/Dockerfile', 'utf-8')).toContain('\nFROM ubuntu:22.04\n');
    const spec = tree.read('images/spec.yml', 'utf-8') as string;
    expect(spec).toContain('&cmds [PY_VER');
    expect(spec).toContain('root: [datascience-notebook, minimal]\n');
    expect(spec).toContain('    # prepull: false   # turn off pulling the previous image as build cache\n  minimal:\n    image_name: ghcr.io/ucsd-ets/minimal\ntag:');
  });

  it.each([
    [{ name: 'scipy-ml-notebook', parent: 'datascience-notebook' }, /an image "scipy-ml-notebook" already exists/],
    [{ name: 'new', parent: 'no-such' }, /the parent "no-such" is not an image of images\/spec.yml/],
    [{ name: 'Bad_Name!', parent: 'datascience-notebook' }, /"Bad_Name!" is not a valid Docker image name/],
    [{ name: 'new' }, /give --parent=<image> .* or --base=<image>/],
  ])('refuses %j with a clear message and writes nothing', async (options, message) => {
    const before = tree.listChanges().map((change) => [change.path, change.content?.toString()]);
    await expect(imageGenerator(tree, options)).rejects.toThrow(message);
    await expect(imageGenerator(tree, options)).rejects.toThrow(/nothing was written/);
    expect(tree.listChanges().map((change) => [change.path, change.content?.toString()])).toEqual(before);
  });
});
