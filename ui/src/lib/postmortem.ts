// Postmortem form logic: the impact numbers as typed, the five whys, the timeline grouped by day, due dates.

import type { ControlType } from './bindings/ControlType';
import type { Postmortem } from './bindings/Postmortem';
import type { RemediationItem } from './bindings/RemediationItem';
import type { RemediationStatus } from './bindings/RemediationStatus';
import type { RemediationUpdate } from './bindings/RemediationUpdate';
import type { TimelineEvent } from './bindings/TimelineEvent';
import { utcToWallText, zoneAbbreviation } from './time';

export const IMPACT_FIELDS = [
  { key: 'impact_records', label: 'Records affected', whole: true, unit: 'records' },
  { key: 'impact_users', label: 'Users affected', whole: true, unit: 'users' },
  { key: 'impact_customers', label: 'Customers affected', whole: true, unit: 'customers' },
  { key: 'impact_money', label: 'Money lost or at risk', whole: false, unit: 'in your currency' },
  { key: 'impact_hours', label: 'People-hours spent', whole: false, unit: 'hours' },
] as const;

export type ImpactKey = (typeof IMPACT_FIELDS)[number]['key'];
export const MAX_WHYS = 5;

export type NumberParse = { ok: true; value: number | null } | { ok: false; message: string };

/**
 * Reads a typed impact figure: empty means "not known"; spaces and underscores between digits are ignored
 * ("12 000"); a decimal point is allowed unless `whole`. Commas are refused because they are ambiguous.
 */
export function parseImpact(text: string, label: string, whole: boolean): NumberParse {
  const t = text.trim().replace(/[ _\u00a0\u202f]/g, '');
  if (t === '') return { ok: true, value: null };
  if (t.includes(',')) {
    return { ok: false, message: `${label}: write the number without commas, e.g. 12000${whole ? '' : ' or 1200.50'}.` };
  }
  if (t.startsWith('-')) return { ok: false, message: `${label} cannot be negative.` };
  if (!/^\d+(\.\d+)?$/.test(t)) return { ok: false, message: `${label}: "${text.trim()}" is not a number.` };
  const value = Number(t);
  if (!Number.isFinite(value)) return { ok: false, message: `${label}: the number is too large.` };
  if (whole && !Number.isInteger(value)) return { ok: false, message: `${label} is a count: write a whole number.` };
  if (whole && !Number.isSafeInteger(value)) return { ok: false, message: `${label}: the number is too large.` };
  return { ok: true, value };
}

/** A stored figure as the text of its input. */
export function impactText(value: number | null): string {
  return value === null ? '' : String(value);
}

/** Five inputs for the whys: the stored ones, then blanks. */
export function whyInputs(whys: readonly string[]): string[] {
  const out = whys.slice(0, MAX_WHYS).map((w) => w);
  while (out.length < MAX_WHYS) out.push('');
  return out;
}

/** The whys to store: trimmed, blanks dropped, order kept, at most five. */
export function trimWhys(inputs: readonly string[]): string[] {
  return inputs
    .map((w) => w.trim())
    .filter((w) => w !== '')
    .slice(0, MAX_WHYS);
}

/** Adds or removes `key` in a list of keys, keeping the list's order. */
export function toggled<T extends string>(list: readonly T[], key: T, on: boolean): T[] {
  const without = list.filter((k) => k !== key);
  return on ? [...without, key] : without;
}

export interface PostmortemForm {
  summary: string;
  impact: Record<ImpactKey, string>;
  detection_gap: string;
  control_gap: string;
  root_cause: string;
  root_cause_layers: Postmortem['root_cause_layers'];
  contributing_factors: Postmortem['contributing_factors'];
  what_worked: string;
  what_failed: string;
  whys: string[];
}

export function formOf(p: Postmortem): PostmortemForm {
  return {
    summary: p.summary,
    impact: {
      impact_records: impactText(p.impact_records),
      impact_users: impactText(p.impact_users),
      impact_customers: impactText(p.impact_customers),
      impact_money: impactText(p.impact_money),
      impact_hours: impactText(p.impact_hours),
    },
    detection_gap: p.detection_gap,
    control_gap: p.control_gap,
    root_cause: p.root_cause,
    root_cause_layers: [...p.root_cause_layers],
    contributing_factors: [...p.contributing_factors],
    what_worked: p.what_worked,
    what_failed: p.what_failed,
    whys: whyInputs(p.five_whys),
  };
}

export type FormResult = { ok: true; postmortem: Postmortem } | { ok: false; errors: Record<string, string> };

