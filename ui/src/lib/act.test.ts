import { describe, expect, it } from 'vitest';
import { idle, perform } from './act';

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
