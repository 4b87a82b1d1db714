import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_KEYS } from './parse-image';
import { EXTENSION_KEY, TOP_KEYS } from './parse';
import { isTagPrefix } from '../registry/tags';

/** The JSON Schema editors use for spec.yml: it must accept and refuse the same keys as the parser. */
const schema = JSON.parse(readFileSync(join(__dirname, '../../spec.schema.json'), 'utf8'));

describe('spec.schema.json matches the parser', () => {
  it('has exactly the parser\'s top-level keys, refuses others and allows x- keys', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...TOP_KEYS].sort());
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.patternProperties)).toEqual([EXTENSION_KEY.source]);
  });

  it('has exactly the parser\'s image keys and refuses others', () => {
    expect(Object.keys(schema.definitions.image.properties).sort()).toEqual([...IMAGE_KEYS].sort());
    expect(schema.definitions.image.additionalProperties).toBe(false);
    expect(schema.definitions.image.required).toEqual(['image_name']);
  });

  it('has the parser\'s rule for tag.prefix', () => {
    const pattern = new RegExp(schema.properties.tag.properties.prefix.pattern);
    for (const prefix of ['2026.3', '2026.1', '2026.4', '2026.0', '2026.5', '26.3', '2026.10', '2026-3', '']) {
      expect([prefix, pattern.test(prefix)]).toEqual([prefix, isTagPrefix(prefix)]);
    }
  });
});
