// The incident register: filtering, sorting and ages. Pure functions, tested in register.test.ts.

import type { Incident } from './bindings/Incident';
import type { Severity } from './bindings/Severity';
import type { Status } from './bindings/Status';

export const SEVERITY_ORDER: readonly Severity[] = ['sev0', 'sev1', 'sev2', 'sev3'];
export const STATUS_ORDER: readonly Status[] = ['investigating', 'contained', 'recovering', 'monitoring', 'closed'];

/** `open` = every status except closed. */
export type StatusFilter = 'all' | 'open' | Status;
/** `none` = severity not set yet. */
export type SeverityFilter = 'all' | 'none' | Severity;

export interface RegisterFilter {
  status: StatusFilter;
  severity: SeverityFilter;
  /** `all`, or an owner's name as shown in the Owner column. */
  owner: string;
  search: string;
}

export const DEFAULT_FILTER: RegisterFilter = { status: 'open', severity: 'all', owner: 'all', search: '' };

export type SortKey = 'id' | 'title' | 'severity' | 'status' | 'owner' | 'age';
export type SortDir = 'asc' | 'desc';
export interface SortState {
  key: SortKey;
  dir: SortDir;
}

/** The person shown as owner: the business owner, else the incident commander, else empty. */
export function ownerOf(i: Incident): string {
  return i.business_owner.trim() || i.commander.trim();
}

/** The instant the age counts from: detection time, else when the record was opened. */
export function ageStart(i: Incident): string {
  return i.detected_at ?? i.created_at;
}

/** A short age such as `12 min`, `3 h`, `2 d`. */
export function formatAge(fromIso: string, nowMs: number): string {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return '';
  const minutes = Math.max(0, Math.floor((nowMs - from) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** The distinct owners present, sorted by name, for the owner filter. */
export function ownersPresent(incidents: readonly Incident[]): string[] {
  const names = new Set(incidents.map(ownerOf).filter((n) => n !== ''));
  return [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
}

export function matchesFilter(i: Incident, f: RegisterFilter): boolean {
  if (f.status === 'open' && i.status === 'closed') return false;
  if (f.status !== 'all' && f.status !== 'open' && i.status !== f.status) return false;
  if (f.severity === 'none' && i.severity !== null) return false;
  if (f.severity !== 'all' && f.severity !== 'none' && i.severity !== f.severity) return false;
  if (f.owner !== 'all' && ownerOf(i) !== f.owner) return false;
  const q = f.search.trim().toLowerCase();
  if (q !== '' && !i.title.toLowerCase().includes(q) && !i.id.toLowerCase().includes(q)) return false;
  return true;
}

export function filterIncidents(incidents: readonly Incident[], f: RegisterFilter): Incident[] {
  return incidents.filter((i) => matchesFilter(i, f));
}

/** The value a column sorts by; null means empty (always sorted last). Numbers and strings ascend naturally. */
function sortValue(i: Incident, key: SortKey): string | number | null {
  switch (key) {
    case 'id':
      return i.id;
    case 'title':
      return i.title.trim() === '' ? null : i.title.toLowerCase();
    case 'severity':
      return i.severity === null ? null : SEVERITY_ORDER.indexOf(i.severity);
    case 'status':
      return STATUS_ORDER.indexOf(i.status);
    case 'owner': {
      const o = ownerOf(i);
      return o === '' ? null : o.toLowerCase();
    }
    case 'age': {
      // Youngest first when ascending: sort by the negated start instant.
      const t = Date.parse(ageStart(i));
      return Number.isNaN(t) ? null : -t;
    }
  }
}

/** A sorted copy. Empty values go last in both directions; ties keep the incoming order. */
export function sortIncidents(incidents: readonly Incident[], sort: SortState | null): Incident[] {
  if (!sort) return [...incidents];
  const sign = sort.dir === 'asc' ? 1 : -1;
  return incidents
    .map((incident, index) => ({ incident, index, value: sortValue(incident, sort.key) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) {
        if (a.value === b.value) return a.index - b.index;
        return a.value === null ? 1 : -1;
      }
      let c: number;
      if (typeof a.value === 'number' && typeof b.value === 'number') c = a.value - b.value;
      else c = String(a.value).localeCompare(String(b.value));
      return c !== 0 ? sign * c : a.index - b.index;
    })
    .map((x) => x.incident);
}

/** Clicking a header: the same column flips direction, another column starts ascending. */
export function toggleSort(current: SortState | null, key: SortKey): SortState {
  if (current && current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: 'asc' };
}
