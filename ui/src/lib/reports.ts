// The Reports dialog and "Check a report…" in plain logic: default file names (and keeping a name the user chose),
// what each generation step means for the progress bar, which regulator notifications can be printed, the breach
// register's default period, the request sent to core, and a document check in words. The documents themselves are
// written by core.

import type { Choice } from './bindings/Choice';
import type { Classification } from './bindings/Classification';
import type { DocumentCheck } from './bindings/DocumentCheck';
import type { DocumentKind } from './bindings/DocumentKind';
import type { NotificationStatus } from './bindings/NotificationStatus';
import type { RegimeClocks } from './bindings/RegimeClocks';
import type { ReportRequest } from './bindings/ReportRequest';
import type { ReportStep } from './bindings/ReportStep';
import { labelIn, plural } from './format';
import { currentNotification } from './notification';
import { formatInstant, wallTimeAt } from './time';

/** The documents about one incident, in the order the Reports dialog offers them. */
export const INCIDENT_KINDS: readonly DocumentKind[] = ['full', 'summary', 'notification', 'postmortem'];

/** One line under each document's name: what it holds and who it is for. */
export const KIND_HINTS: Record<DocumentKind, string> = {
  full: 'Every part of the record, phase by phase, with the timeline and the audit trail’s integrity.',
  summary: 'Exactly one page: the incident at a glance, for executives and briefings.',
  notification: 'One regime’s notification as drafted, approved or submitted, with its checklist and clock.',
  postmortem: 'Landscape pages for the review meeting: timeline, impact, five whys, root causes, remediation.',
  register: 'Every incident involving personal data in the period, with each rule’s decision and reasoning.',
};

/** What "External copy" does, in one line. */
export const EXTERNAL_HINT =
  'For a recipient outside the organisation: people are named by their roles, emails and phone numbers are ' +
  'removed, and affected object IDs are replaced by pseudonyms.';

// ---- File names -------------------------------------------------------------------------------------------------

export interface NameParts {
  kind: DocumentKind;
  /** The incident's human ID; null for the breach register. */
  incident: string | null;
  external: boolean;
  regime?: string | null;
  stage?: string | null;
  from?: string | null;
  to?: string | null;
}

