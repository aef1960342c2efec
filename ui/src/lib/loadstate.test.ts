import { describe, expect, it } from 'vitest';
import { read, unread } from './loadstate';

describe('read', () => {
  it('is loading until the first answer, and clears an earlier error when trying again', async () => {
    const state = { ...unread(), error: 'The disk was busy.' };
    expect(unread().loading).toBe(true);
    let during: boolean | null = null;
    let errorDuring: string | null = 'unset';
    const ok = await read(state, async () => {
      during = state.loading;
      errorDuring = state.error;
    });
    expect(ok).toBe(true);
    expect(during).toBe(true);
    expect(errorDuring).toBeNull();
    expect(state).toEqual({ loading: false, error: null });
  });

  it('keeps why it could not be read, in words, and stops loading', async () => {
    const state = unread();
    const ok = await read(state, () =>
      Promise.reject({ code: 'not_found', message: 'No incident AI-INC-1.', field: null, missing: [] }),
    );
    expect(ok).toBe(false);
    expect(state).toEqual({ loading: false, error: 'No incident AI-INC-1.' });
    await read(state, () => Promise.reject(new Error('IPC closed')));
    expect(state.error).toBe('IPC closed');
  });
});
