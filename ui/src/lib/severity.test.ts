import { describe, expect, it } from 'vitest';
import type { Severity } from './bindings/Severity';
import type { SeverityAssessment } from './bindings/SeverityAssessment';
import type { SeverityQuestion } from './bindings/SeverityQuestion';
import {
  answersToMap,
  formFromAssessment,
  isLower,
  newestFirst,
  questionGroups,
  reasonError,
  shortLevel,
  triggerLabels,
} from './severity';

// The rubric as core's `severity::questions()` returns it (keys, levels, raisers, in the order asked).
function q(key: string, level: Severity | null, raises = false): SeverityQuestion {
  return { key, question: `Q ${key}?`, explanation: '', effect: '', level, raises };
}
const RUBRIC: SeverityQuestion[] = [
  q('material_harm', 'sev0'),
  q('external_communication_wrong', 'sev1'),
  q('sensitive_data_exposed', 'sev1'),
  q('unauthorized_production_write', 'sev1'),
  q('high_volume_bad_action', 'sev1'),
  q('prompt_injection_unresolved', 'sev1'),
  q('internal_records_wrong', 'sev2'),
  q('quality_drop_limited', 'sev2'),
  q('single_failed_run', 'sev3'),
  q('sensitive_domain', null, true),
  q('irreversible', null, true),
  q('still_running', null),
  q('root_cause_unknown', null),
  q('could_repeat', null),
];


describe('lower than suggested needs a reason', () => {
  it('orders levels by severity', () => {
    expect(isLower('sev2', 'sev1')).toBe(true);
    expect(isLower('sev3', 'sev0')).toBe(true);
    expect(isLower('sev1', 'sev1')).toBe(false);
    expect(isLower('sev0', 'sev2')).toBe(false);
  });
  it('asks for a reason only when the choice is lower and the reason is blank', () => {
    expect(reasonError('sev2', 'sev1', '')).toMatch(/Sev 2, lower than the suggested Sev 1/);
    expect(reasonError('sev2', 'sev1', '   ')).not.toBeNull();
    expect(reasonError('sev2', 'sev1', 'Only test data was touched')).toBeNull();
    expect(reasonError('sev1', 'sev1', '')).toBeNull();
    expect(reasonError('sev0', 'sev1', '')).toBeNull();
  });
});

function assessment(over: Partial<SeverityAssessment>): SeverityAssessment {
  return {
    id: 'a',
    incident: 'u',
    answers: {},
    suggested: 'sev3',
    triggered_by: [],
    chosen: 'sev3',
    reason: null,
    assessed_by: 'Ana',
    assessed_at: '2026-01-01T10:00:00Z',
    ...over,
  };
}

describe('answer form', () => {
  it('prefills from the latest assessment, leaving unanswered questions empty', () => {
    const form = formFromAssessment(RUBRIC, assessment({ answers: { material_harm: false, irreversible: true } }));
    expect(form.material_harm).toBe('no');
    expect(form.irreversible).toBe('yes');
    expect(form.still_running).toBe('');
    expect(Object.keys(form)).toHaveLength(RUBRIC.length);
    expect(Object.values(formFromAssessment(RUBRIC, null)).every((v) => v === '')).toBe(true);
  });
  it('sends only answered questions', () => {
    expect(answersToMap({ material_harm: 'no', irreversible: 'yes', still_running: '' })).toEqual({
      material_harm: false,
      irreversible: true,
    });
  });
});

describe('history and labels', () => {
  it('lists newest first, later entry first at equal times', () => {
    const h = [
      assessment({ id: '1', assessed_at: '2026-01-01T10:00:00Z' }),
      assessment({ id: '2', assessed_at: '2026-01-02T10:00:00Z' }),
      assessment({ id: '3', assessed_at: '2026-01-02T10:00:00Z' }),
    ];
    expect(newestFirst(h).map((a) => a.id)).toEqual(['3', '2', '1']);
  });
  it('names levels and triggers in plain words', () => {
    expect(shortLevel('sev0')).toBe('Sev 0');
    expect(triggerLabels(RUBRIC, ['material_harm', 'gone'])).toEqual(['Q material_harm?', 'gone']);
  });
});

describe('question groups', () => {
  it('puts each question in one block: level setters, raisers, then the pause-only ones', () => {
    const groups = questionGroups(RUBRIC);
    expect(groups.map((g) => g.title)).toEqual(['What happened', 'What makes it worse', 'For the pause']);
    expect(groups[0].items.map((x) => x.key)).toEqual(RUBRIC.slice(0, 9).map((x) => x.key));
    expect(groups[1].items.map((x) => x.key)).toEqual(['sensitive_domain', 'irreversible']);
    expect(groups[2].items.map((x) => x.key)).toEqual(['still_running', 'root_cause_unknown', 'could_repeat']);
  });
});
