// Containment playbooks for the incident's types, and ticking their steps.

import { call } from '../api';
import type { PlaybookStepState } from '../bindings/PlaybookStepState';
import type { PlaybookView } from '../bindings/PlaybookView';

export const listPlaybooks = (id: string): Promise<PlaybookView[]> => call('list_playbooks', { id });
export const tickPlaybookStep = (
  id: string,
  playbook: string,
  step: string,
  done: boolean,
  note: string | null,
): Promise<PlaybookStepState> => call('tick_playbook_step', { id, playbook, step, done, note });
