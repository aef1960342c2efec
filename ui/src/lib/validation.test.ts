import { describe, expect, it } from 'vitest';
import { emptyForm, type IncidentForm } from './form';
import { currentErrors, errorSnapshot, validateForm } from './validation';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const Z = 'Europe/Berlin';
const form = (over: Partial<IncidentForm>): IncidentForm => ({ ...emptyForm(), title: 'Refund bot', ...over });

describe('validateForm', () => {
  it('requires a title', () => {
    const r = validateForm(form({ title: '   ' }), Z, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.title).toBeTruthy();
  });
  it('rejects a malformed time on the right field', () => {
    const r = validateForm(form({ detected_at: '1st of June' }), Z, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.detected_at).toContain('YYYY-MM-DD HH:MM');
      expect(r.errors.aware_at).toBeUndefined();
    }
  });
  it('rejects a time more than 5 minutes in the future but allows less', () => {
    // NOW is 14:00 in Berlin (CEST).
    const late = validateForm(form({ aware_at: '2026-06-01 14:06' }), Z, NOW);
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.errors.aware_at).toContain('future');
    expect(validateForm(form({ aware_at: '2026-06-01 14:04' }), Z, NOW).ok).toBe(true);
  });
  it('does not re-check an unchanged stored time for the future', () => {
    const original = validateForm(form({}), Z, NOW);
    if (!original.ok) throw new Error('unexpected');
    const stored = { ...original.fields, detected_at: '2026-06-01T13:00:00Z' };
    expect(validateForm(form({ detected_at: '2026-06-01 15:00' }), Z, NOW, stored).ok).toBe(true);
  });
  it('flags awareness before detection as needing confirmation', () => {
    const r = validateForm(form({ detected_at: '2026-05-31 10:00', aware_at: '2026-05-31 09:00' }), Z, NOW);
    expect(r.ok && r.earlyAwareness).toBe(true);
    const fine = validateForm(form({ detected_at: '2026-05-31 10:00', aware_at: '2026-05-31 11:00' }), Z, NOW);
    expect(fine.ok && fine.earlyAwareness).toBe(false);
  });
  it('turns valid input into IncidentFields with UTC times, trimmed text and split lists', () => {
    const r = validateForm(
      form({
        title: '  Refund bot paid twice ',
        severity: 'sev1',
        detected_at: '2026-05-31 10:00',
        toolset: 'stripe.refund, crm.lookup, , stripe.refund',
        affected_systems: ' billing ',
        data_classes: ['personal_data'],
      }),
      Z,
      NOW,
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.fields.title).toBe('Refund bot paid twice');
      expect(r.fields.severity).toBe('sev1');
      expect(r.fields.detected_by).toBeNull();
      expect(r.fields.detected_at).toBe('2026-05-31T08:00:00Z');
      expect(r.fields.aware_at).toBeNull();
      expect(r.fields.toolset).toEqual(['stripe.refund', 'crm.lookup']);
      expect(r.fields.affected_systems).toEqual(['billing']);
      expect(r.fields.data_classes).toEqual(['personal_data']);
      expect(r.earlyAwareness).toBe(false);
    }
  });
});

describe('errors next to fields', () => {
  it('stay until the field they are about is edited', () => {
    const form = { title: '', summary: 'x' };
    const errors = { title: 'Give the incident a short title.' };
    const snap = errorSnapshot(errors, form);
    expect(currentErrors(errors, form, snap)).toEqual(errors);
    expect(currentErrors(errors, { ...form, summary: 'changed' }, snap)).toEqual(errors);
    expect(currentErrors(errors, { ...form, title: 'Refund bot' }, snap)).toEqual({});
  });
});
