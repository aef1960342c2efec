// Regulatory clocks in plain words: countdowns, states, which clock is most urgent, and what each button needs
// before it asks the backend. The rules themselves (due times, states, missing content) come from core.

import type { Work } from './act';
import type { ClockState } from './bindings/ClockState';
import type { Incident } from './bindings/Incident';
import type { Notification } from './bindings/Notification';
import type { OpenClock } from './bindings/OpenClock';
import type { Person } from './bindings/Person';
import type { RegimeClocks } from './bindings/RegimeClocks';
import type { StageView } from './bindings/StageView';

/** What every form on a regime card shares: the regime and its incident, the user's zone, who may be named, and the
 *  card's one action state (the card shows its notice and its error line at the top). */
export interface RegimeForm {
  regime: RegimeClocks;
  incident: Incident;
  zone: string;
  people: Person[];
  me: string;
  errors: Record<string, string>;
  busy: boolean;
  onact: (work: Work) => void;
  onrefuse: (field: string, message: string) => void;
  onpersonadded: (p: Person) => void;
}

export const STATE_LABELS: Record<ClockState, string> = {
  waiting: 'Not started',
  running: 'Without undue delay',
  upcoming: 'Upcoming',
  due_24h: 'Due within 24 h',
  due_4h: 'Due within 4 h',
  overdue: 'Overdue',
  submitted_on_time: 'Submitted on time',
  submitted_late: 'Submitted late',
  submitted: 'Submitted',
};

/** The state at `nowMs` of a running clock with a due time; core's state for everything else. Keeps a countdown
 * and its badge in step between two refreshes. */
export function liveState(state: ClockState, due: string | null, nowMs: number): ClockState {
  if (due === null || !['upcoming', 'due_24h', 'due_4h', 'overdue'].includes(state)) return state;
  const left = Date.parse(due) - nowMs;
  if (left < 0) return 'overdue';
  if (left <= 4 * 3_600_000) return 'due_4h';
  if (left <= 24 * 3_600_000) return 'due_24h';
  return 'upcoming';
}

function span(ms: number, seconds: boolean): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = seconds ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${h} h ${pad(m)} min`;
  if (d > 0) return seconds ? `${d} d ${clock}` : `${d} d ${h} h`;
  return clock;
}

/** "2 d 03:04:05 left", "overdue by 00:10:00", or elapsed time for a clock without a fixed length. */
export function countdown(due: string | null, nowMs: number, seconds = true): string {
  if (due === null) return '';
  const left = Date.parse(due) - nowMs;
  if (Number.isNaN(left)) return '';
  return left >= 0 ? `${span(left, seconds)} left` : `overdue by ${span(left, seconds)}`;
}

export function elapsed(since: string | null, nowMs: number): string {
  if (since === null) return '';
  const ms = nowMs - Date.parse(since);
  return Number.isNaN(ms) ? '' : `${span(Math.max(ms, 0), false)} since the trigger`;
}

/** Regimes in the order a reviewer works through them: those that apply or are suggested, then undecided, then
 * those recorded as not applying. */
export function regimeGroups(regimes: readonly RegimeClocks[]): {
  running: RegimeClocks[];
  notApplicable: RegimeClocks[];
  other: RegimeClocks[];
} {
  const running = regimes.filter((r) => r.applicable);
  const notApplicable = regimes.filter((r) => r.decision?.decision === 'not_applicable');
  const other = regimes.filter((r) => !r.applicable && r.decision?.decision !== 'not_applicable');
  return { running, notApplicable, other };
}

/** The decision badge: "Applies (Lena Vogel)", "Suggested: confirm", "Does not apply", "Not suggested". */
export function decisionLabel(r: RegimeClocks): string {
  const d = r.decision?.decision;
  if (d === 'applies') return `Applies${r.decision?.decided_by ? `, confirmed by ${r.decision.decided_by}` : ''}`;
  if (d === 'not_applicable') return 'Does not apply';
  return r.suggestion.suggested ? 'Suggested: confirm or record why not' : 'Not suggested';
}

/** The GDPR Art. 33 regime when its clock runs for this incident (the incident header shows it). */
export function gdprClock(regimes: readonly RegimeClocks[]): { regime: RegimeClocks; stage: StageView } | null {
  const r = regimes.find((x) => x.regime === 'gdpr-art33' && x.applicable);
  const stage = r?.stages[0];
  return r && stage ? { regime: r, stage } : null;
}

/** Each incident's most urgent open clock (the list comes sorted by due time). */
export function mostUrgentByIncident(clocks: readonly OpenClock[]): Map<string, OpenClock> {
  const out = new Map<string, OpenClock>();
  for (const c of clocks) if (!out.has(c.incident)) out.set(c.incident, c);
  return out;
}

/** The notification a stage's editor opens: the open one (draft or approved), else the latest submitted. */
export function currentNotification(stage: StageView): Notification | null {
  const open = stage.notifications.filter((n) => n.status !== 'submitted');
  if (open.length > 0) return open[open.length - 1] ?? null;
  return stage.notifications[stage.notifications.length - 1] ?? null;
}

/** The label of a stage's draft button. */
export function draftLabel(stage: StageView): string {
  const open = stage.notifications.some((n) => n.status !== 'submitted');
  if (open) return 'Open the draft';
  return stage.submitted_at ? 'Draft a supplement' : 'Draft the notification';
}

/** The title of a notification: "notification" or "notification — supplement 1". */
export function notificationTitle(n: Notification): string {
  return n.sequence > 1 ? `${n.stage}, supplement ${n.sequence - 1}` : n.stage;
}

/** Required items still empty in the editor (labels), so the reviewer sees them before asking for approval. */
export function missingItems(stage: StageView, content: Record<string, string>): string[] {
  return stage.content.filter((i) => i.required && (content[i.key] ?? '').trim() === '').map((i) => i.label);
}

/** Whether the first notification of a stage is past its due time at `nowMs` (reasons for the delay needed). */
export function isLate(stage: StageView, n: Notification, nowMs: number): boolean {
  if (n.sequence > 1 || stage.due === null) return false;
  const at = n.submitted_at ? Date.parse(n.submitted_at) : nowMs;
  return at > Date.parse(stage.due);
}

/** Why "Approve" is not possible now, or null. */
export function approveRefusal(n: Notification, unsaved: boolean): string | null {
  if (n.status === 'submitted') return 'Submitted: what was submitted is kept as it is.';
  if (n.status === 'approved') return `Approved by ${n.approved_by ?? 'a named person'}.`;
  if (unsaved) return 'Save your changes first: the approval is for the content as saved.';
  return null;
}

/** Why "Record submission" is not possible now, or null. */
export function submitRefusal(n: Notification): string | null {
  if (n.status === 'submitted') return 'Already submitted.';
  if (n.status !== 'approved') return 'A named person must approve it before it is submitted.';
  return null;
}

/** Human words for a trigger kind: "awareness", "classification as major"… */
export function triggerLabel(kind: string): string {
  const words: Record<string, string> = {
    awareness: 'Awareness',
    classification: 'Classification as major',
    materiality: 'Materiality determination',
    discovery: 'Discovery',
    determination: 'Determination that an incident occurred',
    assessment: 'Assessment that the breach is notifiable',
    suspicion: 'Suspicion of an eligible breach',
    belief: 'Reasonable grounds to believe',
    knowledge: 'Knowledge that personal data were affected',
    noticed: 'Noticed',
    high_risk: 'High risk to individuals established',
  };
  return words[kind] ?? kind.replace(/_/g, ' ');
}
