import { describe, expect, it } from 'vitest';
import type { ContainmentLine } from './bindings/ContainmentLine';
import { doneText, failureOf, saveText, settledCount } from './containment';

function line(over: Partial<ContainmentLine> = {}): ContainmentLine {
  return {
    area: 'webhooks',
    label: 'Webhooks',
    status: 'to_do',
    done_by: null,
    done_at: null,
    note: '',
    item_id: null,
    ...over,
  };
}

describe('containment lines', () => {
  it('says who and when only for done lines', () => {
    expect(doneText(line({ status: 'done', done_by: 'Ana', done_at: '2026-03-10T09:00:00Z' }), 'UTC')).toBe(
      'Done by Ana at 2026-03-10 09:00 UTC',
    );
    expect(doneText(line({ status: 'not_needed', done_by: 'Ana' }), 'UTC')).toBe('');
    expect(doneText(line({ status: 'done' }), 'UTC')).toBe('Done');
  });
  it('counts done and not needed as settled', () => {
    expect(settledCount([line(), line({ status: 'done' }), line({ status: 'not_needed' })])).toEqual({
      settled: 2,
      total: 3,
    });
  });
  it('words each save state', () => {
    expect(saveText({ kind: 'idle' })).toBe('');
    expect(saveText({ kind: 'saving' })).toBe('Saving…');
    expect(saveText({ kind: 'saved' })).toBe('Saved');
    expect(saveText({ kind: 'failed', message: 'Disk full.' })).toBe('Not saved');
    expect(failureOf({ kind: 'failed', message: 'Disk full.' })).toBe('Disk full.');
    expect(failureOf({ kind: 'saved' })).toBeNull();
    expect(failureOf(undefined)).toBeNull();
  });
});
