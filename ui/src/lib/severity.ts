// The severity rubric on screen: the rule that a lower-than-suggested choice needs a reason, and the answer form's
// conversions. The suggestion itself comes from core (`suggest_severity`), where the rubric's rule lives; core
// re-checks everything on save.

import type { Severity } from './bindings/Severity';
import type { SeverityAssessment } from './bindings/SeverityAssessment';
import type { SeverityQuestion } from './bindings/SeverityQuestion';

/** Severity levels, most severe first. */
export const LEVELS: readonly Severity[] = ['sev0', 'sev1', 'sev2', 'sev3'];

/** An answer as the form holds it: yes, no, or not answered yet. */
export type Answer = 'yes' | 'no' | '';
export type AnswerForm = Record<string, Answer>;

/** 0 for Sev 0 (most severe) … 3 for Sev 3. */
export function rank(level: Severity): number {
  return LEVELS.indexOf(level);
}

/** "Sev 0" … "Sev 3". */
export function shortLevel(level: Severity): string {
  return `Sev ${rank(level)}`;
}

/** Whether `chosen` is less severe than `suggested` (an override that needs a written reason). */
export function isLower(chosen: Severity, suggested: Severity): boolean {
  return rank(chosen) > rank(suggested);
}

/** The reason problem to show next to the field, or null when the choice may be saved. */
export function reasonError(chosen: Severity, suggested: Severity, reason: string): string | null {
  if (!isLower(chosen, suggested) || reason.trim() !== '') return null;
  return `You chose ${shortLevel(chosen)}, lower than the suggested ${shortLevel(suggested)}. Write why: it is logged as an override.`;
}

/** The answered questions only, as core stores them. */
export function answersToMap(form: Readonly<AnswerForm>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(form)) {
    if (value === 'yes') out[key] = true;
    else if (value === 'no') out[key] = false;
  }
  return out;
}

/** A form with every question, prefilled from an earlier assessment (unanswered where it had no answer). */
export function formFromAssessment(
  questions: readonly SeverityQuestion[],
  latest: SeverityAssessment | null,
): AnswerForm {
  const form: AnswerForm = {};
  for (const q of questions) {
    const a = latest?.answers[q.key];
    form[q.key] = a === true ? 'yes' : a === false ? 'no' : '';
  }
  return form;
}

/** Assessments newest first (core returns them oldest first; of two at the same instant the later one leads). */
export function newestFirst(history: readonly SeverityAssessment[]): SeverityAssessment[] {
  return history
    .map((a, i) => ({ a, i }))
    .sort((x, y) => Date.parse(y.a.assessed_at) - Date.parse(x.a.assessed_at) || y.i - x.i)
    .map(({ a }) => a);
}

/** The question text for each triggering key, for "triggered by" lists; unknown keys shown as they are. */
export function triggerLabels(questions: readonly SeverityQuestion[], keys: readonly string[]): string[] {
  return keys.map((k) => questions.find((q) => q.key === k)?.question ?? k);
}

/** A block of the rubric as the screen asks it: a title, how its answers count, and its questions. */
export interface QuestionGroup {
  title: string;
  hint: string;
  items: SeverityQuestion[];
}

/** The rubric in three blocks: what sets a level, what raises it, and what only shapes the pause. */
export function questionGroups(questions: readonly SeverityQuestion[]): QuestionGroup[] {
  return [
    {
      title: 'What happened',
      hint: 'Each “yes” suggests a level. The most severe one counts.',
      items: questions.filter((q) => q.level !== null),
    },
    {
      title: 'What makes it worse',
      hint: 'A “yes” to either raises the suggestion one level (once).',
      items: questions.filter((q) => q.raises),
    },
    {
      title: 'For the pause',
      hint: 'These do not change the level; they tell you how broadly to pause.',
      items: questions.filter((q) => q.level === null && !q.raises),
    },
  ];
}
