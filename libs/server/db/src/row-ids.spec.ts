import { newRowIds } from './row-ids';

describe('newRowIds', () => {
  it('makes UUIDv7-shaped ids (version 7, RFC variant) carrying the current millisecond', () => {
    const before = Date.now();
    const [id] = newRowIds(1);
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });

  it('ascends strictly within a call and across calls, even past 4,096 ids in one millisecond', () => {
    const ids = [...newRowIds(10_000), ...newRowIds(3), ...newRowIds(5_000)];
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps 62 random bits: ids of one millisecond differ beyond their counter', () => {
    const ids = newRowIds(64);
    const tails = new Set(ids.map((id) => id.slice(19)));
    expect(tails.size).toBe(64);
    expect(newRowIds(0)).toEqual([]);
  });
});
