// The Findings panel's logic: the rules as a form (lists one entry per line) and back, a finding's text split into
// its plain and code parts (tool names come between backticks), and the incident types a finding points to that the
// record does not have yet. Everything here stays text: a finding quotes the trace, and a trace is hostile input.

import type { Finding } from './bindings/Finding';
import type { FindingRules } from './bindings/FindingRules';
import type { IncidentType } from './bindings/IncidentType';
import type { IncidentTypeTag } from './bindings/IncidentTypeTag';
import { oneLine } from './investigation';

export interface RulesForm {
  retry_calls: string;
  retry_minutes: string;
  spike_factor: string;
  allowed_destinations: string;
  approval_tools: string;
  approval_steps: string;
  admin_tools: string;
}

const LISTS = ['allowed_destinations', 'approval_tools', 'approval_steps', 'admin_tools'] as const;

export function rulesForm(r: FindingRules): RulesForm {
  return {
    retry_calls: String(r.retry_calls),
    retry_minutes: String(r.retry_minutes),
    spike_factor: String(r.spike_factor),
    allowed_destinations: r.allowed_destinations.join('\n'),
    approval_tools: r.approval_tools.join('\n'),
    approval_steps: r.approval_steps.join('\n'),
    admin_tools: r.admin_tools.join('\n'),
  };
}

/** The form as rules, or what is wrong with each field that is not a number (the backend checks the ranges). */
export function toRules(f: RulesForm): { rules: FindingRules } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const whole = (field: 'retry_calls' | 'retry_minutes'): number => {
    const text = f[field].trim();
    if (!/^\d{1,7}$/.test(text)) errors[field] = 'Type a whole number.';
    return Number(text);
  };
  const retry_calls = whole('retry_calls');
  const retry_minutes = whole('retry_minutes');
  const factorText = f.spike_factor.trim();
  const spike_factor = Number(factorText);
  if (factorText === '' || !Number.isFinite(spike_factor)) errors.spike_factor = 'Type a number, such as 5 or 2.5.';
  if (Object.keys(errors).length > 0) return { errors };
  const lists = Object.fromEntries(
    LISTS.map((k) => [
      k,
      f[k]
        .split(/[\n,]/)
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    ]),
  ) as Pick<FindingRules, (typeof LISTS)[number]>;
  return { rules: { retry_calls, retry_minutes, spike_factor, ...lists } };
}

/** A finding's text as parts to show: odd parts were between backticks (a tool's name) and are shown as code. Each
 *  part is one line with control characters made visible. */
export function textParts(text: string): { text: string; code: boolean }[] {
  return text
    .split('`')
    .map((part, i) => ({ text: oneLine(part), code: i % 2 === 1 }))
    .filter((p) => p.text !== '');
}

/** A finding's text as one plain line, for a notice. */
export function plainText(text: string): string {
  return textParts(text)
    .map((p) => p.text)
    .join('');
}

/** The incident types a finding suggests that the record does not list yet. */
export function missingTypes(finding: Finding, types: IncidentTypeTag[]): IncidentType[] {
  return finding.suggests.filter((kind) => !types.some((t) => t.kind === kind));
}

/** The findings to act on and those set aside, each in the order the core gives (most telling first). */
export function split(findings: Finding[]): { open: Finding[]; dismissed: Finding[] } {
  return { open: findings.filter((f) => !f.dismissal), dismissed: findings.filter((f) => !!f.dismissal) };
}
