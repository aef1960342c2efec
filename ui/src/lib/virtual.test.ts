import { describe, expect, it } from 'vitest';
import { pagesCovering, scrollToShow, visibleWindow } from './virtual';

const base = { scrollTop: 0, viewportHeight: 360, rowHeight: 36, total: 100_000, buffer: 5 };

describe('visibleWindow', () => {
  it('renders the visible rows plus the buffer below at the top', () => {
    const w = visibleWindow(base);
    expect(w).toEqual({ start: 0, end: 16, offsetY: 0, totalHeight: 3_600_000 });
  });

  it('puts the buffer on both sides in the middle, and the first row at its offset', () => {
    const w = visibleWindow({ ...base, scrollTop: 36 * 50_000 + 10 });
    expect(w.start).toBe(49_995);
    expect(w.end).toBe(50_016);
    expect(w.offsetY).toBe(49_995 * 36);
  });

  it('never renders past the last row, even when scrolled beyond it', () => {
    const w = visibleWindow({ ...base, scrollTop: 99_999_999 });
    expect(w.end).toBe(100_000);
    expect(w.start).toBe(100_000 - 10 - 5);
  });

  it('renders a short table whole and an empty one not at all', () => {
    expect(visibleWindow({ ...base, total: 3 })).toMatchObject({ start: 0, end: 3, totalHeight: 108 });
    expect(visibleWindow({ ...base, total: 0 })).toEqual({ start: 0, end: 0, offsetY: 0, totalHeight: 0 });
  });

  it('keeps the number of rendered rows small whatever the table size', () => {
    for (const total of [10, 1000, 100_000, 1_000_000]) {
      const w = visibleWindow({ ...base, total, scrollTop: total * 18 });
      expect(w.end - w.start).toBeLessThanOrEqual(21);
    }
  });

  it('treats a negative scroll (rubber-band) as the top', () => {
    expect(visibleWindow({ ...base, scrollTop: -50 }).start).toBe(0);
  });
});

describe('pagesCovering', () => {
  it('lists the pages a range of rows spans', () => {
    expect(pagesCovering(0, 16, 200)).toEqual([0]);
    expect(pagesCovering(195, 215, 200)).toEqual([0, 1]);
    expect(pagesCovering(400, 400, 200)).toEqual([]);
    expect(pagesCovering(99_990, 100_000, 200)).toEqual([499]);
  });
});

describe('scrollToShow', () => {
  it('scrolls just enough to show a row', () => {
    expect(scrollToShow(5, 0, 360, 36)).toBe(0);
    expect(scrollToShow(20, 0, 360, 36)).toBe(21 * 36 - 360);
    expect(scrollToShow(2, 720, 360, 36)).toBe(72);
  });
});
