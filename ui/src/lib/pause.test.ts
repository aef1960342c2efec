import { describe, expect, it } from 'vitest';
import type { PauseAction } from './bindings/PauseAction';
import {
  checkLiftForm,
  checkPauseForm,
  emptyPauseForm,
  formFromSuggestion,
  orderPauses,
  pauseStatusText,
  scopeLabel,
  suggestionInForce,
} from './pause';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const ZONE = 'Europe/Berlin';

function pause(over: Partial<PauseAction> = {}): PauseAction {
  return {
    id: 'p1',
    incident: 'u',
    scope: 'tool',
    target: 'send tool',
    approved_by: 'Ana',
    paused_at: '2026-03-10T09:00:00Z',
    lifted_at: null,
    lifted_by: null,
    note: '',
    ...over,
  };
}

describe('pause form', () => {
  it('names every missing field by core field key', () => {
    const r = checkPauseForm(emptyPauseForm(), ZONE, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['approved_by', 'scope', 'target']);
  });
  it('treats an empty time as now and trims the text', () => {
    const r = checkPauseForm({ scope: 'sends', target: '  outbound email ', approvedBy: ' Ana ', at: '' }, ZONE, NOW);
    expect(r).toEqual({ ok: true, value: { scope: 'sends', target: 'outbound email', approvedBy: 'Ana', pausedAt: null } });
  });
  it('reads the time as wall time in the user zone', () => {
    const r = checkPauseForm({ scope: 'tool', target: 't', approvedBy: 'A', at: '2026-03-10 11:30' }, ZONE, NOW);
    expect(r.ok && r.value.pausedAt).toBe('2026-03-10T10:30:00Z');
  });
  it('refuses a future time and an unreadable one', () => {
    const future = checkPauseForm({ scope: 'tool', target: 't', approvedBy: 'A', at: '2026-03-10 15:00' }, ZONE, NOW);
    expect(!future.ok && future.errors.paused_at).toMatch(/future/);
    const bad = checkPauseForm({ scope: 'tool', target: 't', approvedBy: 'A', at: 'yesterday' }, ZONE, NOW);
    expect(!bad.ok && bad.errors.paused_at).toMatch(/YYYY-MM-DD/);
  });
  it('prefills scope and target from a suggestion, keeping approver and time', () => {
    const f = formFromSuggestion(
      { scope: 'source', target: 'the injected source', why: 'x' },
      { scope: 'tool', target: 'old', approvedBy: 'Ana', at: '2026-03-10 10:00' },
    );
    expect(f).toEqual({ scope: 'source', target: 'the injected source', approvedBy: 'Ana', at: '2026-03-10 10:00' });
  });
});

describe('lift form', () => {
  it('needs who lifted it', () => {
    const r = checkLiftForm(pause(), ' ', '', ZONE, NOW);
    expect(!r.ok && r.errors.lifted_by).toBeTruthy();
  });
  it('refuses a lift before the pause began', () => {
    const r = checkLiftForm(pause(), 'Bo', '2026-03-10 09:59', ZONE, NOW); // 08:59 UTC
    expect(!r.ok && r.errors.lifted_at).toMatch(/before the pause began/);
  });
  it('accepts now (empty) or a time after the pause', () => {
    expect(checkLiftForm(pause(), 'Bo', '', ZONE, NOW)).toEqual({ ok: true, value: { liftedBy: 'Bo', liftedAt: null } });
    const r = checkLiftForm(pause(), 'Bo', '2026-03-10 11:00', ZONE, NOW);
    expect(r.ok && r.value.liftedAt).toBe('2026-03-10T10:00:00Z');
  });
});

describe('pause list', () => {
  it('says active, or who lifted it and when in the user zone', () => {
    expect(pauseStatusText(pause(), 'UTC')).toBe('Active');
    expect(pauseStatusText(pause({ lifted_by: 'Bo', lifted_at: '2026-03-10T11:00:00Z' }), 'UTC')).toBe(
      'Lifted by Bo at 2026-03-10 11:00 UTC',
    );
  });
  it('shows active pauses first, each group newest first', () => {
    const ps = [
      pause({ id: 'old-lifted', paused_at: '2026-03-01T00:00:00Z', lifted_at: '2026-03-02T00:00:00Z', lifted_by: 'A' }),
      pause({ id: 'old-active', paused_at: '2026-03-01T00:00:00Z' }),
      pause({ id: 'new-lifted', paused_at: '2026-03-05T00:00:00Z', lifted_at: '2026-03-06T00:00:00Z', lifted_by: 'A' }),
      pause({ id: 'new-active', paused_at: '2026-03-05T00:00:00Z' }),
    ];
    expect(orderPauses(ps).map((p) => p.id)).toEqual(['new-active', 'old-active', 'new-lifted', 'old-lifted']);
  });
  it('knows when a suggestion is already paused (and not once lifted)', () => {
    const s = { scope: 'tool' as const, target: 'send tool', why: '' };
    expect(suggestionInForce(s, [pause()])).toBe(true);
    expect(suggestionInForce(s, [pause({ lifted_at: '2026-03-10T10:00:00Z', lifted_by: 'A' })])).toBe(false);
    expect(suggestionInForce(s, [pause({ scope: 'sends' })])).toBe(false);
  });
  it('labels scopes from the choice list', () => {
    expect(scopeLabel([{ key: 'tool', label: 'One tool' }], 'tool')).toBe('One tool');
    expect(scopeLabel([], 'queue')).toBe('queue');
  });
});
