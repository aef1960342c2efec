import { describe, expect, it } from 'vitest';
import type { FileCheck } from './bindings/FileCheck';
import type { FileCheckStatus } from './bindings/FileCheckStatus';
import type { EvidenceKindState } from './bindings/EvidenceKindState';
import { afterReload, attachedText, checksByFile, summarise, summaryText } from './evidence';

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

describe('a reload', () => {
  const stored = (kind: EvidenceKindState['kind'], status: EvidenceKindState['status'], reason = ''): EvidenceKindState => ({
    kind,
    status,
    reason,
    files: 0,
    item: null,
  });

  it('keeps the drafts not saved yet with their typed reason, and shows the stored reason of the others', () => {
    const r = afterReload(
      [stored('run_record', 'not_applicable', 'none kept'), stored('connector_logs', 'required')],
      { run_record: 'not_applicable', connector_logs: 'not_applicable' },
      { run_record: 'typed', connector_logs: 'no connec' },
    );
    expect(r.drafts).toEqual({ connector_logs: 'not_applicable' });
    expect(r.reasons).toEqual({ run_record: 'none kept', connector_logs: 'no connec' });
  });
});

describe('attach text', () => {
  it('names what was attached, before any failure', () => {
    expect(attachedText(['a.json', 'b.log'], 'Tool-call trace', null)).toBe('Attached a.json, b.log to tool-call trace.');
    expect(attachedText(['a.json'], 'Tool-call trace', 'b.log: not found')).toBe('Attached a.json. b.log: not found');
    expect(attachedText([], 'Tool-call trace', 'not found')).toBe('not found');
  });
});
