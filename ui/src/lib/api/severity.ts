// Severity: the rubric, assessments and their history.

import { call } from '../api';
import type { Severity } from '../bindings/Severity';
import type { SeverityAssessment } from '../bindings/SeverityAssessment';
import type { SeverityQuestion } from '../bindings/SeverityQuestion';
import type { SeveritySuggestion } from '../bindings/SeveritySuggestion';

export const severityQuestions = (): Promise<SeverityQuestion[]> => call('severity_questions');
export const severityHistory = (id: string): Promise<SeverityAssessment[]> => call('severity_history', { id });
export const assessSeverity = (
  id: string,
  answers: Record<string, boolean>,
  chosen: Severity | null,
  reason: string | null,
): Promise<SeverityAssessment> => call('assess_severity', { id, answers, chosen, reason });
export const suggestSeverity = (answers: Record<string, boolean>): Promise<SeveritySuggestion> =>
  call('suggest_severity', { answers });
