import { walkFiles } from '../stack/files';
import { IMAGE_TEST_FOLDERS, type ImageSpec } from '../stack/model';
import { report, type LintContext } from './context';
import type { SourceFile } from './install-commands';
import { checkInfoCmds, checkInstalls, parseVersions, type PinList } from './pins';

export const VERSIONS_FILE = 'versions.yml';

/** What the build runs or installs from: shell scripts and requirements files; not tests, not the `pinned` wrapper. */
const INSTALL_SOURCE = /\.sh$|requirements[^/]*\.txt$/;

/** The image and its ancestors, nearest first. */
function lineage(context: LintContext): ImageSpec[] {
  const byName = new Map(context.spec.images.map((image) => [image.name, image]));
  const chain: ImageSpec[] = [];
  for (let image: ImageSpec | undefined = context.image; image && !chain.includes(image); image = image.dependOn ? byName.get(image.dependOn) : undefined) {
    chain.push(image);
  }
  return chain;
}

function readVersions(context: LintContext, image: ImageSpec): PinList | undefined {
  const file = `${context.spec.stackDir}/${image.name}/${VERSIONS_FILE}`;
  const text = context.files.kind(file) === 'file' ? context.files.read(file) : undefined;
  return text === undefined ? undefined : parseVersions(file, text);
}

/**
 * Rule (see pins.ts): an image with a versions.yml installs exactly its pins and its ancestors' (inherited), and its
 * spec info_cmds are the ones versions.yml lists. An image without versions.yml is not checked.
 */
export function checkPins(context: LintContext): void {
  const [image, ...ancestors] = lineage(context);
  const list = readVersions(context, image);
  if (!list) {
    return;
  }
  const inherited = ancestors.flatMap((ancestor) => readVersions(context, ancestor) ?? []);
  const excluded = [...IMAGE_TEST_FOLDERS, 'scripts/pinned'].map((path) => `${context.folder}/${path}`);
  const scripts = walkFiles(context.files, context.folder).filter(
    (path) => INSTALL_SOURCE.test(path) && !excluded.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
  );
  const sources: SourceFile[] = [context.dockerfilePath, ...scripts].flatMap((path) => {
    const text = context.files.read(path);
    return text === undefined ? [] : [{ path, text }];
  });
  const infoCmdsLine = context.specLine(['images', image.name, 'info_cmds']);
  const findings = [
    ...list.findings,
    ...checkInstalls(list, sources, inherited),
    ...checkInfoCmds(image.infoCmds, list, context.specFile, infoCmdsLine),
  ];
  context.checks += list.pins.length + 1;
  findings.forEach((finding) => report(context, finding.file, finding.line, finding.message));
}
