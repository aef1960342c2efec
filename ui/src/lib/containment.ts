// The containment checklist's logic: what a line says about who did it, and how many areas are settled. Each row's
// save indicator is act.ts's RowSave.

import type { ContainmentLine } from './bindings/ContainmentLine';
import { formatInstant } from './time';

/** "Done by Ana at 2026-01-01 10:00 CET" for a done line; empty otherwise. */
export function doneText(line: ContainmentLine, zone: string): string {
  if (line.status !== 'done') return '';
  const by = line.done_by ? ` by ${line.done_by}` : '';
  const at = line.done_at ? ` at ${formatInstant(line.done_at, zone)}` : '';
  return `Done${by}${at}`;
}

/** How many areas are settled (done or not needed) out of all. */
export function settledCount(lines: readonly ContainmentLine[]): { settled: number; total: number } {
  return { settled: lines.filter((l) => l.status !== 'to_do').length, total: lines.length };
}
