import { afterEach, describe, expect, it, vi } from 'vitest';
import { debounce, formatBytes, formatCount, labelIn, plural, shortHash } from './format';

describe('formatBytes', () => {
  it('says bytes below a kilobyte and rounds larger sizes', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1024 * 1024)).toBe('1 MB');
    expect(formatBytes(15 * 1024 * 1024 * 1024)).toBe('15 GB');
    expect(formatBytes(-1)).toBe('—');
  });
});

describe('shortHash', () => {
  it('keeps the start of a long hash and marks the cut', () => {
    const h = 'a'.repeat(64);
    expect(shortHash(h)).toBe('aaaaaaaaaaaa…');
    expect(shortHash('abc')).toBe('abc');
  });
});

describe('counts and labels', () => {
  it('groups thousands and pluralises', () => {
    expect(formatCount(100000)).toBe('100,000');
    expect(plural(1, 'object')).toBe('1 object');
    expect(plural(2500, 'object')).toBe('2,500 objects');
  });

  it('finds a label, falling back to the key', () => {
    const list = [{ key: 'roll_back', label: 'Roll back' }];
    expect(labelIn(list, 'roll_back')).toBe('Roll back');
    expect(labelIn(list, 'other')).toBe('other');
    expect(labelIn(list, null)).toBe('');
  });
});

describe('debounce', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls once with the last arguments after the calls stop', () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    const d = debounce((s: string) => seen.push(s), 250);
    d('a');
    vi.advanceTimersByTime(100);
    d('ab');
    vi.advanceTimersByTime(249);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['ab']);
  });

  it('can be cancelled', () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    const d = debounce((s: string) => seen.push(s), 50);
    d('x');
    d.cancel();
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([]);
  });
});