/** Keeps a piece of a file name to letters, digits, dots and dashes (an ID or a regime key stays as it is). */
function safe(part: string): string {
  return part.trim().replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** The suggested file name: `AI-INC-…-full.pdf`, `AI-INC-…-notification-gdpr-art33-notification.pdf` (one file per
 *  regime and stage, so printing another regime does not replace the first), `breach-register-<from>-<to>.pdf`;
 *  external copies end in `-external`. */
export function defaultFileName(p: NameParts): string {
  let base: string;
  if (p.kind === 'register') {
    base = ['breach-register', p.from, p.to].filter((x): x is string => !!x && x.trim() !== '').map(safe).join('-');
  } else {
    const parts = [p.incident ?? 'incident', p.kind];
    if (p.kind === 'notification' && p.regime && p.stage) parts.push(p.regime, p.stage);
    base = parts.map(safe).join('-');
  }
  return `${base}${p.external ? '-external' : ''}.pdf`;
}

/** The folder and the file name of a path ('/' or '\' separated). */
export function splitPath(path: string): { folder: string; name: string } {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at < 0 ? { folder: '', name: path } : { folder: path.slice(0, at + 1), name: path.slice(at + 1) };
}

/** `name` in `folder`, with the folder's own separator. */
export function joinPath(folder: string, name: string): string {
  if (folder === '') return name;
  if (/[\\/]$/.test(folder)) return folder + name;
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder}${sep}${name}`;
}

/**
 * The File field after the options changed, from what it holds (`current`) and the suggestions before and after
 * the change: untouched, it follows the suggestion; moved to another folder with the suggested name kept, the new
 * name goes into that folder; a name the user typed stays as it is.
 */
export function followSuggestion(current: string, previous: string, next: string): string {
  if (current === previous || current.trim() === '') return next;
  const here = splitPath(current);
  if (here.name === splitPath(previous).name) return here.folder + splitPath(next).name;
  return current;
}

// ---- Progress -------------------------------------------------------------------------------------------------

/** How long a generation runs before the progress bar appears (shorter ones just finish). */
export const PROGRESS_DELAY_MS = 300;

export const STEP_LABELS: Record<ReportStep, string> = {
  reading: 'Reading the record and verifying the audit trail…',
  laying_out: 'Laying out the pages…',
  writing: 'Writing the file…',
  done: 'Done',
};

/** How far the bar is filled at each step (null: the command has not reported yet). */
export function stepFraction(step: ReportStep | null): number {
  switch (step) {
    case null:
      return 0.05;
    case 'reading':
      return 0.2;
    case 'laying_out':
      return 0.55;
    case 'writing':
      return 0.9;
    case 'done':
      return 1;
  }
}

export function stepLabel(step: ReportStep | null): string {
  return step === null ? 'Starting…' : STEP_LABELS[step];
}

// ---- Regulator notifications ------------------------------------------------------------------------------------

/** A regime's stage whose notification can be printed. */
export interface PrintableStage {
  /** `regime/stage`, the value of the picker's option. */
  key: string;
  regime: string;
  stage: string;
  /** "GDPR Art. 33 — Notification (approved)". */
  label: string;
  /** Said under the picker when this stage is chosen, e.g. that a draft is printed marked DRAFT. */
  note: string | null;
}

export function stageKey(regime: string, stage: string): string {
  return `${regime}/${stage}`;
}

/** "early-warning" → "Early warning". */
export function stageWords(stage: string): string {
  const words = stage.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const STATUS_WORDS: Record<NotificationStatus, string> = {
  draft: 'draft, not approved',
  approved: 'approved, not submitted',
  submitted: 'submitted',
};

/** The stages a regulator notification can be printed for: those of regimes that apply (or are suggested) with at
 *  least one notification drafted. Core refuses the others. */
export function printableStages(regimes: readonly RegimeClocks[]): PrintableStage[] {
  const out: PrintableStage[] = [];
  for (const r of regimes) {
    if (!r.applicable) continue;
    for (const s of r.stages) {
      const n = currentNotification(s);
      if (!n) continue;
      const supplement = n.sequence > 1 ? `, supplement ${n.sequence - 1}` : '';
      out.push({
        key: stageKey(r.regime, s.stage),
        regime: r.regime,
        stage: s.stage,
        label: `${r.name} — ${stageWords(s.stage)}${supplement} (${STATUS_WORDS[n.status]})`,
        note: n.status === 'draft' ? 'Nobody approved this draft yet: every page is marked DRAFT.' : null,
      });
    }
  }
  return out;
}

/** Why "Regulator notification" cannot be chosen, or null when it can. */
export function notificationUnavailable(
  stages: readonly PrintableStage[] | null,
  loadError: string | null,
): string | null {
  if (loadError !== null) return `The regulatory clocks could not be read: ${loadError}`;
  if (stages === null) return 'Reading the regulatory clocks…';
  if (stages.length === 0) {
    return 'No notification has been drafted for a rule that applies: draft one on the Regulatory notification tab first.';
  }
  return null;
}

// ---- The breach register's period --------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');

/** Today's date in `zone`, YYYY-MM-DD. */
export function todayIn(zone: string, nowMs: number = Date.now()): string {
  const w = wallTimeAt(nowMs, zone);
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}`;
}

