// Re-enable logic: the stage stepper, what blocks the next sign-off, and the answer checks.

import type { Choice } from './bindings/Choice';
import type { ReenableAnswerValue } from './bindings/ReenableAnswerValue';
import type { ReenableSignoff } from './bindings/ReenableSignoff';
import type { ReenableView } from './bindings/ReenableView';
import { requireTime, type RequiredTime } from './time';

export type StepState = 'signed' | 'next' | 'later' | 'stopped';

export interface Step {
  key: string;
  label: string;
  state: StepState;
  signoff: ReenableSignoff | null;
}

/** The short form of a state hash shown beside a sign-off (the full one is in the title). */
export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

export function retirement(view: ReenableView): ReenableSignoff | null {
  return view.signoffs.find((s) => s.stage === 'retired') ?? null;
}

/**
 * The five stages in order: signed (with the sign-off), the next one to sign, later ones, or — once the workflow
 * was retired — stopped.
 */
export function steps(stages: readonly Choice[], signoffs: readonly ReenableSignoff[], next: string | null): Step[] {
  const retired = signoffs.some((s) => s.stage === 'retired');
  return stages.map((s) => {
    const signoff = signoffs.find((x) => x.stage === s.key) ?? null;
    const state: StepState = signoff ? 'signed' : retired ? 'stopped' : s.key === next ? 'next' : 'later';
    return { key: s.key, label: s.label, state, signoff };
  });
}

/** What the sign-off form says instead of signing, or null when the next stage can be signed. */
export function signoffBlock(view: ReenableView): { message: string; missing: string[] } | null {
  if (retirement(view)) return { message: 'The workflow was retired: there is no stage to sign.', missing: [] };
  if (view.next_stage === null) {
    return { message: 'All stages are signed: the workflow runs normally again.', missing: [] };
  }
  if (view.open.length > 0) {
    return {
      message: 'A stage can be signed only when every question is answered Yes or Owner-approved exception. Still open:',
      missing: view.open,
    };
  }
  return null;
}

/** Checks an answer before it is saved: an exception needs a note naming the owner who approved it. */
export function answerProblem(value: ReenableAnswerValue, note: string): string | null {
  if (value === 'exception' && note.trim() === '') {
    return 'Write a note naming the owner who approved this exception and why, then save.';
  }
  return null;
}

export type SignoffCheck = { ok: true } | { ok: false; errors: Record<string, string> };

export function checkSignoff(approver: string, statement: string): SignoffCheck {
  const errors: Record<string, string> = {};
  if (approver.trim() === '') errors.approver = 'Pick the named person who approves.';
  if (statement.trim() === '') errors.statement = 'Write what they approve, at what scope, and on what grounds.';
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true };
}

/** Checks when the first monitored run was watched, typed in the user's zone. */
export function checkFirstRun(text: string, zone: string): RequiredTime {
  return requireTime(text, zone, 'Enter when the first run was watched.');
}

/** How a part of the screen sends a change: the screen runs it, reloads and tells the page; `fields` puts a refusal
 *  about one field beside it and says whether it could. Resolves to whether the change went through. */
export type Run = (
  work: () => Promise<unknown>,
  fields: (field: string, message: string) => boolean,
) => Promise<boolean>;
