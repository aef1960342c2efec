// Evidence screen logic: re-verification results per file and a summary of them.

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