/** The postmortem to save from the form (on top of `base`), or the errors by field. */
export function postmortemOf(base: Postmortem, form: PostmortemForm, completed: boolean): FormResult {
  const errors: Record<string, string> = {};
  const numbers = {} as Record<ImpactKey, number | null>;
  for (const f of IMPACT_FIELDS) {
    const r = parseImpact(form.impact[f.key], f.label, f.whole);
    if (r.ok) numbers[f.key] = r.value;
    else errors[f.key] = r.message;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    postmortem: {
      ...base,
      summary: form.summary.trim(),
      ...numbers,
      detection_gap: form.detection_gap.trim(),
      control_gap: form.control_gap.trim(),
      root_cause: form.root_cause.trim(),
      root_cause_layers: [...form.root_cause_layers],
      contributing_factors: [...form.contributing_factors],
      what_worked: form.what_worked.trim(),
      what_failed: form.what_failed.trim(),
      five_whys: trimWhys(form.whys),
      completed,
    },
  };
}

/** Whether the form differs from what is stored (so "Save" has something to do). */
export function formChanged(stored: Postmortem, form: PostmortemForm): boolean {
  const r = postmortemOf(stored, form, stored.completed);
  if (!r.ok) return true;
  return JSON.stringify(r.postmortem) !== JSON.stringify(stored);
}

export interface TimelineRow {
  time: string;
  kind: string;
  kindLabel: string;
  text: string;
  manual: boolean;
}

export interface TimelineDay {
  day: string;
  rows: TimelineRow[];
}

/**
 * The timeline in time order (events at the same instant keep their order), grouped by day in the user's zone;
 * each row shows its wall time and zone abbreviation.
 */
export function timelineDays(
  events: readonly TimelineEvent[],
  zone: string,
  kindLabels: ReadonlyMap<string, string>,
): TimelineDay[] {
  const sorted = events
    .map((e, i) => ({ e, i, ms: Date.parse(e.at) }))
    .sort((a, b) => a.ms - b.ms || a.i - b.i);
  const days: TimelineDay[] = [];
  for (const { e, ms } of sorted) {
    const wall = utcToWallText(e.at, zone);
    const [day, clock] = wall.split(' ');
    const row: TimelineRow = {
      time: Number.isNaN(ms) ? wall : `${clock} ${zoneAbbreviation(ms, zone)}`,
      kind: e.kind,
      kindLabel: kindLabels.get(e.kind) ?? e.kind,
      text: e.text,
      manual: e.kind === 'manual',
    };
    const last = days[days.length - 1];
    if (last && last.day === day) last.rows.push(row);
    else days.push({ day, rows: [row] });
  }
  return days;
}

export type DateParse = { ok: true; value: string | null } | { ok: false; message: string };

/** A due date typed as YYYY-MM-DD (empty: none). */
export function parseDueDate(text: string): DateParse {
  const t = text.trim();
  if (t === '') return { ok: true, value: null };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (!m) return { ok: false, message: 'Write the due date as YYYY-MM-DD, e.g. 2026-12-31.' };
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return { ok: false, message: `${t} is not a real date.` };
  }
  return { ok: true, value: t };
}

export interface NewRemediation {
  control: ControlType | '';
  description: string;
  owner: string;
  due: string;
}

export function blankRemediation(): NewRemediation {
  return { control: '', description: '', owner: '', due: '' };
}

/** What a new remediation item still lacks, by field (empty: it can be added). */
export function remediationProblems(item: NewRemediation): Record<string, string> {
  const errors: Record<string, string> = {};
  const due = parseDueDate(item.due);
  if (item.control === '') errors.control_type = 'Pick the kind of control this fix adds.';
  if (item.description.trim() === '') errors.description = 'Describe the fix.';
  if (item.owner.trim() === '') errors.owner = 'Name the owner of this fix.';
  if (!due.ok) errors.due_date = due.message;
  return errors;
}

export interface RemediationEdit {
  description: string;
  owner: string;
  due: string;
  status: RemediationStatus;
}

export function editOf(item: RemediationItem): RemediationEdit {
  return { description: item.description, owner: item.owner, due: item.due_date ?? '', status: item.status };
}

/** The update to send: only what the edit changed (null: keep), so an edit never overwrites another's change. */
export function remediationUpdate(item: RemediationItem, edit: RemediationEdit, due: string | null): RemediationUpdate {
  return {
    status: edit.status !== item.status ? edit.status : null,
    owner: edit.owner.trim() !== item.owner ? edit.owner : null,
    due_date: due !== item.due_date ? due : null,
    description: edit.description.trim() !== item.description ? edit.description : null,
  };
}
