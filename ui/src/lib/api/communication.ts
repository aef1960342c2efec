// Typed wrappers of the communication-matrix commands.

import { call } from '../api';
import type { Audience } from '../bindings/Audience';
import type { Communication } from '../bindings/Communication';
import type { CommunicationEdit } from '../bindings/CommunicationEdit';
import type { CommunicationView } from '../bindings/CommunicationView';
import type { EditCommunication } from '../bindings/EditCommunication';

export const matrix = (id: string): Promise<CommunicationView[]> => call('comms_matrix', { id });
export const draft = (id: string, audience: Audience): Promise<Communication> =>
  call('comms_draft', { id, audience });
export const edit = (id: string, audience: Audience, changes: EditCommunication): Promise<CommunicationEdit> =>
  call('comms_edit', { id, audience, changes });
export const approve = (id: string, audience: Audience, approver: string): Promise<Communication> =>
  call('comms_approve', { id, audience, approver });
export const markSent = (id: string, audience: Audience, sentAt: string, via: string): Promise<Communication> =>
  call('comms_mark_sent', { id, audience, sent_at: sentAt, via });
