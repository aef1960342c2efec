// Typed wrappers of the postmortem commands (fields, timeline, remediation items).

import { call } from '../api';
import type { ControlType } from '../bindings/ControlType';
import type { Postmortem } from '../bindings/Postmortem';
import type { PostmortemView } from '../bindings/PostmortemView';
import type { RemediationItem } from '../bindings/RemediationItem';
import type { RemediationUpdate } from '../bindings/RemediationUpdate';
import type { TimelineEntry } from '../bindings/TimelineEntry';

export const view = (id: string): Promise<PostmortemView> => call('postmortem_view', { id });
export const save = (id: string, postmortem: Postmortem): Promise<Postmortem> =>
  call('postmortem_save', { id, postmortem });
export const addTimelineEntry = (id: string, at: string, text: string): Promise<TimelineEntry> =>
  call('timeline_add', { id, at, text });
export const addRemediation = (
  id: string,
  controlType: ControlType,
  description: string,
  owner: string,
  dueDate: string | null,
): Promise<RemediationItem> =>
  call('remediation_add', { id, control_type: controlType, description, owner, due_date: dueDate });
export const updateRemediation = (id: string, itemId: string, update: RemediationUpdate): Promise<RemediationItem> =>
  call('remediation_update', { id, item_id: itemId, update });
