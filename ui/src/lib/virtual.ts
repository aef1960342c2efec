// Windowing for long tables: which rows to render for a scroll position, and which pages of rows they need.
// The table renders only these rows inside a spacer as tall as all rows, so 100,000 rows cost what 30 do.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  total: number;
  /** Rows rendered above and below the visible ones, so fast scrolling shows no gap. */
  buffer: number;
}

export interface WindowRange {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Where the first rendered row sits inside the spacer, in px. */
  offsetY: number;
  /** Height of the spacer: every row. */
  totalHeight: number;
}

export function visibleWindow(i: WindowInput): WindowRange {
  const total = Math.max(0, Math.floor(i.total));
  const rowHeight = i.rowHeight > 0 ? i.rowHeight : 1;
  const totalHeight = total * rowHeight;
  if (total === 0) return { start: 0, end: 0, offsetY: 0, totalHeight: 0 };
  const maxTop = Math.max(0, totalHeight - Math.max(0, i.viewportHeight));
  const top = Math.min(Math.max(0, i.scrollTop), maxTop);
  const first = Math.floor(top / rowHeight);
  const shown = Math.ceil(Math.max(0, i.viewportHeight) / rowHeight) + 1;
  const buffer = Math.max(0, Math.floor(i.buffer));
  const start = Math.max(0, first - buffer);
  const end = Math.min(total, first + shown + buffer);
  return { start, end, offsetY: start * rowHeight, totalHeight };
}

/** The page numbers that hold rows [start, end). */
export function pagesCovering(start: number, end: number, pageSize: number): number[] {
  if (end <= start || pageSize <= 0) return [];
  const first = Math.floor(Math.max(0, start) / pageSize);
  const last = Math.floor((end - 1) / pageSize);
  const pages: number[] = [];
  for (let p = first; p <= last; p++) pages.push(p);
  return pages;
}

/** The scrollTop that brings row `index` into view (unchanged when it is visible already). */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return scrollTop;
}
