import ignore from 'ignore';
import type { SpecProblem } from './errors';
import { SPEC_FILE, type ImageSpec, type StackSources } from './model';

/**
 * The image folders next to spec.yml: one per entry, each a real folder with a Dockerfile file, none hidden from
 * Nx and none named like a BuildAll entry (whose files are inputs of every image).
 */
export function checkFolders(sources: StackSources, images: ImageSpec[], buildAll: string[], specFile: string): SpecProblem[] {
  const { stackDir, folders } = sources;
  const problems: SpecProblem[] = [];
  const named = new Set(images.map((image) => image.name));
  for (const image of images) {
    const folder = folders.get(image.name);
    const dockerfile = `${stackDir}/${image.name}/Dockerfile`;
    if (!folder) {
      problems.push({ file: specFile, image: image.name, message: `has no folder ${stackDir}/${image.name}/` });
    } else if (folder.dockerfileIsFolder) {
      problems.push({ file: dockerfile, image: image.name, message: 'is a directory: it must be the image\'s Dockerfile' });
    } else if (folder.dockerfile === undefined) {
      problems.push({ file: dockerfile, image: image.name, message: 'is missing: every image folder needs a Dockerfile' });
    }
  }
  for (const [name, folder] of folders) {
    const path = `${stackDir}/${name}`;
    if (folder.dockerfile !== undefined && !named.has(name)) {
      problems.push({
        file: `${path}/Dockerfile`,
        image: name,
        message: `has a Dockerfile but no entry under "images" in ${specFile}: add one (with image_name) or remove the folder`,
      });
    }
    if (!named.has(name) && folder.dockerfile === undefined) {
      continue;
    }
    if (folder.link) {
      // Refused, not followed: the image's identity is the hash of the files in its folder, and a link would let
      // them change elsewhere (or be shared by two stacks) unseen.
      problems.push({ file: path, image: name, message: 'is a symbolic link: image folders must be real folders; move the folder here instead of linking it' });
    }
    if (buildAll.includes(name)) {
      problems.push({
        file: path,
        image: name,
        message: `is named like the BuildAll entry "${name}" of change_ignore.json, whose files are inputs of every image: rename the image folder`,
      });
    }
  }
  return [...problems, ...hiddenFolders(sources, images)];
}

/**
 * An ignore line (`.nxignore`, the workspace's or the stack folder's `.gitignore`) that hides an image folder or its
 * Dockerfile: Nx would infer no project for the image, and `nx affected` would skip its changes with a green run.
 */
function hiddenFolders({ stackDir, nxignoreText, gitignores = [] }: StackSources, images: ImageSpec[]): SpecProblem[] {
  const ignoreFiles = [{ file: '.nxignore', text: nxignoreText ?? '' }, ...gitignores];
  return images.flatMap((image) => {
    const paths = [`${stackDir}/`, `${stackDir}/${image.name}/`, `${stackDir}/${image.name}/Dockerfile`];
    for (const { file, text } of ignoreFiles) {
      // Patterns of a nested ignore file are relative to its folder.
      const base = file.includes('/') ? `${file.slice(0, file.lastIndexOf('/'))}/` : '';
      const relative = paths.filter((path) => path.startsWith(base) && path !== base).map((path) => path.slice(base.length));
      // The whole file decides (a later `!` line can take a path back); the line named is the last that hides it.
      if (!relative.some((path) => ignore().add(text).ignores(path))) continue;
      const lines = text.split(/\r?\n/);
      const hides = (line: string) => line.trim() !== '' && !line.startsWith('!') && relative.some((path) => ignore().add(line).ignores(path));
      const index = lines.map((line, at) => (hides(line) ? at : -1)).reduce((last, at) => Math.max(last, at), -1);
      return [
        {
          file,
          line: index + 1,
          image: image.name,
          message: `"${lines[index].trim()}" hides the image folder ${stackDir}/${image.name}/ from Nx, so the image would be no project and its changes would affect nothing: remove the line (to leave an image out, take its entry out of ${SPEC_FILE} and its folder out of ${stackDir}/)`,
        },
      ];
    }
    return [];
  });
}
