// The Investigation tab's logic: its filters as the core's StepFilter, a step in a few words, its texts made
// readable (pretty-printed JSON, control and direction characters shown as escapes) — always as text, never HTML.

import type { StepFilter } from './bindings/StepFilter';
import type { StepKind } from './bindings/TraceStepKind';
import type { Step } from './bindings/TraceStep';
import type { TraceImport } from './bindings/TraceImport';
import { plural } from './format';
import { parseTimeInput, toRfc3339Utc } from './time';

export interface StepFilters {
  /** A run of one import, as `runKey` gives it; empty for every run. */
  run: string;
  agent: string;
  tool: string;
  kind: StepKind | '';
  failedOnly: boolean;
  /** The time window as typed (wall time in the user's zone, or RFC 3339); empty for no bound. */
  from: string;
  to: string;
}

/** The time window as UTC instants, and why a bound was not understood (that bound is then not applied). */
export interface StepWindow {
  from: string | null;
  to: string | null;
  errors: { from?: string; to?: string };
}

export function stepWindow(f: StepFilters, zone: string): StepWindow {
  const w: StepWindow = { from: null, to: null, errors: {} };
  for (const bound of ['from', 'to'] as const) {
    const parsed = parseTimeInput(f[bound], zone);
    if (parsed.ok) w[bound] = parsed.utc;
    else w.errors[bound] = parsed.message;
  }
  if (w.from && w.to && Date.parse(w.from) > Date.parse(w.to)) {
    w.errors.to = 'The window ends before it starts.';
    w.to = null;
  }
  return w;
}

/** A day before `detectedAt` (RFC 3339), as the start of the window: what the agent did before anyone noticed. */
export function dayBefore(detectedAt: string): string {
  return toRfc3339Utc(Date.parse(detectedAt) - 24 * 3_600_000);
}

export function emptyStepFilters(): StepFilters {
  return { run: '', agent: '', tool: '', kind: '', failedOnly: false, from: '', to: '' };
}

/** Names one run of one import: two files may both have a run `line-1`. */
export function runKey(run: { import: string; source_id: string }): string {
  return JSON.stringify([run.import, run.source_id]);
}

export function toStepFilter(f: StepFilters, zone: string, offset: number, limit: number): StepFilter {
  const w = stepWindow(f, zone);
  const [importId, run] = f.run ? (JSON.parse(f.run) as [string, string]) : [null, null];
  return {
    import: importId,
    run,
    agent: f.agent || null,
    tool: f.tool || null,
    kind: f.kind || null,
    errors_only: f.failedOnly,
    from: w.from,
    to: w.to,
    offset,
    limit,
  };
}

/** Names the rows the filters ask for: the table starts again at the top when it changes (a window bound being
 *  typed changes it only once it reads as a time). */
export function stepFilterKey(f: StepFilters, zone: string): string {
  const w = stepWindow(f, zone);
  return JSON.stringify([f.run, f.agent, f.tool, f.kind, f.failedOnly, w.from, w.to]);
}

export function isStepFiltered(f: StepFilters): boolean {
  return JSON.stringify(f) !== JSON.stringify(emptyStepFilters());
}

// C0 and C1 controls other than tab and line feed, the characters that reorder text (bidi marks, overrides and
// isolates) and the invisible ones (zero-width space, soft hyphen, byte-order mark, line and paragraph separators,
// Unicode tags): a trace may carry them to make a listing say something else than what is stored. The core's
// `text::visible` escapes the same set for the CLI and the documents.
const HIDDEN =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\u{E0000}-\u{E007F}]/gu;

/** `text` with the characters that hide or reorder text shown as `\u{…}` escapes. */
export function visible(text: string): string {
  return text.replace(HIDDEN, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/** The text on one line: line breaks as ⏎, the rest as `visible`. */
export function oneLine(text: string): string {
  return visible(text.replace(/\r\n|\r|\n/g, ' ⏎ ').replace(/\t/g, ' '));
}

// An integer longer than this loses digits in a JavaScript number, so reformatting would change the evidence.
const LOSSY_NUMBER = /(?<![\w."])-?\d{16,}(?![\w."])/;

/** JSON text indented for reading, or null when the text is not JSON or reading it would change a number. JSON's
 *  own key order is kept (except that JavaScript puts integer-like keys first, which the original view shows). */
export function pretty(text: string): string | null {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return null;
  if (LOSSY_NUMBER.test(t)) return null;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return null;
  }
}

/** How much of one text the step's detail shows before it offers the rest: a trace may hold megabytes in one
 *  argument, and the page stays responsive. */
export const SHOWN_CHARS = 200_000;

/** A step's text as the detail shows it: formatted JSON unless `original` (a text beyond SHOWN_CHARS is never
 *  reformatted), control characters escaped, cut at SHOWN_CHARS unless `whole`; `hidden` counts what was cut. */
export function forDisplay(text: string, original: boolean, whole: boolean): { text: string; hidden: number } {
  const long = text.length > SHOWN_CHARS;
  const base = original || long ? text : (pretty(text) ?? text);
  if (whole || !long) return { text: visible(base), hidden: 0 };
  return { text: visible(base.slice(0, SHOWN_CHARS)), hidden: base.length - SHOWN_CHARS };
}

/** The step in a few words for its row: its error, else what went in or came out, else its name. */
export function stepSummary(step: Step, max = 160): string {
  const text = step.error ?? step.arguments ?? step.result ?? step.name ?? '';
  const flat = oneLine(text);
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : flat;
}

/** What an import read, in words. */
export function importSummary(i: TraceImport): string {
  const failed = i.failed_tool_calls > 0 ? `, ${i.failed_tool_calls} failed` : '';
  const skipped = i.skipped_total > 0 ? `; ${plural(i.skipped_total, 'line')} skipped` : '';
  return `${plural(i.runs, 'run')}, ${plural(i.steps, 'step')} (${plural(i.tool_calls, 'tool call')}${failed})${skipped}`;
}
