import { parseStack } from '../stack/parse';
import { foldersFor, sources, specWith, VALID_SPEC } from '../stack/parse.fixtures';
import { baseImageWarnings } from './base-image';

describe('baseImageWarnings: the FROM/BASE_TAG rule as the plugin\'s warning', () => {
  const text = specWith({ images: '  child:\n    image_name: ghcr.io/org/child\n    depend_on: base\n' });

  it('warns about a child that does not build FROM <parent image_name>:${BASE_TAG}, naming the Dockerfile and image', () => {
    const warnings = baseImageWarnings(parseStack(sources(text, [...foldersFor('base'), ['child', { dockerfile: 'FROM ghcr.io/org/base:latest\n' }]])));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('images/child/Dockerfile');
    expect(warnings[0]).toContain('image "child"');
    expect(warnings[0]).toContain('FROM ghcr.io/org/base:${BASE_TAG}');
  });

  it('warns when the child uses the parent folder name instead of its image_name', () => {
    const warnings = baseImageWarnings(parseStack(sources(text, [...foldersFor('base'), ['child', { dockerfile: 'ARG BASE_TAG\nFROM base:${BASE_TAG}\n' }]])));
    expect(warnings).toHaveLength(1);
  });

  it('does not warn when the child builds FROM <parent image_name>:${BASE_TAG}', () => {
    expect(baseImageWarnings(parseStack(sources(text, foldersFor('base', 'child'))))).toEqual([]);
  });

  it('does not warn about roots', () => {
    expect(baseImageWarnings(parseStack(sources(specWith({}), [['base', { dockerfile: 'FROM ubuntu:22.04\n' }]])))).toEqual([]);
  });

  it('gives no warnings when children build FROM <parent>:${BASE_TAG}', () => {
    expect(baseImageWarnings(parseStack(sources(VALID_SPEC)))).toEqual([]);
  });
});
