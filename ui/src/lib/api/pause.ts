// Pause: pause actions, lifting them, first pauses suggested from the incident's types.

import { call } from '../api';
import type { Choice } from '../bindings/Choice';
import type { PauseAction } from '../bindings/PauseAction';
import type { PauseScope } from '../bindings/PauseScope';
import type { PauseSuggestion } from '../bindings/PauseSuggestion';

export const pauseScopes = (): Promise<Choice[]> => call('pause_scopes');
export const listPauses = (id: string): Promise<PauseAction[]> => call('list_pauses', { id });
export const pauseSuggestions = (id: string): Promise<PauseSuggestion[]> => call('pause_suggestions', { id });
/** Whether the latest assessment says the agent is still running and no pause is in force. */
export const pauseWarning = (id: string): Promise<boolean> => call('pause_warning', { id });
export const addPause = (
  id: string,
  scope: PauseScope,
  target: string,
  approvedBy: string,
  pausedAt: string | null,
): Promise<PauseAction> => call('add_pause', { id, scope, target, approved_by: approvedBy, paused_at: pausedAt });
export const liftPause = (
  id: string,
  pauseId: string,
  liftedBy: string,
  liftedAt: string | null,
): Promise<PauseAction> => call('lift_pause', { id, pause_id: pauseId, lifted_by: liftedBy, lifted_at: liftedAt });
