import { describe, expect, it } from 'vitest';
import {
  formatInstant,
  nowWallText,
  parseTimeInput,
  requireTime,
  sameInstant,
  utcToWallText,
  wallTimeToUtc,
  zoneOffsetMs,
} from './time';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const w = (year: number, month: number, day: number, hour: number, minute: number) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
});

describe('zone offsets', () => {
  it('knows Berlin winter and summer offsets', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
  });
});

describe('wall time to UTC across DST (Europe/Berlin, 2026-03-29)', () => {
  const Z = 'Europe/Berlin';
  it('before the change uses CET (+01:00)', () => {
    const r = wallTimeToUtc(w(2026, 3, 29, 1, 30), Z);
    expect(iso(r.utcMs)).toBe('2026-03-29T00:30:00Z');
    expect(r.skipped).toBe(false);
    expect(r.ambiguous).toBe(false);
  });
  it('after the change uses CEST (+02:00)', () => {
    expect(iso(wallTimeToUtc(w(2026, 3, 29, 3, 30), Z).utcMs)).toBe('2026-03-29T01:30:00Z');
  });
  it('a time in the skipped hour is moved forward and flagged', () => {
    const r = wallTimeToUtc(w(2026, 3, 29, 2, 30), Z);
    expect(r.skipped).toBe(true);
    expect(iso(r.utcMs)).toBe('2026-03-29T01:30:00Z');
    expect(utcToWallText(iso(r.utcMs), Z)).toBe('2026-03-29 03:30');
  });
});

describe('wall time to UTC across DST (America/New_York, 2026-11-01)', () => {
  const Z = 'America/New_York';
  it('before the change uses EDT (-04:00)', () => {
    expect(iso(wallTimeToUtc(w(2026, 11, 1, 0, 30), Z).utcMs)).toBe('2026-11-01T04:30:00Z');
  });
  it('the repeated hour takes the first occurrence and is flagged', () => {
    const r = wallTimeToUtc(w(2026, 11, 1, 1, 30), Z);
    expect(r.ambiguous).toBe(true);
    expect(iso(r.utcMs)).toBe('2026-11-01T05:30:00Z');
  });
  it('after the change uses EST (-05:00)', () => {
    expect(iso(wallTimeToUtc(w(2026, 11, 1, 2, 30), Z).utcMs)).toBe('2026-11-01T07:30:00Z');
  });
  it('shows both occurrences of 01:30 as the same wall time', () => {
    expect(utcToWallText('2026-11-01T05:30:00Z', Z)).toBe('2026-11-01 01:30');
    expect(utcToWallText('2026-11-01T06:30:00Z', Z)).toBe('2026-11-01 01:30');
  });
});

describe('round trip', () => {
  it('UTC → wall text → UTC is the identity every 30 minutes across both DST days', () => {
    for (const [zone, day] of [
      ['Europe/Berlin', '2026-03-29'],
      ['Europe/Berlin', '2026-10-25'],
      ['America/New_York', '2026-03-08'],
      ['Asia/Kolkata', '2026-06-01'],
    ] as const) {
      const start = Date.parse(`${day}T00:00:00Z`) - 12 * 3_600_000;
      for (let t = start; t < start + 48 * 3_600_000; t += 30 * 60_000) {
        const text = utcToWallText(iso(t), zone);
        const back = parseTimeInput(text, zone);
        if (!back.ok || back.utc === null) throw new Error(`no parse for ${text}`);
        const ambiguous = back.note !== undefined;
        // A repeated wall time maps back to its first occurrence, one hour earlier at most.
        if (ambiguous) expect(t - Date.parse(back.utc)).toBeLessThanOrEqual(3_600_000);
        else expect(back.utc).toBe(iso(t));
      }
    }
  });
});

describe('parseTimeInput', () => {
  it('reads wall-clock text in the given zone', () => {
    expect(parseTimeInput('2026-01-10 09:05', 'Europe/Berlin')).toEqual({ ok: true, utc: '2026-01-10T08:05:00Z' });
    expect(parseTimeInput('2026-01-10T09:05', 'America/New_York')).toEqual({
      ok: true,
      utc: '2026-01-10T14:05:00Z',
    });
  });
  it('reads full RFC 3339 text regardless of zone', () => {
    expect(parseTimeInput('2026-03-29T03:30:00+02:00', 'America/New_York')).toEqual({
      ok: true,
      utc: '2026-03-29T01:30:00Z',
    });
    expect(parseTimeInput('2026-03-29T01:30:00Z', 'Asia/Tokyo')).toEqual({ ok: true, utc: '2026-03-29T01:30:00Z' });
  });
  it('empty means no time', () => {
    expect(parseTimeInput('   ', 'Europe/Berlin')).toEqual({ ok: true, utc: null });
  });
  it('rejects malformed and impossible times', () => {
    for (const bad of ['29/03/2026 10:00', 'yesterday', '2026-02-30 10:00', '2026-03-29 25:00', '2026-13-01 10:00']) {
      expect(parseTimeInput(bad, 'Europe/Berlin').ok).toBe(false);
    }
  });
  it('explains a skipped wall time', () => {
    const r = parseTimeInput('2026-03-29 02:30', 'Europe/Berlin');
    expect(r.ok && r.note).toContain('does not exist');
  });
});

describe('display helpers', () => {
  it('formats an instant in the zone with its abbreviation', () => {
    expect(formatInstant('2026-07-01T12:00:00Z', 'America/New_York')).toBe('2026-07-01 08:00 EDT');
    expect(formatInstant('2026-01-01T12:00:00Z', 'America/New_York')).toBe('2026-01-01 07:00 EST');
    expect(formatInstant(null, 'UTC')).toBe('');
  });
  it('keeps non-zero seconds so a loaded value round-trips', () => {
    expect(utcToWallText('2026-01-01T12:00:07Z', 'UTC')).toBe('2026-01-01 12:00:07');
  });
  it('Now gives the current wall time', () => {
    expect(nowWallText('Europe/Berlin', Date.parse('2026-07-01T10:15:30Z'))).toBe('2026-07-01 12:15');
  });
  it('compares instants, not text', () => {
    expect(sameInstant('2026-01-01T12:00:00Z', '2026-01-01T13:00:00+01:00')).toBe(true);
    expect(sameInstant('2026-01-01T12:00:00Z', null)).toBe(false);
    expect(sameInstant(null, null)).toBe(true);
  });
});

describe('zone abbreviations', () => {
  it('prefers letter abbreviations and falls back to the offset', () => {
    expect(formatInstant('2026-01-15T12:00:00Z', 'Europe/Berlin')).toBe('2026-01-15 13:00 CET');
    expect(formatInstant('2026-07-15T12:00:00Z', 'Europe/London')).toBe('2026-07-15 13:00 BST');
    expect(formatInstant('2026-07-15T12:00:00Z', 'Asia/Kolkata')).toBe('2026-07-15 17:30 GMT+5:30');
  });
});

describe('requireTime', () => {
  it('refuses an empty field with the message given, and a bad one with the parser’s', () => {
    expect(requireTime('  ', 'UTC', 'Enter when it happened.')).toEqual({ ok: false, message: 'Enter when it happened.' });
    const bad = requireTime('yesterday', 'UTC', 'Enter when it happened.');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toContain('YYYY-MM-DD HH:MM');
  });

  it('gives the UTC instant of a filled field', () => {
    expect(requireTime('2026-03-29 14:05', 'Europe/Berlin', 'x')).toEqual({ ok: true, utc: '2026-03-29T12:05:00Z' });
  });
});
