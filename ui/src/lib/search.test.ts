import { describe, expect, it } from 'vitest';
import type { SearchHit } from './bindings/SearchHit';
import { hitTarget, isSearchable, snippetParts } from './search';

function hit(over: Partial<SearchHit>): SearchHit {
  return {
    incident: 'AI-INC-2026-1203-001',
    incident_title: 'Refund bot',
    label: 'Tool call · email.send',
    step: null,
    step_kind: null,
    is_error: false,
    at: null,
    entity: null,
    row: null,
    field: null,
    phase: null,
    snippet: [],
    ...over,
  };
}

describe('hitTarget', () => {
  it('opens a step on the Investigation tab with the step selected', () => {
    expect(hitTarget(hit({ step: 42, step_kind: 'tool_call' }))).toEqual({ tab: 'investigation', step: 42 });
  });
  it('opens a record hit on its phase tab, and the record itself on the Record tab', () => {
    expect(hitTarget(hit({ entity: 'postmortem', phase: 'postmortem', field: 'root_cause' }))).toEqual({
      tab: 'postmortem',
      step: null,
    });
    expect(hitTarget(hit({ entity: 'incident', field: 'title' }))).toEqual({ tab: 'record', step: null });
    expect(hitTarget(hit({ entity: 'override', field: 'reason' }))).toEqual({ tab: 'record', step: null });
  });
});

describe('snippetParts', () => {
  it('keeps markup as text and shows hidden characters and line breaks', () => {
    const parts = snippetParts([
      { text: '<img src=x onerror=alert(1)>\n', hit: false },
      { text: 'exfil\u202e', hit: true },
      { text: '', hit: false },
    ]);
    expect(parts).toEqual([
      { text: '<img src=x onerror=alert(1)> ⏎ ', hit: false },
      { text: 'exfil\\u{202E}', hit: true },
    ]);
  });
});

describe('isSearchable', () => {
  it('needs more than spaces', () => {
    expect(isSearchable('  ')).toBe(false);
    expect(isSearchable(' refund ')).toBe(true);
  });
});
