// Evidence screen logic: re-verification results per file and a summary of them, the drafts kept over a reload,
// and what an attach says it did.

import type { EvidenceKind } from './bindings/EvidenceKind';
import type { EvidenceKindState } from './bindings/EvidenceKindState';
import type { EvidenceStatus } from './bindings/EvidenceStatus';
import type { FileCheck } from './bindings/FileCheck';
import type { FileCheckStatus } from './bindings/FileCheckStatus';

export interface CheckSummary {
  unchanged: number;
  changed: number;
  missing: number;
}

export function summarise(checks: readonly FileCheck[]): CheckSummary {
  const s: CheckSummary = { unchanged: 0, changed: 0, missing: 0 };
  for (const c of checks) s[c.status]++;
  return s;
}

/** Each file's check status, by file ID. */
export function checksByFile(checks: readonly FileCheck[]): Map<string, FileCheck> {
  return new Map(checks.map((c) => [c.file.id, c]));
}

/** One line that says what re-verification found. */
export function summaryText(s: CheckSummary): string {
  const total = s.unchanged + s.changed + s.missing;
  if (total === 0) return 'There are no files to verify yet.';
  if (s.changed === 0 && s.missing === 0) {
    return total === 1 ? 'The file matches its SHA-256.' : `All ${total} files match their SHA-256.`;
  }
  const parts: string[] = [];
  if (s.changed > 0) parts.push(`${s.changed} changed`);
  if (s.missing > 0) parts.push(`${s.missing} missing`);
  return `${parts.join(' and ')} of ${total} files. The custody log records this; attach the originals again if you have them.`;
}

export const CHECK_CLASS: Record<FileCheckStatus, string> = {
  unchanged: 'ok',
  changed: 'bad',
  missing: 'bad',
};

type ByKind<T> = Partial<Record<EvidenceKind, T>>;

/**
 * After a reload: the statuses picked but not saved that the stored state has not caught up with, and the reason of
 * each kind (the one being typed for a kept draft, the stored one otherwise). A reload after saving one kind must
 * not wipe what the user is typing for another.
 */
export function afterReload(
  stored: readonly EvidenceKindState[],
  drafts: ByKind<EvidenceStatus>,
  typed: ByKind<string>,
): { drafts: ByKind<EvidenceStatus>; reasons: ByKind<string> } {
  const pending: ByKind<EvidenceStatus> = Object.fromEntries(
    Object.entries(drafts).filter(([kind, st]) => stored.find((s) => s.kind === kind)?.status !== st),
  );
  const reasons = Object.fromEntries(stored.map((s) => [s.kind, s.kind in pending ? (typed[s.kind] ?? '') : s.reason]));
  return { drafts: pending, reasons };
}

/** What an attach did: the files attached (by name) before `failure`, if any, stopped it. */
export function attachedText(names: readonly string[], kindLabel: string, failure: string | null): string {
  if (failure === null) return `Attached ${names.join(', ')} to ${kindLabel.toLowerCase()}.`;
  return `${names.length > 0 ? `Attached ${names.join(', ')}. ` : ''}${failure}`;
}
