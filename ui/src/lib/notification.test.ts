import { describe, expect, it } from 'vitest';
import type { OpenClock } from './bindings/OpenClock';
import type { RegimeClocks } from './bindings/RegimeClocks';
import type { StageView } from './bindings/StageView';
import {
  approveRefusal,
  countdown,
  currentNotification,
  decisionLabel,
  draftLabel,
  elapsed,
  gdprClock,
  isLate,
  liveState,
  missingItems,
  mostUrgentByIncident,
  regimeGroups,
  submitRefusal,
} from './notification';
import { notification, regimeClocks, stageView } from './fixtures.test-util';

const DUE = '2026-11-25T09:00:00Z';
const due = Date.parse(DUE);
const H = 3_600_000;

const note = notification;

const stage = (over: Partial<StageView> = {}): StageView =>
  stageView({
    rule: '72 hours after awareness',
    computed_due: DUE,
    computed_due_date: '2026-11-25',
    due: DUE,
    content: [
      { key: 'nature', label: 'Nature of the breach', required: true },
      { key: 'contact', label: 'Contact point', required: true },
      { key: 'extra', label: 'Optional', required: false },
    ],
    ...over,
  });

const regime = (over: Partial<RegimeClocks> = {}): RegimeClocks =>
  regimeClocks({ notifies: 'Lead supervisory authority', trigger_kinds: ['awareness'], stages: [stage()], ...over });

describe('countdowns', () => {
  it('counts down to the due time and then up as overdue', () => {
    expect(countdown(DUE, due - (2 * 24 + 3) * H - 4 * 60_000 - 5_000)).toBe('2 d 03:04:05 left');
    expect(countdown(DUE, due - 90 * 60_000)).toBe('01:30:00 left');
    expect(countdown(DUE, due + 10 * 60_000)).toBe('overdue by 00:10:00');
    expect(countdown(DUE, due - 5 * H, false)).toBe('5 h 00 min left');
    expect(countdown(null, due)).toBe('');
    expect(elapsed('2026-11-24T09:00:00Z', due)).toBe('1 d 0 h since the trigger');
  });

  it('moves a running clock to the next state between refreshes, never a submitted one', () => {
    expect(liveState('upcoming', DUE, due - 25 * H)).toBe('upcoming');
    expect(liveState('upcoming', DUE, due - 24 * H)).toBe('due_24h');
    expect(liveState('due_24h', DUE, due - 4 * H)).toBe('due_4h');
    expect(liveState('due_4h', DUE, due + 1000)).toBe('overdue');
    expect(liveState('submitted_on_time', DUE, due + H)).toBe('submitted_on_time');
    expect(liveState('waiting', null, due)).toBe('waiting');
  });
});

describe('regimes', () => {
  it('groups regimes that run, those recorded as not applying, and the rest', () => {
    const no = regime({
      regime: 'uk-gdpr',
      applicable: false,
      decision: {
        id: 'd',
        incident: 'u1',
        regime: 'uk-gdpr',
        decision: 'not_applicable',
        reason: 'No UK data subjects',
        decided_by: 'Lena Vogel',
        decided_at: DUE,
        variant: null,
        zone: null,
        calendar: null,
      },
    });
    const other = regime({ regime: 'sec-8k-105', applicable: false, suggestion: { suggested: false, reasons: [] } });
    const g = regimeGroups([regime(), no, other]);
    expect(g.running.map((r) => r.regime)).toEqual(['gdpr-art33']);
    expect(g.notApplicable.map((r) => r.regime)).toEqual(['uk-gdpr']);
    expect(g.other.map((r) => r.regime)).toEqual(['sec-8k-105']);
    expect(decisionLabel(regime())).toBe('Suggested: confirm or record why not');
    expect(decisionLabel(no)).toBe('Does not apply');
  });

  it('finds the GDPR clock for the header only when it runs', () => {
    expect(gdprClock([regime()])?.stage.due).toBe(DUE);
    expect(gdprClock([regime({ applicable: false })])).toBeNull();
    expect(gdprClock([regime({ regime: 'nis2' })])).toBeNull();
  });

  it('keeps the first (most urgent) open clock per incident', () => {
    const c = (incident: string, d: string, regimeId: string): OpenClock => ({
      incident,
      incident_title: '',
      regime: regimeId,
      regime_name: regimeId,
      stage: 's',
      due: d,
      state: 'upcoming',
      confirmed: true,
      verified: true,
    });
    const m = mostUrgentByIncident([c('A', '2026-01-01T00:00:00Z', 'nis2'), c('B', '2026-01-02T00:00:00Z', 'x'), c('A', '2026-01-03T00:00:00Z', 'gdpr')]);
    expect(m.get('A')?.regime).toBe('nis2');
    expect(m.size).toBe(2);
  });
});

describe('drafts', () => {
  it('opens the open draft, else the latest submission, and names the next action', () => {
    const sent = note({ status: 'submitted', submitted_at: DUE });
    const supplement = note({ id: 'n2', sequence: 2 });
    expect(currentNotification(stage({ notifications: [sent, supplement] }))?.id).toBe('n2');
    expect(currentNotification(stage({ notifications: [sent] }))?.id).toBe('n1');
    expect(draftLabel(stage())).toBe('Draft the notification');
    expect(draftLabel(stage({ notifications: [sent], submitted_at: DUE }))).toBe('Draft a supplement');
    expect(draftLabel(stage({ notifications: [note()] }))).toBe('Open the draft');
  });

  it('lists required items still empty and knows when reasons for a delay are needed', () => {
    expect(missingItems(stage(), { nature: 'Export to a public bucket', contact: ' ' })).toEqual(['Contact point']);
    expect(isLate(stage(), note(), due + 1)).toBe(true);
    expect(isLate(stage(), note(), due - 1)).toBe(false);
    expect(isLate(stage(), note({ sequence: 2 }), due + H)).toBe(false);
    expect(isLate(stage(), note({ submitted_at: '2026-11-25T08:00:00Z' }), due + H)).toBe(false);
  });

  it('says why approval or submission is not offered', () => {
    expect(approveRefusal(note(), true)).toContain('Save your changes');
    expect(approveRefusal(note(), false)).toBeNull();
    expect(submitRefusal(note())).toContain('must approve');
    expect(submitRefusal(note({ status: 'approved' }))).toBeNull();
    expect(submitRefusal(note({ status: 'submitted' }))).toBe('Already submitted.');
  });
});
