import { describe, expect, it } from 'vitest';
import type { Finding } from './bindings/Finding';
import type { FindingRules } from './bindings/FindingRules';
import { missingTypes, plainText, rulesForm, split, textParts, toRules } from './findings';

const RULES: FindingRules = {
  retry_calls: 5,
  retry_minutes: 10,
  spike_factor: 5,
  allowed_destinations: ['corp.example'],
  approval_tools: ['pay', 'refund'],
  approval_steps: ['approv'],
  admin_tools: [],
};

function finding(over: Partial<Finding>): Finding {
  return {
    key: 'failed_tool_calls:send_email',
    kind: 'failed_tool_calls',
    title: '`send_email` failed 5 times',
    detail: '',
    suggests: [],
    steps: [1],
    step_count: 1,
    first_at: null,
    last_at: null,
    dismissal: null,
    ...over,
  };
}

describe('the rules form', () => {
  it('round-trips the rules, a list one entry per line', () => {
    const form = rulesForm(RULES);
    expect(form.approval_tools).toBe('pay\nrefund');
    expect(toRules(form)).toEqual({ rules: RULES });
  });
  it('takes entries on lines or after commas, without blanks', () => {
    const form = { ...rulesForm(RULES), allowed_destinations: ' corp.example, api.example\n\n  mail.example ' };
    const parsed = toRules(form);
    expect('rules' in parsed && parsed.rules.allowed_destinations).toEqual(['corp.example', 'api.example', 'mail.example']);
  });
  it('refuses numbers it cannot read, beside their fields', () => {
    const parsed = toRules({ ...rulesForm(RULES), retry_calls: '5.5', retry_minutes: '', spike_factor: 'lots' });
    expect(parsed).toEqual({
      errors: {
        retry_calls: 'Type a whole number.',
        retry_minutes: 'Type a whole number.',
        spike_factor: 'Type a number, such as 5 or 2.5.',
      },
    });
  });
});

describe('textParts', () => {
  it('shows tool names between backticks as code and everything on one visible line', () => {
    expect(textParts('`send_email` failed\n<b>twice</b>')).toEqual([
      { text: 'send_email', code: true },
      { text: ' failed ⏎ <b>twice</b>', code: false },
    ]);
    expect(plainText('`send_email` failed')).toBe('send_email failed');
  });
});

describe('missingTypes and split', () => {
  it('offers only the suggested types the record does not have', () => {
    const f = finding({ suggests: ['external_send', 'sensitive_data_exposure'] });
    const types = [{ kind: 'external_send' as const, owasp_llm: null, owasp_agentic: null }];
    expect(missingTypes(f, types)).toEqual(['sensitive_data_exposure']);
  });
  it('sets dismissed findings apart, keeping the order', () => {
    const dismissal = {
      id: 'd',
      incident: 'i',
      finding: 'b',
      reason: 'known',
      dismissed_by: 'Dana',
      dismissed_at: '2026-12-04T10:00:00Z',
      restored_by: null,
      restored_at: null,
    };
    const [a, b, c] = [finding({ key: 'a' }), finding({ key: 'b', dismissal }), finding({ key: 'c' })];
    expect(split([a, b, c])).toEqual({ open: [a, c], dismissed: [b] });
  });
});
