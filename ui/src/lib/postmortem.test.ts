import { describe, expect, it } from 'vitest';
import type { Postmortem } from './bindings/Postmortem';
import type { TimelineEvent } from './bindings/TimelineEvent';
import type { RemediationItem } from './bindings/RemediationItem';
import {
  blankRemediation,
  editOf,
  formChanged,
  formOf,
  parseDueDate,
  parseImpact,
  postmortemOf,
  remediationProblems,
  remediationUpdate,
  timelineDays,
  toggled,
  trimWhys,
  whyInputs,
} from './postmortem';

function pm(over: Partial<Postmortem> = {}): Postmortem {
  return {
    id: '',
    incident: 'i1',
    summary: '',
    impact_records: null,
    impact_users: null,
    impact_customers: null,
    impact_money: null,
    impact_hours: null,
    detection_gap: '',
    control_gap: '',
    root_cause: '',
    root_cause_layers: [],
    contributing_factors: [],
    what_worked: '',
    what_failed: '',
    five_whys: [],
    completed: false,
    ...over,
  };
}

describe('impact numbers', () => {
  it('reads empty as unknown and ignores digit-group spaces', () => {
    expect(parseImpact('  ', 'Users', true)).toEqual({ ok: true, value: null });
    expect(parseImpact('12 000', 'Users', true)).toEqual({ ok: true, value: 12000 });
    expect(parseImpact('1200.50', 'Money', false)).toEqual({ ok: true, value: 1200.5 });
  });
  it('refuses counts with decimals, negatives, commas and words', () => {
    expect(parseImpact('3.5', 'Users', true)).toMatchObject({ ok: false, message: 'Users is a count: write a whole number.' });
    expect(parseImpact('-4', 'Hours', false)).toMatchObject({ ok: false, message: 'Hours cannot be negative.' });
    expect(parseImpact('1,200', 'Money', false)).toMatchObject({ ok: false });
    expect(parseImpact('many', 'Users', true)).toMatchObject({ ok: false, message: 'Users: "many" is not a number.' });
    expect(parseImpact('1e3', 'Users', true)).toMatchObject({ ok: false });
  });
});

describe('five whys', () => {
  it('pads to five inputs and trims to the answered ones in order', () => {
    expect(whyInputs(['a'])).toEqual(['a', '', '', '', '']);
    expect(trimWhys([' a ', '', '  ', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(trimWhys(['1', '2', '3', '4', '5', '6'])).toHaveLength(5);
  });
});

describe('form', () => {
  it('round-trips a stored postmortem without a change', () => {
    const p = pm({ summary: 'S', impact_users: 40, impact_money: 12.5, five_whys: ['x', 'y'], root_cause_layers: ['tools_integrations'] });
    expect(formChanged(p, formOf(p))).toBe(false);
    const f = formOf(p);
    f.whys[3] = 'z';
    expect(formChanged(p, f)).toBe(true);
  });
  it('collects errors by field and builds the postmortem', () => {
    const f = formOf(pm());
    f.impact.impact_records = 'lots';
    f.impact.impact_hours = '7.5';
    const bad = postmortemOf(pm(), f, false);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors)).toEqual(['impact_records']);
    f.impact.impact_records = '300';
    f.whys = [' why one ', '', 'why three', '', ''];
    const good = postmortemOf(pm(), f, true);
    expect(good).toMatchObject({ ok: true, postmortem: { impact_records: 300, impact_hours: 7.5, five_whys: ['why one', 'why three'], completed: true } });
  });
  it('toggles keys', () => {
    expect(toggled(['a', 'b'], 'a', false)).toEqual(['b']);
    expect(toggled(['b'], 'a', true)).toEqual(['b', 'a']);
    expect(toggled(['a'], 'a', true)).toEqual(['a']);
  });
});

describe('timeline', () => {
  const ev = (at: string, kind: TimelineEvent['kind'], text: string): TimelineEvent => ({ at, kind, text, source: '' });
  it('orders by time, groups by day in the zone, and labels kinds', () => {
    const days = timelineDays(
      [
        ev('2026-03-29T23:30:00Z', 'manual', 'late call'),
        ev('2026-03-29T08:00:00Z', 'detection', 'detected'),
        ev('2026-03-29T08:00:00Z', 'opened', 'opened'),
      ],
      'Europe/Madrid',
      new Map([['detection', 'Detection'], ['manual', 'Manual entry']]),
    );
    expect(days.map((d) => d.day)).toEqual(['2026-03-29', '2026-03-30']);
    expect(days[0].rows.map((r) => [r.time, r.kindLabel, r.text])).toEqual([
      ['10:00 CEST', 'Detection', 'detected'],
      ['10:00 CEST', 'opened', 'opened'],
    ]);
    expect(days[1].rows[0]).toMatchObject({ time: '01:30 CEST', manual: true, kindLabel: 'Manual entry' });
  });
});

describe('due date', () => {
  it('accepts real dates only', () => {
    expect(parseDueDate('')).toEqual({ ok: true, value: null });
    expect(parseDueDate('2026-12-31')).toEqual({ ok: true, value: '2026-12-31' });
    expect(parseDueDate('2026-02-30')).toMatchObject({ ok: false });
    expect(parseDueDate('31/12/2026')).toMatchObject({ ok: false });
  });
});

describe('remediation', () => {
  const item: RemediationItem = {
    id: 'r1',
    incident: 'i1',
    control_type: 'input_freshness',
    description: 'Refuse stale price lists',
    owner: 'Lee Chen',
    due_date: '2026-12-31',
    status: 'open',
  };

  it('says what a new item lacks, by field', () => {
    expect(Object.keys(remediationProblems(blankRemediation()))).toEqual(['control_type', 'description', 'owner']);
    expect(remediationProblems({ control: 'input_freshness', description: 'x', owner: 'y', due: '2026-02-30' })).toEqual({
      due_date: '2026-02-30 is not a real date.',
    });
    expect(remediationProblems({ control: 'input_freshness', description: 'x', owner: 'y', due: '' })).toEqual({});
  });

  it('sends only what the edit changed', () => {
    expect(remediationUpdate(item, editOf(item), item.due_date)).toEqual({
      status: null,
      owner: null,
      due_date: null,
      description: null,
    });
    const edit = { ...editOf(item), status: 'done' as const, owner: ' Lee Chen ' };
    expect(remediationUpdate(item, edit, '2027-01-15')).toEqual({
      status: 'done',
      owner: null,
      due_date: '2027-01-15',
      description: null,
    });
  });
});
