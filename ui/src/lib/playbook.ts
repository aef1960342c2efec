// The playbooks screen's logic: who ticked a step and when, and a playbook's progress.

import type { PlaybookStepState } from './bindings/PlaybookStepState';
import type { PlaybookView } from './bindings/PlaybookView';
import { formatInstant } from './time';

/** "Done by Ana at 2026-01-01 10:00 CET" for a ticked step; empty otherwise. */
export function tickedText(state: PlaybookStepState | null, zone: string): string {
  if (!state?.done) return '';
  const by = state.done_by ? ` by ${state.done_by}` : '';
  const at = state.done_at ? ` at ${formatInstant(state.done_at, zone)}` : '';
  return `Done${by}${at}`;
}

/** "2 of 5 steps done". */
export function progressText(view: PlaybookView): string {
  const done = view.steps.filter((s) => s.state?.done).length;
  return `${done} of ${view.steps.length} steps done`;
}

/** The view with one step's state replaced by what core returned. */
export function withState(view: PlaybookView, state: PlaybookStepState): PlaybookView {
  if (view.playbook.id !== state.playbook) return view;
  return { ...view, steps: view.steps.map((s) => (s.step.key === state.step ? { ...s, state } : s)) };
}
