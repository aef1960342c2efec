// The communication matrix in plain words: where each message stands, what each button needs first, and the
// checks the screen makes before it asks the backend.

import type { Communication } from './bindings/Communication';
import type { CommunicationView } from './bindings/CommunicationView';
import type { EditCommunication } from './bindings/EditCommunication';
import { formatInstant, requireTime } from './time';

export type MessageStage = 'none' | 'drafted' | 'approved' | 'sent';

export function messageStage(view: CommunicationView): MessageStage {
  const c = view.communication;
  if (c === null) return 'none';
  if (c.status === 'sent') return 'sent';
  if (c.status === 'approved') return 'approved';
  return c.message.trim() === '' ? 'none' : 'drafted';
}

export const STAGE_LABELS: Record<MessageStage, string> = {
  none: 'Not drafted',
  drafted: 'Drafted',
  approved: 'Approved',
  sent: 'Sent',
};

/** One line per step reached: "Approved by Ana Ruiz, 2026-03-29 14:05 CEST", "Sent 2026-03-29 15:00 CEST by email". */
export function progressLines(c: Communication | null, zone: string): string[] {
  if (c === null) return [];
  const lines: string[] = [];
  if (c.approved_by) {
    const when = c.approved_at ? `, ${formatInstant(c.approved_at, zone)}` : '';
    lines.push(`Approved by ${c.approved_by}${when}`);
  }
  if (c.sent_at) {
    const via = c.sent_via ? ` by ${c.sent_via}` : '';
    lines.push(`Sent ${formatInstant(c.sent_at, zone)}${via}`);
  }
  return lines;
}

/** Why "Draft from template" is not offered, or null when it is. */
export function draftRefusal(view: CommunicationView): string | null {
  const c = view.communication;
  if (c?.status === 'sent') return 'This message was sent; what was sent is kept as it is and cannot be redrafted.';
  if (c?.status === 'approved') {
    return `This message is approved by ${c.approved_by ?? 'a named person'}; redrafting it would discard what they approved. Edit the text instead (it then needs approval again).`;
  }
  return null;
}

/** Why "Approve" is not possible now, or null. */
export function approveRefusal(view: CommunicationView, unsaved: boolean): string | null {
  const stage = messageStage(view);
  if (stage === 'sent') return 'This message was already sent.';
  if (stage === 'approved') return 'This message is already approved.';
  if (stage === 'none') return 'Draft the message first: there is nothing to approve yet.';
  if (unsaved) return 'Save your changes to the text first: the approval is for the text as saved.';
  return null;
}

/** Why "Mark sent" is disabled, or null. */
export function sendRefusal(view: CommunicationView): string | null {
  const stage = messageStage(view);
  if (stage === 'sent') return 'This message is already marked sent.';
  if (stage !== 'approved') return 'A message can be marked sent only after a named person has approved it.';
  return null;
}

/** The warning shown before saving a changed text of an approved message, or null. */
export function editWarning(view: CommunicationView, text: string): string | null {
  const c = view.communication;
  if (c === null || c.status !== 'approved' || text.trim() === c.message.trim()) return null;
  return `This message was approved by ${c.approved_by ?? 'a named person'}. Saving the changed text sends it back to drafted, and it needs approval again before it can be sent.`;
}

/** Whether the text in the editor differs from what is stored. */
export function textChanged(view: CommunicationView, text: string): boolean {
  return text.trim() !== (view.communication?.message ?? '').trim();
}

export type RequiredCheck = { ok: true; reason: string | null } | { ok: false; message: string };

/**
 * Checks a person's decision on whether an audience must be told. Marking an audience not required always needs
 * a reason; marking it required needs one only when the record does not already say so.
 */
export function checkRequired(view: CommunicationView, required: boolean, reason: string): RequiredCheck {
  const r = reason.trim();
  if (r !== '') return { ok: true, reason: r };
  if (!required) return { ok: false, message: `Say why ${view.label} need not be told.` };
  if (!view.derived_required) {
    return { ok: false, message: `Say why ${view.label} must be told: the record does not show it.` };
  }
  return { ok: true, reason: null };
}

/** What the editor holds for one message: its text, when to tell and who owns it. */
export interface MessageDraft {
  text: string;
  whenToTell: string;
  owner: string;
}

/** Whether the editor holds anything not yet saved. */
export function draftUnsaved(view: CommunicationView, d: MessageDraft): boolean {
  return (
    textChanged(view, d.text) ||
    d.whenToTell.trim() !== view.when_to_tell.trim() ||
    d.owner.trim() !== (view.communication?.owner ?? '').trim()
  );
}

/** The edit that saves the editor: only what changed is sent, so an untouched field keeps its stored value. */
export function draftChanges(view: CommunicationView, d: MessageDraft): EditCommunication {
  return {
    required: null,
    required_because: null,
    when_to_tell: d.whenToTell.trim() !== view.when_to_tell.trim() ? d.whenToTell : null,
    message: textChanged(view, d.text) ? d.text : null,
    owner: d.owner.trim() !== (view.communication?.owner ?? '').trim() ? d.owner : null,
  };
}

export type SentCheck = { ok: true; utc: string } | { ok: false; errors: Record<string, string> };

/** Checks "Mark sent" before it is sent: when (in the user's zone) and how, each refused beside its own field. */
export function checkSent(sentAt: string, via: string, zone: string): SentCheck {
  const at = requireTime(sentAt, zone, 'Enter when the message was sent.');
  const errors: Record<string, string> = {};
  if (!at.ok) errors.sent_at = at.message;
  if (via.trim() === '') errors.via = 'Say how it was sent (email, call, status page…).';
  if (!at.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, utc: at.utc };
}
