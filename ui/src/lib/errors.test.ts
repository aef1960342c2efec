import { describe, expect, it } from 'vitest';
import { ApiFailure } from './api';
import { placeFailure } from './errors';

const fail = (code: ApiFailure['code'], field: string | null = null) =>
  new ApiFailure({ code, message: `msg ${code}`, field, missing: [] });

describe('placeFailure', () => {
  const known = ['title', 'aware_at'];
  it('puts invalid input with a known field next to that field', () => {
    expect(placeFailure(fail('invalid_input', 'title'), known)).toEqual({
      kind: 'field',
      field: 'title',
      message: 'msg invalid_input',
    });
  });
  it('puts invalid input without a known field in the general area', () => {
    expect(placeFailure(fail('invalid_input', 'nonsense'), known).kind).toBe('general');
    expect(placeFailure(fail('invalid_input'), known).kind).toBe('general');
  });
  it('asks for confirmation and offers reload on conflict, by code', () => {
    expect(placeFailure(fail('confirmation_required', 'aware_at'), known).kind).toBe('confirm');
    expect(placeFailure(fail('conflict'), known).kind).toBe('conflict');
    expect(placeFailure(fail('storage'), known)).toEqual({ kind: 'general', message: 'msg storage', missing: [] });
  });
  it('lists what is missing when a status change is refused by a gate', () => {
    const blocked = new ApiFailure({ code: 'gate_blocked', message: 'cannot move', field: null, missing: ['Severity: Assess severity'] });
    expect(placeFailure(blocked, known)).toEqual({ kind: 'general', message: 'cannot move', missing: ['Severity: Assess severity'] });
  });
});
