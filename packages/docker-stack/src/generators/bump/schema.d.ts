export interface BumpGeneratorSchema {
  /** The pinned package, as versions.yml names it (compared as pip does: case and -_. insensitive). */
  package: string;
  /** The new version, written as a quoted string. */
  version: string;
  /** Only look in this image's versions.yml (when several images pin the package). */
  image?: string;
  stackDir?: string;
}
