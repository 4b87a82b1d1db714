import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFESTS_DIR, manifestPageName } from '../../pipeline/outputs';
import { renderManifestPage, type ManifestImage } from './manifest-page';

/**
 * A runner of one platform (STACK_PLATFORM) writes that platform's page, and beside it in `manifests/` what the
 * page shows as data, so that `stack:merge-index`, given every platform's `manifests/`, writes the index's one page.
 */
const dataPath = (workspaceRoot: string, platformReference: string) =>
  join(workspaceRoot, MANIFESTS_DIR, manifestPageName(platformReference).replace(/\.md$/, '.json'));

export function writePlatformPageData(workspaceRoot: string, platformReference: string, image: ManifestImage): void {
  mkdirSync(join(workspaceRoot, MANIFESTS_DIR), { recursive: true });
  writeFileSync(dataPath(workspaceRoot, platformReference), `${JSON.stringify(image, null, 2)}\n`);
}

function readPlatformPageData(workspaceRoot: string, platformReference: string): ManifestImage | undefined {
  const path = dataPath(workspaceRoot, platformReference);
  if (!existsSync(path)) {
    return undefined;
  }
  const image = JSON.parse(readFileSync(path, 'utf8')) as ManifestImage;
  return { ...image, history: image.history.map((layer) => ({ ...layer, created: new Date(layer.created) })) };
}

/** What the index's page is made of: its reference, digest and parent, and each platform's image reference. */
export interface IndexPage {
  fullName: string;
  digest: string;
  parent: string | null;
  platforms: { platform: string; reference: string }[];
}

/**
 * Writes the index's page to `manifests/` from its platforms' data. Returns the page's name, or the platforms
 * whose data is not in `manifests/` (their runner's results were not brought in), writing nothing.
 */
export function writeIndexPage(workspaceRoot: string, page: IndexPage): { page: string } | { missing: string[] } {
  const platforms = page.platforms.map(({ platform, reference }) => ({ platform, image: readPlatformPageData(workspaceRoot, reference) }));
  const missing = platforms.filter(({ image }) => !image).map(({ platform }) => platform);
  if (missing.length > 0) {
    return { missing };
  }
  const markdown = renderManifestPage({
    fullName: page.fullName,
    digest: page.digest,
    parent: page.parent,
    imageId: '',
    history: [],
    sections: [],
    platforms: platforms.map(({ platform, image }) => ({ platform, ...(image as ManifestImage) })),
  });
  const name = manifestPageName(page.fullName);
  writeFileSync(join(workspaceRoot, MANIFESTS_DIR, name), markdown);
  return { page: name };
}
