import { describe, expect, it } from 'vitest';
import type { ReenableSignoff } from './bindings/ReenableSignoff';
import type { ReenableView } from './bindings/ReenableView';
import { answerProblem, checkFirstRun, checkSignoff, retirement, shortHash, signoffBlock, steps } from './reenable';

const STAGES = [
  { key: 'read_only', label: 'Read-only' },
  { key: 'draft_only', label: 'Draft-only' },
  { key: 'human_approved_writeback', label: 'Human-approved writeback' },
  { key: 'limited_production', label: 'Limited production' },
  { key: 'normal', label: 'Normal' },
];

function signed(stage: ReenableSignoff['stage']): ReenableSignoff {
  return {
    id: stage,
    incident: 'i',
    stage,
    approver: 'Ana',
    statement: 'ok',
    state_hash: 'abcdef0123456789abcdef',
    signed_at: '2026-03-29T10:00:00Z',
    first_run_at: null,
  };
}

function view(over: Partial<ReenableView> = {}): ReenableView {
  return { questions: [], signoffs: [], next_stage: 'read_only', open: [], stages: STAGES, answer_values: [], ...over };
}

describe('stepper', () => {
  it('marks signed stages, the next one and later ones', () => {
    const s = steps(STAGES, [signed('read_only')], 'draft_only');
    expect(s.map((x) => x.state)).toEqual(['signed', 'next', 'later', 'later', 'later']);
    expect(s[0].signoff?.approver).toBe('Ana');
  });
  it('stops the unsigned stages once the workflow is retired', () => {
    const s = steps(STAGES, [signed('read_only'), signed('retired')], null);
    expect(s.map((x) => x.state)).toEqual(['signed', 'stopped', 'stopped', 'stopped', 'stopped']);
  });
  it('shortens hashes', () => {
    expect(shortHash('abcdef0123456789abcdef')).toBe('abcdef012345…');
    expect(shortHash('abc')).toBe('abc');
  });
});

describe('sign-off block', () => {
  it('lists the open questions', () => {
    const b = signoffBlock(view({ open: ['Is the root cause identified? (answered no)'] }));
    expect(b?.missing).toEqual(['Is the root cause identified? (answered no)']);
  });
  it('allows signing when nothing is open', () => {
    expect(signoffBlock(view())).toBeNull();
  });
  it('says when there is nothing more to sign', () => {
    expect(signoffBlock(view({ next_stage: null }))?.message).toContain('All stages are signed');
    const retired = view({ next_stage: null, signoffs: [signed('retired')] });
    expect(signoffBlock(retired)?.message).toContain('retired');
    expect(retirement(retired)?.stage).toBe('retired');
  });
});

describe('answers and sign-off form', () => {
  it('needs a note for an exception only', () => {
    expect(answerProblem('exception', '  ')).toContain('note');
    expect(answerProblem('exception', 'Approved by Ana')).toBeNull();
    expect(answerProblem('no', '')).toBeNull();
  });
  it('needs an approver and a statement', () => {
    expect(checkSignoff('', ' ')).toEqual({
      ok: false,
      errors: {
        approver: 'Pick the named person who approves.',
        statement: 'Write what they approve, at what scope, and on what grounds.',
      },
    });
    expect(checkSignoff('Ana', 'Approve read-only')).toEqual({ ok: true });
  });
});

describe('first monitored run', () => {
  it('needs a time, read in the user zone', () => {
    expect(checkFirstRun(' ', 'UTC')).toEqual({ ok: false, message: 'Enter when the first run was watched.' });
    expect(checkFirstRun('soon', 'UTC')).toMatchObject({ ok: false });
    expect(checkFirstRun('2026-03-29 14:05', 'UTC')).toEqual({ ok: true, utc: '2026-03-29T14:05:00Z' });
  });
});
