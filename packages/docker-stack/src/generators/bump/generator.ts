import { logger, type Tree } from '@nx/devkit';
import { isMap, isScalar, parseDocument, Scalar } from 'yaml';
import { normalizeStackDir } from '../../defaults';
import type { BumpGeneratorSchema } from './schema';

const VERSIONS_FILE = 'versions.yml';

/** Package names compare as pip does (PEP 503). */
const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

interface Place {
  file: string;
  section: string;
  key: string;
}

/** Every versions.yml section entry that pins `name`, in the stack (or in one image). */
function placesOf(tree: Tree, stackDir: string, name: string, image?: string): Place[] {
  const images = image ? [image] : tree.children(stackDir).filter((child) => tree.exists(`${stackDir}/${child}/${VERSIONS_FILE}`));
  return images.flatMap((folder) => {
    const file = `${stackDir}/${folder}/${VERSIONS_FILE}`;
    const document = parseDocument(tree.read(file, 'utf-8') ?? '');
    if (document.errors.length > 0) {
      throw new Error(`${file}: ${document.errors[0].message.split('\n')[0]}: fix it first (npx nx lint ${folder})`);
    }
    if (!isMap(document.contents)) {
      return [];
    }
    return document.contents.items.flatMap(({ key: section, value }) =>
      isMap(value)
        ? value.items
            .filter(({ key }) => isScalar(key) && normalize(String(key.value)) === normalize(name))
            .map(({ key }) => ({ file, section: String((section as Scalar).value), key: String((key as Scalar).value) }))
        : [],
    );
  });
}

/** Changes the one pin of a package in its versions.yml, keeping comments; the image's folder changes, so it and its children rebuild. */
export default async function bumpGenerator(tree: Tree, options: BumpGeneratorSchema): Promise<void> {
  const stackDir = normalizeStackDir(options.stackDir);
  const version = String(options.version ?? '').trim();
  if (!options.package || version === '' || /\s/.test(version)) {
    throw new Error(`usage: nx g @datahub/docker-stack:bump <package> <version> (got package "${options.package ?? ''}", version "${version}")`);
  }
  if (options.image && !tree.exists(`${stackDir}/${options.image}/${VERSIONS_FILE}`)) {
    throw new Error(`${stackDir}/${options.image}/${VERSIONS_FILE} does not exist: --image must name an image folder of ${stackDir}/`);
  }
  const places = placesOf(tree, stackDir, options.package, options.image);
  if (places.length === 0) {
    throw new Error(`no ${VERSIONS_FILE} under ${stackDir}/ pins "${options.package}": it is unpinned, or named differently`);
  }
  if (places.length > 1) {
    const list = places.map((place) => `${place.file} (${place.section}.${place.key})`).join(', ');
    throw new Error(`"${options.package}" is pinned in ${places.length} places: ${list}; pass --image=<image> to choose one`);
  }
  const [{ file, section, key }] = places;
  const text = tree.read(file, 'utf-8') ?? '';
  const node = parseDocument(text).getIn([section, key], true) as Scalar;
  const [start, end] = node.range as [number, number, number];
  // Rewrite only the value's own characters: comments, spacing and key order stay as written. Always quoted,
  // so a number-like version stays a string (12.10 must not become 12.1).
  const quoted = node.type === Scalar.QUOTE_SINGLE ? `'${version}'` : JSON.stringify(version);
  tree.write(file, `${text.slice(0, start)}${quoted}${text.slice(end)}`);
  const previous = String(node.value);
  logger.info(`${file}: ${section}.${key} ${previous} -> ${version}`);
}
