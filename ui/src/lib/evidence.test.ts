import { describe, expect, it } from 'vitest';
import type { FileCheck } from './bindings/FileCheck';
import type { FileCheckStatus } from './bindings/FileCheckStatus';
import { checksByFile, summarise, summaryText } from './evidence';

function check(id: string, status: FileCheckStatus): FileCheck {
  return {
    file: {
      id,
      incident: 'i',
      kind: 'run_record',
      sha256: 'a'.repeat(64),
      size: 10,
      original_name: `${id}.json`,
      collected_by: 'Ana',
      collected_at: '2026-01-01T00:00:00Z',
      note: '',
    },
    status,
    found_sha256: status === 'missing' ? null : 'b'.repeat(64),
  };
}

describe('re-verification summary', () => {
  it('counts each outcome and finds a file by ID', () => {
    const checks = [check('a', 'unchanged'), check('b', 'changed'), check('c', 'missing'), check('d', 'unchanged')];
    expect(summarise(checks)).toEqual({ unchanged: 2, changed: 1, missing: 1 });
    expect(checksByFile(checks).get('b')?.status).toBe('changed');
  });

  it('says all is well, or names what is wrong', () => {
    expect(summaryText({ unchanged: 3, changed: 0, missing: 0 })).toBe('All 3 files match their SHA-256.');
    expect(summaryText({ unchanged: 1, changed: 0, missing: 0 })).toBe('The file matches its SHA-256.');
    expect(summaryText({ unchanged: 1, changed: 1, missing: 2 })).toMatch(/^1 changed and 2 missing of 4 files\./);
    expect(summaryText({ unchanged: 0, changed: 0, missing: 0 })).toMatch(/no files/);
  });
});
