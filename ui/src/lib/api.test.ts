import { describe, expect, it } from 'vitest';
import { ApiFailure, toFailure } from './api';

describe('toFailure', () => {
  it('keeps the backend code, field and missing list', () => {
    const f = toFailure({ code: 'invalid_input', message: 'Title is required.', field: 'title', missing: [] });
    expect(f).toBeInstanceOf(ApiFailure);
    expect(f.code).toBe('invalid_input');
    expect(f.field).toBe('title');
    expect(f.message).toBe('Title is required.');
  });
  it('turns anything else into an io failure with its text', () => {
    const f = toFailure('command not found');
    expect(f.code).toBe('io');
    expect(f.message).toBe('command not found');
    expect(toFailure({ code: 'bogus', message: 'x' }).code).toBe('io');
  });
});
