import { describe, expect, it } from 'vitest';
import type { PlaybookStepState } from './bindings/PlaybookStepState';
import type { PlaybookView } from './bindings/PlaybookView';
import { progressText, tickedText, withState } from './playbook';

function state(over: Partial<PlaybookStepState> = {}): PlaybookStepState {
  return {
    id: 's',
    incident: 'u',
    playbook: 'pi',
    step: 'b',
    done: true,
    done_by: 'Ana',
    done_at: '2026-03-10T09:00:00Z',
    note: '',
    ...over,
  };
}

const view: PlaybookView = {
  playbook: {
    id: 'pi',
    title: 'Prompt injection',
    applies_to: ['prompt_injection'],
    customized: false,
    steps: [
      { key: 'a', text: 'A', why: '' },
      { key: 'b', text: 'B', why: '' },
    ],
  },
  steps: [
    { step: { key: 'a', text: 'A', why: '' }, state: null },
    { step: { key: 'b', text: 'B', why: '' }, state: null },
  ],
};

describe('playbook steps', () => {
  it('says who ticked a step and when; nothing for unticked steps', () => {
    expect(tickedText(state(), 'UTC')).toBe('Done by Ana at 2026-03-10 09:00 UTC');
    expect(tickedText(state({ done: false, done_by: null, done_at: null }), 'UTC')).toBe('');
    expect(tickedText(null, 'UTC')).toBe('');
  });
  it('replaces one step state and counts progress', () => {
    expect(progressText(view)).toBe('0 of 2 steps done');
    const next = withState(view, state());
    expect(progressText(next)).toBe('1 of 2 steps done');
    expect(next.steps[1].state?.done_by).toBe('Ana');
    expect(withState(view, state({ playbook: 'other' }))).toBe(view);
  });
});
