import { describe, expect, it } from 'vitest';
import type { ContainmentLine } from './bindings/ContainmentLine';
import { doneText, settledCount } from './containment';

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
});
