import { describe, expect, it } from 'vitest';
import { changedFields, fieldsOf, formFromFields, splitList } from './form';
import { incident } from './fixtures.test-util';
import { validateForm } from './validation';

describe('form model', () => {
  const stored = fieldsOf(
    incident({
      title: 'Refund bot',
      severity: 'sev2',
      detected_at: '2026-03-29T00:30:00Z',
      toolset: ['a', 'b'],
      business_owner: 'Dana',
    }),
  );

  it('keeps only IncidentFields keys', () => {
    expect(Object.keys(stored)).not.toContain('id');
    expect(Object.keys(stored)).toContain('summary');
  });
  it('loads times as wall text in the zone and lists as comma text', () => {
    const form = formFromFields(stored, 'Europe/Berlin');
    expect(form.detected_at).toBe('2026-03-29 01:30');
    expect(form.toolset).toBe('a, b');
    expect(form.severity).toBe('sev2');
  });
  it('an untouched form has no changes (times compared as instants)', () => {
    const form = formFromFields(stored, 'Europe/Berlin');
    const v = validateForm(form, 'Europe/Berlin', Date.parse('2026-06-01T00:00:00Z'), stored);
    if (!v.ok) throw new Error('should validate');
    expect(changedFields(stored, v.fields)).toEqual([]);
  });
  it('sends only changed fields, each with the loaded value as expected', () => {
    const form = { ...formFromFields(stored, 'Europe/Berlin'), severity: 'sev0' as const, business_owner: '' };
    const v = validateForm(form, 'Europe/Berlin', Date.parse('2026-06-01T00:00:00Z'), stored);
    if (!v.ok) throw new Error('should validate');
    expect(changedFields(stored, v.fields)).toEqual([
      { field: 'severity', value: 'sev0', expected: 'sev2' },
      { field: 'business_owner', value: '', expected: 'Dana' },
    ]);
  });
  it('splits comma lists', () => {
    expect(splitList(' x,y , ,x ')).toEqual(['x', 'y']);
    expect(splitList('')).toEqual([]);
  });
});
