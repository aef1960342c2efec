import { describe, expect, it } from 'vitest';
import { EMPTY, fieldLabel, formatHistoryValue, visibleEntries } from './history';
import { vocab } from './fixtures.test-util';

const fmt = (raw: string | null, field: string) => formatHistoryValue(raw, field, vocab, 'Europe/Berlin');

describe('history values', () => {
  it('shows JSON strings as text, and markup literally', () => {
    expect(fmt('"Refund bot"', 'title')).toBe('Refund bot');
    expect(fmt('"<img src=x onerror=alert(1)>"', 'title')).toBe('<img src=x onerror=alert(1)>');
  });
  it('leaves out the identity bookkeeping but keeps every change', () => {
    const fields = ['_created', 'id', 'created_at', 'title', 'status'].map((field) => ({ field }));
    expect(visibleEntries(fields).map((e) => e.field)).toEqual(['_created', 'title', 'status']);
  });
  it('shows null and empty as a dash', () => {
    expect(fmt(null, 'title')).toBe(EMPTY);
    expect(fmt('null', 'severity')).toBe(EMPTY);
    expect(fmt('[]', 'toolset')).toBe(EMPTY);
  });
  it('joins arrays and labels choice keys', () => {
    expect(fmt('["a","b"]', 'toolset')).toBe('a, b');
    expect(fmt('["personal_data","credentials"]', 'data_classes')).toBe('Personal data, Credentials');
    expect(fmt('"sev0"', 'severity')).toBe('SEV0 – critical');
    expect(fmt('"contained"', 'status')).toBe('Contained');
    expect(fmt('"unknown_key"', 'status')).toBe('unknown_key');
  });
  it('formats times in the zone', () => {
    expect(fmt('"2026-03-29T01:30:00Z"', 'detected_at')).toBe('2026-03-29 03:30 CEST');
  });
  it('formats incident types with their OWASP mapping', () => {
    expect(fmt('[{"kind":"prompt_injection","owasp_llm":"LLM01","owasp_agentic":null}]', 'incident_types')).toBe(
      'Prompt injection (LLM01)',
    );
  });
  it('falls back to the raw text when it is not JSON', () => {
    expect(fmt('not json', 'title')).toBe('not json');
  });
  it('labels fields and the creation marker', () => {
    expect(fieldLabel('_created', vocab)).toBe('Opened the incident');
    expect(fieldLabel('detected_at', vocab)).toBe('Detection time');
    expect(fieldLabel('mystery', vocab)).toBe('mystery');
  });
});
