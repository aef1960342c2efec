// The affected-object table's filters, sort and query, and checks of pasted spreadsheet text.

import type { AgentAction } from './bindings/AgentAction';
import type { ObjectQuery } from './bindings/ObjectQuery';
import type { ObjectSort } from './bindings/ObjectSort';
import type { ObjectStatus } from './bindings/ObjectStatus';
import type { SortDirection } from './bindings/SortDirection';

export interface Filters {
  system: string | null;
  action: AgentAction | null;
  status: ObjectStatus | null;
  /** Only objects with no recovery action decided. */
  undecided: boolean;
  text: string;
  sort: ObjectSort;
  direction: SortDirection;
}

export function emptyFilters(): Filters {
  return { system: null, action: null, status: null, undecided: false, text: '', sort: 'occurred_at', direction: 'asc' };
}

/** The query for rows [offset, offset + limit) under `f`. */
export function toQuery(f: Filters, offset: number, limit: number): ObjectQuery {
  return {
    system: f.system,
    action: f.action,
    status: f.status,
    recovery_action: null,
    undecided: f.undecided,
    text: f.text.trim(),
    sort: f.sort,
    direction: f.direction,
    offset,
    limit,
  };
}

/** Identifies the rows `f` selects, in their order: the same key means the same table. */
export function filterKey(f: Filters): string {
  return JSON.stringify([f.system, f.action, f.status, f.undecided, f.text.trim().toLowerCase(), f.sort, f.direction]);
}

/** Clicking a column header: the same column flips the direction, another column sorts by it ascending. */
export function nextSort(f: Filters, column: ObjectSort): Pick<Filters, 'sort' | 'direction'> {
  if (f.sort === column) return { sort: column, direction: f.direction === 'asc' ? 'desc' : 'asc' };
  return { sort: column, direction: 'asc' };
}

/** The aria-sort value of a column header. */
export function ariaSort(f: Filters, column: ObjectSort): 'ascending' | 'descending' | 'none' {
  if (f.sort !== column) return 'none';
  return f.direction === 'asc' ? 'ascending' : 'descending';
}

/** Whether any filter narrows the table (sorting does not). */
export function isFiltered(f: Filters): boolean {
  return f.system !== null || f.action !== null || f.status !== null || f.undecided || f.text.trim() !== '';
}

const REQUIRED_COLUMNS = ['system', 'object_type', 'object_id', 'action'];

function normalColumn(name: string): string {
  return name.trim().replace(/^\uFEFF/, '').toLowerCase().replace(/[ -]/g, '_');
}

/**
 * What is plainly wrong with pasted spreadsheet text before it is sent (the core checks every row in full), or null.
 */
export function pasteProblem(text: string): string | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return 'Paste the rows first: copy the cells in your spreadsheet, header row included.';
  const header = lines[0] ?? '';
  if (!header.includes('\t')) {
    return header.includes(',')
      ? 'This looks like comma-separated text. Copy the cells from the spreadsheet itself, or use "Import a CSV file".'
      : 'The first line must be the header row with the columns separated by tabs, as a spreadsheet copies them.';
  }
  const columns = header.split('\t').map(normalColumn);
  const absent = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (absent.length > 0) {
    return `The header row lacks ${absent.join(', ')}. Include the header row when you copy (columns: ${REQUIRED_COLUMNS.join(', ')}, and optionally occurred_at, evidence, recovery_action, recovery_owner, status).`;
  }
  if (lines.length === 1) return 'Only the header row was pasted; copy the rows below it too.';
  return null;
}

/** Count entries with labels, for the count lists beside the table. */
export function countEntries(
  counts: readonly [string, number][],
  label: (key: string) => string,
): { key: string; label: string; n: number }[] {
  return counts.map(([key, n]) => ({ key, label: key === '' ? '(none)' : label(key), n }));
}

export type CountGroup = 'system' | 'action' | 'status';

/** The filter a count filters by, or null when none is set. */
function filterOf(f: Filters, group: CountGroup): string | null {
  return group === 'system' ? f.system : group === 'action' ? f.action : f.status;
}

/** Whether clicking that count has filtered the table by it. */
export function countActive(f: Filters, group: CountGroup, key: string): boolean {
  return filterOf(f, group) === key;
}

/** Clicking a count: filters by it, or, when it already does, stops filtering by that group. */
export function toggleCount(f: Filters, group: CountGroup, key: string): Filters {
  const value = countActive(f, group, key) ? null : key;
  if (group === 'system') return { ...f, system: value };
  if (group === 'action') return { ...f, action: value as AgentAction | null };
  return { ...f, status: value as ObjectStatus | null };
}

export interface DraftObject {
  system: string;
  object_type: string;
  object_id: string;
}

/** What an object added by hand still lacks, by field (empty: it can be added). */
export function draftProblems(d: DraftObject): Record<string, string> {
  const errors: Record<string, string> = {};
  if (d.system.trim() === '') errors.system = 'Enter the system (e.g. Salesforce).';
  if (d.object_type.trim() === '') errors.object_type = 'Enter the kind of object (e.g. invoice).';
  if (d.object_id.trim() === '') errors.object_id = 'Enter the object’s ID in that system.';
  return errors;
}
