import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('answers until the entry is ttl old, then forgets it', () => {
    const c = new TtlCache<number>(1000);
    c.set('a', 1, 10_000);
    expect(c.get('a', 10_000)).toBe(1);
    expect(c.get('a', 10_999)).toBe(1);
    expect(c.get('a', 11_000)).toBeUndefined();
    expect(c.get('b', 10_000)).toBeUndefined();
  });

  it('does not extend an entry that is read, only one that is set again', () => {
    const c = new TtlCache<string>(100);
    c.set('k', 'v', 0);
    expect(c.get('k', 90)).toBe('v');
    expect(c.get('k', 150)).toBeUndefined();
    c.set('k', 'w', 150);
    expect(c.get('k', 240)).toBe('w');
  });

  it('empties itself instead of growing past maxEntries; delete and clear forget', () => {
    const c = new TtlCache<number>(60_000, 3);
    ['a', 'b', 'c'].forEach((k, i) => c.set(k, i, 0));
    expect(c.get('c', 1)).toBe(2);
    c.set('d', 3, 1);
    expect([c.get('a', 2), c.get('d', 2)]).toEqual([undefined, 3]);
    c.delete('d');
    expect(c.get('d', 2)).toBeUndefined();
    c.set('e', 4, 2);
    c.clear();
    expect(c.get('e', 3)).toBeUndefined();
  });
});
