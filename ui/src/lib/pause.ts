// The pause screen's logic: the record form (validated before it is sent), prefilling it from a suggestion, and
// how a pause reads in the list.

import type { PauseAction } from './bindings/PauseAction';
import type { PauseScope } from './bindings/PauseScope';
import type { PauseSuggestion } from './bindings/PauseSuggestion';
import { formatInstant, parseTimeInput } from './time';

export interface PauseForm {
  scope: PauseScope | '';
  target: string;
  approvedBy: string;
  /** Wall time in the user's zone; empty means "now". */
  at: string;
}

export const emptyPauseForm = (): PauseForm => ({ scope: '', target: '', approvedBy: '', at: '' });

/** A suggestion copied into the form; who approved and when stay as they were. */
export function formFromSuggestion(s: PauseSuggestion, current: PauseForm): PauseForm {
  return { ...current, scope: s.scope, target: s.target };
}

export type Checked<T> = { ok: true; value: T; note?: string } | { ok: false; errors: Record<string, string> };

export interface PauseArgs {
  scope: PauseScope;
  target: string;
  approvedBy: string;
  pausedAt: string | null;
}

/** The form checked as core will check it; field keys match core's error fields (scope, target, approved_by, paused_at). */
export function checkPauseForm(form: PauseForm, zone: string, nowMs: number = Date.now()): Checked<PauseArgs> {
  const errors: Record<string, string> = {};
  if (form.scope === '') errors.scope = 'Choose what kind of thing is paused.';
  if (form.target.trim() === '') errors.target = 'Say what exactly is paused, e.g. "refund-sender tool".';
  if (form.approvedBy.trim() === '') errors.approved_by = 'Name the person who approved the pause.';
  const at = checkTime(form.at, zone, nowMs, 'Pause time');
  if (!at.ok) errors.paused_at = at.message;
  if (Object.keys(errors).length > 0 || form.scope === '' || !at.ok) return { ok: false, errors };
  return {
    ok: true,
    value: { scope: form.scope, target: form.target.trim(), approvedBy: form.approvedBy.trim(), pausedAt: at.utc },
    ...(at.note ? { note: at.note } : {}),
  };
}

export interface LiftArgs {
  liftedBy: string;
  liftedAt: string | null;
}

/** The lift form: who lifted it, and when (empty = now; not in the future, not before the pause began). */
export function checkLiftForm(
  p: PauseAction,
  by: string,
  at: string,
  zone: string,
  nowMs: number = Date.now(),
): Checked<LiftArgs> {
  const errors: Record<string, string> = {};
  if (by.trim() === '') errors.lifted_by = 'Name the person who lifted the pause.';
  const t = checkTime(at, zone, nowMs, 'Lift time');
  if (!t.ok) errors.lifted_at = t.message;
  else if (t.utc !== null && Date.parse(t.utc) < Date.parse(p.paused_at)) {
    errors.lifted_at = `Lift time is before the pause began (${formatInstant(p.paused_at, zone)}).`;
  }
  if (Object.keys(errors).length > 0 || !t.ok) return { ok: false, errors };
  return { ok: true, value: { liftedBy: by.trim(), liftedAt: t.utc } };
}

type TimeCheck = { ok: true; utc: string | null; note?: string } | { ok: false; message: string };

function checkTime(text: string, zone: string, nowMs: number, label: string): TimeCheck {
  const parsed = parseTimeInput(text, zone);
  if (!parsed.ok) return parsed;
  // A minute of slack: "Now" fills the current minute, and clocks differ a little.
  if (parsed.utc !== null && Date.parse(parsed.utc) > nowMs + 60_000) {
    return { ok: false, message: `${label} is in the future. Enter when it actually happened.` };
  }
  return parsed;
}

/** Whether a pause in force already matches the suggestion (same scope and target). */
export function suggestionInForce(s: PauseSuggestion, pauses: readonly PauseAction[]): boolean {
  return pauses.some((p) => p.lifted_at === null && p.scope === s.scope && p.target.trim() === s.target.trim());
}

/** Whether the pause is still in force. */
export const isActive = (p: PauseAction): boolean => p.lifted_at === null;

/** "Active" or "Lifted by Ana at 2026-01-01 10:00 CET". */
export function pauseStatusText(p: PauseAction, zone: string): string {
  if (isActive(p)) return 'Active';
  return `Lifted by ${p.lifted_by ?? 'someone'} at ${formatInstant(p.lifted_at, zone)}`;
}

/** Active pauses first (newest first), then lifted ones (newest first). */
export function orderPauses(pauses: readonly PauseAction[]): PauseAction[] {
  return [...pauses].sort(
    (a, b) => Number(isActive(b)) - Number(isActive(a)) || Date.parse(b.paused_at) - Date.parse(a.paused_at),
  );
}

/** The scope's label from the choice list, or its key. */
export function scopeLabel(scopes: readonly { key: string; label: string }[], key: string): string {
  return scopes.find((s) => s.key === key)?.label ?? key;
}
