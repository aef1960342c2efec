import { describe, expect, it } from 'vitest';
import { PageCache } from './pagecache';

type Row = { id: string; n: number };
const page = (p: number, size = 3): Row[] => Array.from({ length: size }, (_, i) => ({ id: `r${p * size + i}`, n: 0 }));

describe('PageCache', () => {
  it('maps row indexes into the pages that arrived and leaves the rest undefined', () => {
    const c = new PageCache<Row>(3);
    c.reset('k');
    expect(c.put('k', 1, page(1), 7)).toBe(true);
    expect(c.total).toBe(7);
    expect(c.rowAt(3)?.id).toBe('r3');
    expect(c.rowAt(5)?.id).toBe('r5');
    expect(c.rowAt(0)).toBeUndefined();
    expect(c.slice(2, 5).map((r) => r?.id)).toEqual([undefined, 'r3', 'r4']);
  });

  it('asks for each page once while it is on its way, and again after a failure', () => {
    const c = new PageCache<Row>(3);
    c.reset('k');
    expect(c.missing([0, 1])).toEqual([0, 1]);
    c.markPending(0);
    c.markPending(1);
    expect(c.missing([0, 1, 2])).toEqual([2]);
    c.put('k', 0, page(0), 9);
    c.fail('k', 1);
    expect(c.missing([0, 1, 2])).toEqual([1, 2]);
  });

  it('drops a page that arrives for an older query', () => {
    const c = new PageCache<Row>(3);
    c.reset('old');
    c.markPending(0);
    c.reset('new');
    expect(c.put('old', 0, page(0), 100)).toBe(false);
    expect(c.rowAt(0)).toBeUndefined();
    expect(c.total).toBeNull();
    expect(c.missing([0])).toEqual([0]);
  });

  it('replaces an edited row wherever it is cached', () => {
    const c = new PageCache<Row>(3);
    c.reset('k');
    c.put('k', 0, page(0), 6);
    c.put('k', 1, page(1), 6);
    expect(c.replace({ id: 'r4', n: 42 })).toBe(true);
    expect(c.rowAt(4)).toEqual({ id: 'r4', n: 42 });
    expect(c.replace({ id: 'nope', n: 1 })).toBe(false);
  });

  it('evicts the least recently used pages beyond its limit, never the one just stored', () => {
    const c = new PageCache<Row>(3, 2);
    c.reset('k');
    c.put('k', 0, page(0), 30);
    c.put('k', 1, page(1), 30);
    c.touchAll([0]);
    c.put('k', 2, page(2), 30);
    expect(c.cachedPages).toEqual([0, 2]);
  });
});
