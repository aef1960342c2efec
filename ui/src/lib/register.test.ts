import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTER,
  filterIncidents,
  formatAge,
  ownerOf,
  ownersPresent,
  sortIncidents,
  toggleSort,
  type RegisterFilter,
} from './register';
import { incident } from './fixtures.test-util';

const a = incident({
  id: 'AI-INC-2026-0101-001',
  title: 'Refund bot paid twice',
  status: 'investigating',
  severity: 'sev2',
  business_owner: 'Dana',
  commander: 'Ivo',
  detected_at: '2026-01-01T08:00:00Z',
});
const b = incident({
  id: 'AI-INC-2026-0102-001',
  title: 'Mail agent sent drafts',
  status: 'closed',
  severity: 'sev0',
  commander: 'Ivo',
  created_at: '2026-01-02T09:00:00Z',
});
const c = incident({
  id: 'AI-INC-2026-0103-001',
  title: '<img src=x onerror=alert(1)>',
  status: 'contained',
  severity: null,
  created_at: '2026-01-03T09:00:00Z',
});
const all = [a, b, c];
const f = (over: Partial<RegisterFilter>): RegisterFilter => ({ ...DEFAULT_FILTER, ...over });
const ids = (list: { id: string }[]) => list.map((i) => i.id);

describe('owner and age', () => {
  it('owner is the business owner, else the commander, else empty', () => {
    expect(ownerOf(a)).toBe('Dana');
    expect(ownerOf(b)).toBe('Ivo');
    expect(ownerOf(c)).toBe('');
    expect(ownersPresent(all)).toEqual(['Dana', 'Ivo']);
  });
  it('formats ages in minutes, hours and days', () => {
    const now = Date.parse('2026-01-05T12:00:00Z');
    expect(formatAge('2026-01-05T11:48:00Z', now)).toBe('12 min');
    expect(formatAge('2026-01-05T09:00:00Z', now)).toBe('3 h');
    expect(formatAge('2026-01-03T11:00:00Z', now)).toBe('2 d');
    expect(formatAge('2026-01-05T12:30:00Z', now)).toBe('0 min');
    expect(formatAge('garbage', now)).toBe('');
  });
});

describe('filtering', () => {
  it('default "open" hides closed incidents; "all" shows them', () => {
    expect(ids(filterIncidents(all, DEFAULT_FILTER))).toEqual([a.id, c.id]);
    expect(ids(filterIncidents(all, f({ status: 'all' })))).toEqual([a.id, b.id, c.id]);
    expect(ids(filterIncidents(all, f({ status: 'closed' })))).toEqual([b.id]);
  });
  it('by severity, including "not set"', () => {
    expect(ids(filterIncidents(all, f({ status: 'all', severity: 'sev0' })))).toEqual([b.id]);
    expect(ids(filterIncidents(all, f({ status: 'all', severity: 'none' })))).toEqual([c.id]);
  });
  it('by owner', () => {
    expect(ids(filterIncidents(all, f({ status: 'all', owner: 'Ivo' })))).toEqual([b.id]);
    expect(ids(filterIncidents(all, f({ status: 'all', owner: 'Dana' })))).toEqual([a.id]);
  });
  it('search matches title or ID, case-insensitively', () => {
    expect(ids(filterIncidents(all, f({ status: 'all', search: 'REFUND' })))).toEqual([a.id]);
    expect(ids(filterIncidents(all, f({ status: 'all', search: 'ai-inc-2026-0102' })))).toEqual([b.id]);
    expect(ids(filterIncidents(all, f({ status: 'all', search: '<IMG' })))).toEqual([c.id]);
    expect(filterIncidents(all, f({ status: 'all', search: 'nothing like this' }))).toEqual([]);
  });
});

describe('sorting', () => {
  it('severity ascending puts sev0 first and empty last; descending keeps empty last', () => {
    expect(ids(sortIncidents(all, { key: 'severity', dir: 'asc' }))).toEqual([b.id, a.id, c.id]);
    expect(ids(sortIncidents(all, { key: 'severity', dir: 'desc' }))).toEqual([a.id, b.id, c.id]);
  });
  it('owner sorts by name with empty last', () => {
    expect(ids(sortIncidents(all, { key: 'owner', dir: 'asc' }))).toEqual([a.id, b.id, c.id]);
    expect(ids(sortIncidents(all, { key: 'owner', dir: 'desc' }))).toEqual([b.id, a.id, c.id]);
  });
  it('age ascending is youngest first (detected_at, else created_at)', () => {
    expect(ids(sortIncidents(all, { key: 'age', dir: 'asc' }))).toEqual([c.id, b.id, a.id]);
  });
  it('status follows the workflow order; id sorts lexically', () => {
    expect(ids(sortIncidents(all, { key: 'status', dir: 'asc' }))).toEqual([a.id, c.id, b.id]);
    expect(ids(sortIncidents(all, { key: 'id', dir: 'desc' }))).toEqual([c.id, b.id, a.id]);
  });
  it('no sort keeps the given order and does not mutate the input', () => {
    const input = [c, a, b];
    expect(ids(sortIncidents(input, null))).toEqual([c.id, a.id, b.id]);
    sortIncidents(input, { key: 'id', dir: 'asc' });
    expect(ids(input)).toEqual([c.id, a.id, b.id]);
  });
  it('toggling flips the same column and resets on another', () => {
    const s1 = toggleSort(null, 'title');
    expect(s1).toEqual({ key: 'title', dir: 'asc' });
    const s2 = toggleSort(s1, 'title');
    expect(s2).toEqual({ key: 'title', dir: 'desc' });
    expect(toggleSort(s2, 'title')).toEqual({ key: 'title', dir: 'asc' });
    expect(toggleSort(s2, 'age')).toEqual({ key: 'age', dir: 'asc' });
  });
});
