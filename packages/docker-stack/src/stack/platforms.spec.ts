import { parseStack } from './parse';
import { foldersFor, sources, specError, specWith, VALID_SPEC } from './parse.fixtures';

const CHILD = '  child:\n    image_name: ghcr.io/org/child\n    depend_on: base\n';
const platformsOf = (text: string) =>
  Object.fromEntries(parseStack(sources(text, foldersFor('base', 'child'))).spec.images.map((image) => [image.name, image.platforms]));

describe('platforms in spec.yml', () => {
  it('leaves a former-format spec on the engine\'s own platform (an empty list) for every image', () => {
    expect(parseStack(sources(VALID_SPEC)).spec.images.map((image) => image.platforms)).toEqual([[], [], []]);
  });

  it('gives every image the top-level list, and lets a child narrow it', () => {
    const text = `platforms: [linux/amd64, linux/arm64]\n${specWith({ images: CHILD })}`;
    expect(platformsOf(text)).toEqual({ base: ['linux/amd64', 'linux/arm64'], child: ['linux/amd64', 'linux/arm64'] });
    expect(platformsOf(text.replace('depend_on: base\n', 'depend_on: base\n    platforms: [linux/arm64]\n'))).toEqual({
      base: ['linux/amd64', 'linux/arm64'],
      child: ['linux/arm64'],
    });
  });

  it('refuses a child asking for a platform its parent lacks, naming the file, image, key and platform', () => {
    const text = `platforms: [linux/amd64]\n${specWith({ images: `${CHILD}    platforms: [linux/amd64, linux/arm64]\n` })}`;
    const error = specError(sources(text, foldersFor('base', 'child'))).message;
    expect(error).toContain('images/spec.yml:');
    expect(error).toContain('image "child" key "platforms"');
    expect(error).toContain('"linux/arm64", which its parent "base" lacks');
  });

  it('refuses a child asking for platforms when its parent builds only the engine\'s own', () => {
    const error = specError(sources(specWith({ images: `${CHILD}    platforms: [linux/arm64]\n` }), foldersFor('base', 'child'))).message;
    expect(error).toContain('image "child" key "platforms"');
    expect(error).toContain('its parent "base" builds only the engine\'s own platform');
  });

  it('refuses a malformed list', () => {
    expect(specError(sources(`platforms: arm64\n${specWith({})}`, foldersFor('base'))).message).toContain('"platforms"');
    expect(specError(sources(`platforms: [amd64]\n${specWith({})}`, foldersFor('base'))).message).toContain('non-empty list of platforms');
  });
});
