import { describe, expect, it } from 'vitest';
import { failureOf, idle, perform, refusal, saveRow, saveText, type RowSave } from './act';

describe('perform', () => {
  it('reports the notice after the reload, and clears what an earlier change left', async () => {
    const state = { ...idle(), errors: { reason: 'old' } };
    const order: string[] = [];
    const ok = await perform(
      state,
      async () => {
        expect(state.busy).toBe(true);
        order.push('work');
        return 'Saved.';
      },
      () => {
        order.push('after');
      },
    );
    expect(ok).toBe(true);
    expect(order).toEqual(['work', 'after']);
    expect(state).toEqual({ busy: false, notice: 'Saved.', errors: {}, failure: null });
  });

  it('puts a refusal about one field beside it, and any other refusal with its missing items', async () => {
    const state = idle();
    let reloaded = false;
    const fieldError = { code: 'invalid_input', message: 'Say why.', field: 'reason', missing: [] };
    expect(await perform(state, () => Promise.reject(fieldError), () => void (reloaded = true))).toBe(false);
    expect(state.errors).toEqual({ reason: 'Say why.' });
    expect(reloaded).toBe(false);
    const gate = { code: 'gate_blocked', message: 'Cannot be approved yet.', field: null, missing: ['Measures'] };
    await perform(state, () => Promise.reject(gate), () => {});
    expect(state.errors).toEqual({});
    expect(state.failure?.missing).toEqual(['Measures']);
    expect(state.busy).toBe(false);
  });
});

describe('perform with routes', () => {
  const reject = (e: unknown) => () => Promise.reject(e);
  const fieldError = (field: string) => ({ code: 'invalid_input', message: `Check ${field}.`, field, missing: [] });

  it('shows a refusal about a field the screen does not show as the failure, so it is not lost', async () => {
    const state = idle();
    await perform(state, reject(fieldError('owner')), () => {}, { fields: ['reason'] });
    expect(state.errors).toEqual({});
    expect(state.failure?.message).toBe('Check owner.');
    await perform(state, reject(fieldError('reason')), () => {}, { fields: ['reason'] });
    expect(state.errors).toEqual({ reason: 'Check reason.' });
    expect(state.failure).toBeNull();
  });

  it('hands a field error to the screen, which may keep it in its own map or decline it', async () => {
    const state = idle();
    const mine: Record<string, string> = {};
    const fields = (field: string, message: string) => field === 'statement' && ((mine[field] = message), true);
    await perform(state, reject(fieldError('statement')), () => {}, { fields });
    expect(mine).toEqual({ statement: 'Check statement.' });
    expect(state.errors).toEqual({});
    expect(state.failure).toBeNull();
    await perform(state, reject(fieldError('stage')), () => {}, { fields });
    expect(state.failure?.message).toBe('Check stage.');
    expect(state.busy).toBe(false);
  });

  it('asks the confirmation question instead of failing, only when the screen can ask it', async () => {
    const question = { code: 'confirmation_required', message: 'Awareness before detection?', field: 'aware_at', missing: [] };
    const asked: string[] = [];
    const state = idle();
    expect(await perform(state, reject(question), () => {}, { confirm: (q) => asked.push(q) })).toBe(false);
    expect(asked).toEqual(['Awareness before detection?']);
    expect(state.failure).toBeNull();
    expect(state.errors).toEqual({});
    await perform(state, reject(question), () => {});
    expect(state.failure?.code).toBe('confirmation_required');
  });

  it('keeps a gate refusal whole, with every missing item, and clears the busy flag', async () => {
    const state = idle();
    const gate = { code: 'gate_blocked', message: 'Cannot close yet.', field: null, missing: ['Postmortem', 'Re-enable'] };
    await perform(state, reject(gate), () => {}, { fields: [] });
    expect(state.failure?.message).toBe('Cannot close yet.');
    expect(state.failure?.missing).toEqual(['Postmortem', 'Re-enable']);
    expect(state.busy).toBe(false);
  });

  it('shows the notice only once the reload is done, and none when the reload fails', async () => {
    const state = idle();
    const ok = await perform(
      state,
      async () => 'Saved.',
      () => Promise.reject(new Error('The list could not be read.')),
    );
    expect(ok).toBe(false);
    expect(state.notice).toBeNull();
    expect(state.failure?.message).toBe('The list could not be read.');
  });
});

describe('refusal', () => {
  it('is a failure without a field or missing items, so it shows in the general area', () => {
    const r = refusal('Please correct the fields marked below.');
    expect(r.message).toBe('Please correct the fields marked below.');
    expect(r.field).toBeNull();
    expect(r.missing).toEqual([]);
  });
});

describe('row saves', () => {
  it('words each save state', () => {
    expect(saveText({ kind: 'idle' })).toBe('');
    expect(saveText({ kind: 'saving' })).toBe('Saving…');
    expect(saveText({ kind: 'saved' })).toBe('Saved');
    expect(saveText({ kind: 'failed', message: 'Disk full.' })).toBe('Not saved');
    expect(failureOf({ kind: 'failed', message: 'Disk full.' })).toBe('Disk full.');
    expect(failureOf({ kind: 'saved' })).toBeNull();
    expect(failureOf(undefined)).toBeNull();
  });

  it('marks the row saving, then saved before telling the page', async () => {
    const rows: Record<string, RowSave> = {};
    const seen: string[] = [];
    const ok = await saveRow(
      rows,
      'webhooks',
      async () => void seen.push(rows.webhooks.kind),
      () => void seen.push(rows.webhooks.kind),
    );
    expect(ok).toBe(true);
    expect(seen).toEqual(['saving', 'saved']);
  });

  it('says why a row was not saved, leaves the other rows alone and does not tell the page', async () => {
    const rows: Record<string, RowSave> = { queues: { kind: 'saved' } };
    let told = false;
    const ok = await saveRow(
      rows,
      'webhooks',
      () => Promise.reject({ code: 'storage', message: 'Disk full.', field: null, missing: [] }),
      () => void (told = true),
    );
    expect(ok).toBe(false);
    expect(rows).toEqual({ queues: { kind: 'saved' }, webhooks: { kind: 'failed', message: 'Disk full.' } });
    expect(told).toBe(false);
  });
});
