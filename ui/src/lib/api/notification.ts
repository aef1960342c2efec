// Typed wrappers of the regulatory-notification commands.

import { call } from '../api';
import type { ApplicabilityAnswers } from '../bindings/ApplicabilityAnswers';
import type { BreachEntry } from '../bindings/BreachEntry';
import type { DecisionInput } from '../bindings/DecisionInput';
import type { DueOverride } from '../bindings/DueOverride';
import type { IncidentClocks } from '../bindings/IncidentClocks';
import type { Notification } from '../bindings/Notification';
import type { NotificationChanges } from '../bindings/NotificationChanges';
import type { NotificationChoices } from '../bindings/NotificationChoices';
import type { NotificationEdit } from '../bindings/NotificationEdit';
import type { OpenClock } from '../bindings/OpenClock';
import type { RegimeDecision } from '../bindings/RegimeDecision';
import type { RegimeTrigger } from '../bindings/RegimeTrigger';
import type { SubmitInput } from '../bindings/SubmitInput';

export const choices = (): Promise<NotificationChoices> => call('notify_choices');
export const clocks = (id: string): Promise<IncidentClocks> => call('notify_clocks', { id });
export const openClocks = (): Promise<OpenClock[]> => call('open_clocks');
export const answer = (id: string, question: string, value: string): Promise<ApplicabilityAnswers> =>
  call('notify_answer', { id, question, value });
export const decide = (id: string, regime: string, input: DecisionInput): Promise<RegimeDecision> =>
  call('notify_decide', { id, regime, input });
export const setZone = (id: string, regime: string, zone: string, calendar: string): Promise<RegimeDecision> =>
  call('notify_zone', { id, regime, zone, calendar });
export const setTrigger = (
  id: string,
  regime: string,
  kind: string,
  at: string,
  decidedBy: string,
  note: string,
): Promise<RegimeTrigger> => call('notify_trigger', { id, regime, kind, at, decided_by: decidedBy, note });
export const overrideDue = (
  id: string,
  regime: string,
  stage: string,
  due: string | null,
  reason: string,
  decidedBy: string,
): Promise<DueOverride> => call('notify_override', { id, regime, stage, due, reason, decided_by: decidedBy });
export const start = (id: string, regime: string, stage: string): Promise<Notification> =>
  call('notify_start', { id, regime, stage });
export const edit = (notification: string, changes: NotificationChanges): Promise<NotificationEdit> =>
  call('notify_edit', { notification, changes });
export const approve = (notification: string, approver: string): Promise<Notification> =>
  call('notify_approve', { notification, approver });
export const submit = (notification: string, input: SubmitInput): Promise<Notification> =>
  call('notify_submit', { notification, input });
export const breachRegister = (): Promise<BreachEntry[]> => call('breach_register');
export const exportBreachRegister = (dest: string): Promise<string> => call('export_breach_register', { dest });
export const exportCalendar = (dest: string): Promise<string> => call('export_calendar', { dest });