/** The register extract's default period: 1 January of this year to today, both in the user's zone. */
export function defaultPeriod(zone: string, nowMs: number = Date.now()): { from: string; to: string } {
  const today = todayIn(zone, nowMs);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/** Whether text is a real calendar date written YYYY-MM-DD. */
export function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export interface Problem {
  field: 'kind' | 'stage' | 'from' | 'to' | 'path';
  message: string;
}

/** What is wrong with a period, or null. */
export function periodProblem(from: string, to: string): Problem | null {
  const f = from.trim();
  const t = to.trim();
  if (!isDate(f)) return { field: 'from', message: 'Enter the first day as YYYY-MM-DD, for example 2026-01-01.' };
  if (!isDate(t)) return { field: 'to', message: 'Enter the last day as YYYY-MM-DD, for example 2026-12-31.' };
  if (f > t) return { field: 'to', message: `The period ends (${t}) before it starts (${f}).` };
  return null;
}

// ---- The request -------------------------------------------------------------------------------------------------

/** What the Reports dialog holds. */
export interface ReportForm {
  kind: DocumentKind;
  /** The chosen `regime/stage` of a regulator notification ('' when none). */
  stage: string;
  classification: Classification;
  external: boolean;
  from: string;
  to: string;
  path: string;
}

export type Built = { ok: true; request: ReportRequest; dest: string } | { ok: false; problem: Problem };

/** The request and the destination for core, or what to fix first. `incident` is null for the breach register. */
export function buildRequest(form: ReportForm, incident: string | null, stages: readonly PrintableStage[]): Built {
  const request: ReportRequest = {
    kind: form.kind,
    incident: form.kind === 'register' ? null : incident,
    classification: form.classification,
    external: form.external,
    regime: null,
    stage: null,
    from: null,
    to: null,
  };
  if (form.kind === 'notification') {
    const s = stages.find((x) => x.key === form.stage);
    const message = 'Choose the rule and stage whose notification to print.';
    if (!s) return { ok: false, problem: { field: 'stage', message } };
    request.regime = s.regime;
    request.stage = s.stage;
  }
  if (form.kind === 'register') {
    const p = periodProblem(form.from, form.to);
    if (p) return { ok: false, problem: p };
    request.from = form.from.trim();
    request.to = form.to.trim();
  }
  const dest = form.path.trim();
  if (dest === '') return { ok: false, problem: { field: 'path', message: 'Say where to write the PDF.' } };
  return { ok: true, request, dest };
}

/** The suggested file name for what the form holds. */
export function suggestedName(form: ReportForm, incident: string | null, stages: readonly PrintableStage[]): string {
  const s = form.kind === 'notification' ? stages.find((x) => x.key === form.stage) : undefined;
  return defaultFileName({
    kind: form.kind,
    incident,
    external: form.external,
    regime: s?.regime ?? null,
    stage: s?.stage ?? null,
    from: form.from.trim(),
    to: form.to.trim(),
  });
}

export function pagesText(pages: number): string {
  return plural(pages, 'page');
}

// ---- Checking a file ---------------------------------------------------------------------------------------------

export interface CheckLine {
  label: string;
  value: string;
  /** Shown in monospace (hashes). */
  mono?: boolean;
}

/** How much the record changed after the document was generated. */
export function sinceText(entries: number): string {
  if (entries === 0) return 'None: the record has not changed since.';
  return `${plural(entries, 'audit entry', 'audit entries')} recorded after it: the record may have changed since.`;
}

/** The facts of a known document, in the user's zone. */
export function checkLines(
  check: DocumentCheck,
  kinds: readonly Choice[],
  classifications: readonly Choice[],
  zone: string,
): CheckLine[] {
  const d = check.document;
  if (!check.known || d === null) return [{ label: 'SHA-256', value: check.sha256, mono: true }];
  const lines: CheckLine[] = [{ label: 'Document', value: labelIn(kinds, d.kind) }];
  if (check.incident_id) lines.push({ label: 'Incident', value: check.incident_id });
  if (d.options.regime && d.options.stage) {
    lines.push({ label: 'Notification', value: `${d.options.regime}, ${stageWords(d.options.stage).toLowerCase()}` });
  }
  if (d.options.from && d.options.to) lines.push({ label: 'Period', value: `${d.options.from} to ${d.options.to}` });
  lines.push(
    { label: 'Generated', value: `${formatInstant(d.generated_at, zone)} by ${d.generated_by}` },
    { label: 'Classification', value: labelIn(classifications, d.options.classification) },
    { label: 'Copy', value: d.options.external ? 'External (names as roles, contacts removed)' : 'Full (names and IDs as recorded)' },
    { label: 'From audit entry', value: `#${d.head_seq}` },
    { label: 'Entries since', value: sinceText(check.entries_since) },
    { label: 'Pages', value: String(d.pages) },
    { label: 'SHA-256', value: check.sha256, mono: true },
  );
  return lines;
}

/** The warning shown when the entry the document was generated from no longer has the same hash. */
export function trailWarning(check: DocumentCheck): string | null {
  if (!check.known || check.head_in_trail || check.document === null) return null;
  return (
    `Audit entry #${check.document.head_seq} no longer has the hash this document was generated from: the history ` +
    'was rewritten since. Run “Verify record integrity”.'
  );
}

/** Core's one line about an unknown file, without the "Unknown:" the verdict above it already says. */
export function unknownMessage(check: DocumentCheck): string {
  return check.message.replace(/^Unknown:\s*/, '').replace(/^./, (c) => c.toUpperCase());
}
