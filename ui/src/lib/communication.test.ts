import { describe, expect, it } from 'vitest';
import type { Communication } from './bindings/Communication';
import type { CommunicationView } from './bindings/CommunicationView';
import {
  approveRefusal,
  checkRequired,
  checkSent,
  draftChanges,
  draftUnsaved,
  draftRefusal,
  editWarning,
  messageStage,
  progressLines,
  sendRefusal,
  textChanged,
} from './communication';

function comm(over: Partial<Communication> = {}): Communication {
  return {
    id: 'c1',
    incident: 'i1',
    audience: 'security',
    required: null,
    required_because: '',
    when_to_tell: 'now',
    message: 'Hello security',
    owner: 'Ana',
    status: 'drafted',
    approved_by: null,
    approved_at: null,
    sent_at: null,
    sent_via: null,
    ...over,
  };
}

function view(c: Communication | null, over: Partial<CommunicationView> = {}): CommunicationView {
  return {
    audience: 'security',
    label: 'Security',
    required: true,
    required_because: 'The data involved includes credentials.',
    decided: false,
    derived_required: true,
    derived_because: 'The data involved includes credentials.',
    when_to_tell: 'now',
    communication: c,
    ...over,
  };
}

describe('message stage', () => {
  it('is none without a row or with an empty draft', () => {
    expect(messageStage(view(null))).toBe('none');
    expect(messageStage(view(comm({ message: '  ' })))).toBe('none');
  });
  it('follows the status', () => {
    expect(messageStage(view(comm()))).toBe('drafted');
    expect(messageStage(view(comm({ status: 'approved' })))).toBe('approved');
    expect(messageStage(view(comm({ status: 'sent' })))).toBe('sent');
  });
});

describe('progress lines', () => {
  it('names the approver, the times in the zone and how it was sent', () => {
    const c = comm({
      status: 'sent',
      approved_by: 'Ana Ruiz',
      approved_at: '2026-03-29T12:05:00Z',
      sent_at: '2026-03-29T13:00:00Z',
      sent_via: 'email',
    });
    expect(progressLines(c, 'Europe/Madrid')).toEqual([
      'Approved by Ana Ruiz, 2026-03-29 14:05 CEST',
      'Sent 2026-03-29 15:00 CEST by email',
    ]);
    expect(progressLines(null, 'UTC')).toEqual([]);
  });
});

describe('refusals', () => {
  it('refuses to redraft approved and sent messages, with the reason', () => {
    expect(draftRefusal(view(comm()))).toBeNull();
    expect(draftRefusal(view(null))).toBeNull();
    expect(draftRefusal(view(comm({ status: 'approved', approved_by: 'Ana' })))).toContain('approved by Ana');
    expect(draftRefusal(view(comm({ status: 'sent' })))).toContain('sent');
  });
  it('approves only a saved draft', () => {
    expect(approveRefusal(view(null), false)).toContain('Draft the message first');
    expect(approveRefusal(view(comm()), true)).toContain('Save your changes');
    expect(approveRefusal(view(comm()), false)).toBeNull();
    expect(approveRefusal(view(comm({ status: 'approved' })), false)).toContain('already approved');
  });
  it('marks sent only after approval', () => {
    expect(sendRefusal(view(comm()))).toContain('only after');
    expect(sendRefusal(view(null))).toContain('only after');
    expect(sendRefusal(view(comm({ status: 'approved' })))).toBeNull();
    expect(sendRefusal(view(comm({ status: 'sent' })))).toContain('already');
  });
});

describe('editing an approved message', () => {
  it('warns only when the text of an approved message changes', () => {
    const approved = view(comm({ status: 'approved', approved_by: 'Ana' }));
    expect(editWarning(approved, 'Hello security')).toBeNull();
    expect(editWarning(approved, 'Hello security  ')).toBeNull();
    expect(editWarning(approved, 'Hello, security')).toContain('back to drafted');
    expect(editWarning(view(comm()), 'changed')).toBeNull();
  });
  it('notices unsaved text', () => {
    expect(textChanged(view(comm()), 'Hello security')).toBe(false);
    expect(textChanged(view(comm()), 'Other')).toBe(true);
    expect(textChanged(view(null), '')).toBe(false);
  });
});

describe('required decision', () => {
  it('needs a reason to mark an audience not required', () => {
    expect(checkRequired(view(comm()), false, ' ')).toEqual({ ok: false, message: 'Say why Security need not be told.' });
    expect(checkRequired(view(comm()), false, ' Told in person ')).toEqual({ ok: true, reason: 'Told in person' });
  });
  it('needs a reason to require an audience the record does not', () => {
    const notDerived = view(null, { derived_required: false, required: false });
    expect(checkRequired(notDerived, true, '')).toMatchObject({ ok: false });
    expect(checkRequired(view(null), true, '')).toEqual({ ok: true, reason: null });
  });
});

describe('saving the editor', () => {
  const stored = { text: 'Hello security', whenToTell: 'now', owner: 'Ana' };
  it('sees nothing unsaved in what is stored, whitespace aside', () => {
    expect(draftUnsaved(view(comm()), stored)).toBe(false);
    expect(draftUnsaved(view(comm()), { ...stored, owner: ' Ana ' })).toBe(false);
    expect(draftUnsaved(view(comm()), { ...stored, whenToTell: 'tomorrow' })).toBe(true);
    expect(draftUnsaved(view(null), { text: '', whenToTell: 'now', owner: '' })).toBe(false);
  });
  it('sends only what changed', () => {
    expect(draftChanges(view(comm()), { ...stored, owner: 'Ben' })).toEqual({
      required: null,
      required_because: null,
      when_to_tell: null,
      message: null,
      owner: 'Ben',
    });
    expect(draftChanges(view(comm()), { ...stored, text: 'Hi' })).toMatchObject({ message: 'Hi', owner: null });
  });
});

describe('marking sent', () => {
  it('needs when and how, each beside its field', () => {
    expect(checkSent('', ' ', 'UTC')).toEqual({
      ok: false,
      errors: { sent_at: 'Enter when the message was sent.', via: 'Say how it was sent (email, call, status page…).' },
    });
    const unreadable = checkSent('not a time', 'email', 'UTC');
    expect(unreadable).toMatchObject({ ok: false, errors: { sent_at: expect.any(String) } });
  });
  it('gives the instant in UTC', () => {
    expect(checkSent('2026-03-29 14:05', 'email', 'UTC')).toEqual({ ok: true, utc: '2026-03-29T14:05:00Z' });
  });
});
