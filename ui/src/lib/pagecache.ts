// Pages of table rows fetched from the core, kept per query. A change of filters or sort starts a new generation
// (the key): answers that arrive for an older key are dropped, so a slow page never lands in a newer table.

export interface Identified {
  id: string | number;
}

export class PageCache<T extends Identified> {
  readonly pageSize: number;
  readonly maxPages: number;
  key = '';
  /** Rows matching the query; null until the first page arrived. */
  total: number | null = null;
  private pages = new Map<number, T[]>();
  private pending = new Set<number>();
  /** Pages in the order they were last used, oldest first (for eviction). */
  private used: number[] = [];

  constructor(pageSize: number, maxPages = 60) {
    this.pageSize = pageSize;
    this.maxPages = maxPages;
  }

  /** Forgets everything and starts the generation `key`. */
  reset(key: string): void {
    this.key = key;
    this.total = null;
    this.pages.clear();
    this.pending.clear();
    this.used = [];
  }

  /** The pages among `wanted` that are neither cached nor on their way. */
  missing(wanted: number[]): number[] {
    return wanted.filter((p) => !this.pages.has(p) && !this.pending.has(p));
  }

  markPending(page: number): void {
    this.pending.add(page);
  }

  /** Stores a page that was asked for under `key`; false (and nothing stored) when the key is stale. */
  put(key: string, page: number, rows: T[], total: number): boolean {
    if (key !== this.key) return false;
    this.pending.delete(page);
    this.pages.set(page, rows);
    this.total = total;
    this.touch(page);
    this.evict(page);
    return true;
  }

  /** A page request under `key` failed: it may be asked for again. */
  fail(key: string, page: number): void {
    if (key === this.key) this.pending.delete(page);
  }

  rowAt(index: number): T | undefined {
    const page = Math.floor(index / this.pageSize);
    return this.pages.get(page)?.[index - page * this.pageSize];
  }

  /** Rows [start, end): a row that is not loaded yet is undefined. */
  slice(start: number, end: number): (T | undefined)[] {
    const out: (T | undefined)[] = [];
    for (let i = start; i < end; i++) out.push(this.rowAt(i));
    return out;
  }

  /** Puts an edited row in place of the cached one with the same id; false when it is not cached. */
  replace(row: T): boolean {
    for (const rows of this.pages.values()) {
      const i = rows.findIndex((r) => r.id === row.id);
      if (i >= 0) {
        rows[i] = row;
        return true;
      }
    }
    return false;
  }

  /** Marks pages as just used, so they are the last to be evicted. */
  touchAll(pages: number[]): void {
    for (const p of pages) if (this.pages.has(p)) this.touch(p);
  }

  get cachedPages(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
  }

  private touch(page: number): void {
    const i = this.used.indexOf(page);
    if (i >= 0) this.used.splice(i, 1);
    this.used.push(page);
  }

  private evict(keep: number): void {
    while (this.pages.size > this.maxPages) {
      const oldest = this.used.find((p) => p !== keep);
      if (oldest === undefined) return;
      this.used.splice(this.used.indexOf(oldest), 1);
      this.pages.delete(oldest);
    }
  }
}
