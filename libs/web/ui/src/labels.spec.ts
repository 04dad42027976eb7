import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS, labelOf } from './labels';

// Every enum the API returns, read from the schema the server writes: each needs words.
const schema = readFileSync(join(__dirname, '..', '..', '..', 'shared', 'schema', 'schema.gql'), 'utf8');
const enums = Object.fromEntries(
  [...schema.matchAll(/^enum (\w+) \{([^}]*)\}/gm)].map((m) => [m[1] as string, (m[2] as string).split('\n').map((l) => l.trim()).filter((l) => /^[A-Z0-9_]+$/.test(l))]),
);

describe('enum labels', () => {
  it.each(Object.keys(enums))('%s has words for every value', (name) => {
    const map = (LABELS as Record<string, Record<string, string>>)[name];
    expect(map).toBeDefined();
    expect(Object.keys(map ?? {}).sort()).toEqual([...(enums[name] ?? [])].sort());
    for (const label of Object.values(map ?? {})) expect(label).not.toMatch(/^[A-Z][A-Z_]{3,}$/);
  });

  it('reads values in words and never shows a raw name', () => {
    expect(labelOf('SloDimension', 'AVAILABILITY')).toBe('Availability');
    expect(labelOf('ActionKind', 'DETECT')).toBe('Detect');
    expect(labelOf('FactorCategory', 'SOMETHING_NEW')).toBe('Something new');
    expect(labelOf('Priority', null)).toBe('—');
  });
});
