// Wall-clock time in an IANA zone <-> UTC instants, using only Intl.DateTimeFormat (no time-zone library).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone name. */
export function isValidZone(zone: string): boolean {
  try {
    partsFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading in `zone` at the UTC instant `utcMs`. */
export function wallTimeAt(utcMs: number, zone: string): WallTime {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(zone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: (out.hour ?? 0) % 24, // some engines print midnight as 24
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

function wallAsUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The zone's offset from UTC (in ms, east positive) at the instant `utcMs`. */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  return wallAsUtcMs(wallTimeAt(whole, zone)) - whole;
}

export interface Resolved {
  utcMs: number;
  /** The wall time does not exist (clocks jumped forward); it was moved forward by the gap. */
  skipped: boolean;
  /** The wall time happened twice (clocks went back); the first occurrence was taken. */
  ambiguous: boolean;
}

/** The UTC instant at which clocks in `zone` showed `w`. Correct across DST changes. */
export function wallTimeToUtc(w: WallTime, zone: string): Resolved {
  const local = wallAsUtcMs(w);
  const before = zoneOffsetMs(local - DAY, zone);
  const after = zoneOffsetMs(local + DAY, zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => local - offset)
    .filter((t) => wallAsUtcMs(wallTimeAt(t, zone)) === local)
    .sort((a, b) => a - b);
  if (candidates.length > 0) {
    return { utcMs: candidates[0], skipped: false, ambiguous: candidates.length > 1 };
  }
  // In a gap: read the wall time with the offset in force before the jump, which lands after it.
  return { utcMs: local - before, skipped: true, ambiguous: false };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** RFC 3339 UTC text for an instant, whole seconds: `2026-03-29T01:30:00Z`. */
export function toRfc3339Utc(utcMs: number): string {
  const d = new Date(utcMs);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`
  );
}

/** Wall-clock text `YYYY-MM-DD HH:MM` (with `:SS` only if the seconds are not zero) in `zone`. */
export function utcToWallText(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const w = wallTimeAt(ms, zone);
  const base = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
  return w.second !== 0 ? `${base}:${pad(w.second)}` : base;
}

function shortZoneName(utcMs: number, zone: string, locale: string): string | undefined {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(new Date(utcMs))
    .find((p) => p.type === 'timeZoneName')?.value;
}

/**
 * The zone's short name at that instant: a letter abbreviation where one is known (`CET`, `CEST`, `EDT`, `BST`),
 * else the offset (`GMT+5:30`). en-US knows the American abbreviations, en-GB the European ones.
 */
export function zoneAbbreviation(utcMs: number, zone: string): string {
  try {
    const us = shortZoneName(utcMs, zone, 'en-US') ?? zone;
    if (!/^GMT[+-]/.test(us)) return us;
    const gb = shortZoneName(utcMs, zone, 'en-GB');
    return gb !== undefined && /^[A-Z]{2,5}$/.test(gb) ? gb : us;
  } catch {
    return zone;
  }
}

/** An instant for display: `2026-03-29 03:30 GMT+2`. Empty text for null; the raw text if unparseable. */
export function formatInstant(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${utcToWallText(iso, zone)} ${zoneAbbreviation(ms, zone)}`;
}

export type ParsedTime = { ok: true; utc: string | null; note?: string } | { ok: false; message: string };

const WALL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validWall(w: WallTime): boolean {
  return (
    w.month >= 1 &&
    w.month <= 12 &&
    w.day >= 1 &&
    w.day <= daysInMonth(w.year, w.month) &&
    w.hour >= 0 &&
    w.hour <= 23 &&
    w.minute >= 0 &&
    w.minute <= 59 &&
    w.second >= 0 &&
    w.second <= 59
  );
}

/**
 * Reads what a person typed into a time field: `YYYY-MM-DD HH:MM` as wall-clock time in `zone`, or a full
 * RFC 3339 instant with `Z` or an offset. Empty text means "no time". Returns UTC RFC 3339 text.
 */
export function parseTimeInput(text: string, zone: string): ParsedTime {
  const t = text.trim();
  if (t === '') return { ok: true, utc: null };
  const full = RFC3339.exec(t);
  if (full) {
    const w: WallTime = {
      year: +full[1],
      month: +full[2],
      day: +full[3],
      hour: +full[4],
      minute: +full[5],
      second: +full[6],
    };
    const ms = Date.parse(t.replace(' ', 'T').toUpperCase());
    if (!validWall(w) || Number.isNaN(ms)) return { ok: false, message: `"${t}" is not a real date and time.` };
    return { ok: true, utc: toRfc3339Utc(ms) };
  }
  const m = WALL.exec(t);
  if (!m) {
    return { ok: false, message: 'Enter the time as YYYY-MM-DD HH:MM, for example 2026-03-29 14:05.' };
  }
  const w: WallTime = { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: m[6] ? +m[6] : 0 };
  if (!validWall(w)) return { ok: false, message: `"${t}" is not a real date and time.` };
  const r = wallTimeToUtc(w, zone);
  const note = r.skipped
    ? `${t} does not exist in ${zone} (the clocks jumped forward); saved as ${utcToWallText(toRfc3339Utc(r.utcMs), zone)}.`
    : r.ambiguous
      ? `${t} happened twice in ${zone} (the clocks went back); the first one was used.`
      : undefined;
  return note ? { ok: true, utc: toRfc3339Utc(r.utcMs), note } : { ok: true, utc: toRfc3339Utc(r.utcMs) };
}

export type RequiredTime = { ok: true; utc: string } | { ok: false; message: string };

/** A time field that must be filled: `parseTimeInput`, with `missing` as the refusal when it is empty. */
export function requireTime(text: string, zone: string, missing: string): RequiredTime {
  const parsed = parseTimeInput(text, zone);
  if (!parsed.ok) return parsed;
  if (parsed.utc === null) return { ok: false, message: missing };
  return { ok: true, utc: parsed.utc };
}

/** The current time as wall-clock text in `zone`, to fill a field with "Now". */
export function nowWallText(zone: string, nowMs: number = Date.now()): string {
  const w = wallTimeAt(nowMs, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** Whether two RFC 3339 texts (or nulls) name the same instant. */
export function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const x = Date.parse(a);
  const y = Date.parse(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return a === b;
  return x === y;
}
