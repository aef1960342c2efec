// Typed wrappers of the re-enable commands (questions, staged sign-offs, first monitored run, retiring).

import { call } from '../api';
import type { ReenableAnswer } from '../bindings/ReenableAnswer';
import type { ReenableAnswerValue } from '../bindings/ReenableAnswerValue';
import type { ReenableQuestion } from '../bindings/ReenableQuestion';
import type { ReenableSignoff } from '../bindings/ReenableSignoff';
import type { ReenableStage } from '../bindings/ReenableStage';
import type { ReenableView } from '../bindings/ReenableView';

export const view = (id: string): Promise<ReenableView> => call('reenable_view', { id });
export const answer = (
  id: string,
  question: ReenableQuestion,
  value: ReenableAnswerValue,
  note: string,
): Promise<ReenableAnswer> => call('reenable_answer', { id, question, answer: value, note });
export const signoff = (
  id: string,
  stage: ReenableStage,
  approver: string,
  statement: string,
): Promise<ReenableSignoff> => call('reenable_signoff', { id, stage, approver, statement });
export const recordFirstRun = (id: string, signoffId: string, at: string): Promise<ReenableSignoff> =>
  call('reenable_first_run', { id, signoff_id: signoffId, at });
