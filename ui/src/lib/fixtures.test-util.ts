import type { Incident } from './bindings/Incident';
import type { Notification } from './bindings/Notification';
import type { RegimeClocks } from './bindings/RegimeClocks';
import type { StageView } from './bindings/StageView';
import type { Vocabulary } from './bindings/Vocabulary';

export function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'AI-INC-2026-0101-001',
    uuid: '00000000-0000-7000-8000-000000000000',
    created_at: '2026-01-01T10:00:00Z',
    title: 'Untitled',
    status: 'investigating',
    severity: null,
    workflow: '',
    agent: '',
    model: '',
    model_version: '',
    prompt_config_hash: '',
    toolset: [],
    detected_by: null,
    detected_at: null,
    aware_at: null,
    commander: '',
    business_owner: '',
    technical_owner: '',
    affected_systems: [],
    data_classes: [],
    incident_types: [],
    customer_impact: '',
    vendor_impact: '',
    employee_impact: '',
    summary: '',
    ...over,
  };
}

export const vocab: Vocabulary = {
  statuses: [
    { key: 'investigating', label: 'Investigating' },
    { key: 'contained', label: 'Contained' },
    { key: 'closed', label: 'Closed' },
  ],
  severities: [
    { key: 'sev0', label: 'SEV0 – critical' },
    { key: 'sev1', label: 'SEV1 – high' },
  ],
  detected_by: [{ key: 'user_report', label: 'User report' }],
  data_classes: [
    { key: 'personal_data', label: 'Personal data' },
    { key: 'credentials', label: 'Credentials' },
  ],
  incident_types: [{ key: 'prompt_injection', label: 'Prompt injection' }],
  owasp_llm: [{ key: 'LLM01', label: 'LLM01 Prompt injection' }],
  owasp_agentic: [{ key: 'ASI01', label: 'ASI01 Agent goal hijack' }],
  owasp_suggestions: [{ incident_type: 'prompt_injection', owasp_llm: 'LLM01', owasp_agentic: 'ASI01' }],
  field_labels: [
    { key: 'title', label: 'Title' },
    { key: 'detected_at', label: 'Detection time' },
  ],
};

/** A draft notification; tests give what they test. */
export function notification(over: Partial<Notification> = {}): Notification {
  return {
    id: 'n1',
    incident: 'u1',
    regime: 'gdpr-art33',
    stage: 'notification',
    sequence: 1,
    content: {},
    delay_reasons: '',
    text: '',
    status: 'draft',
    approved_by: null,
    approved_at: null,
    submitted_at: null,
    submitted_by: null,
    channel: null,
    reference: null,
    text_hash: null,
    ...over,
  };
}

/** A stage with no clock running yet. */
export function stageView(over: Partial<StageView> = {}): StageView {
  return {
    stage: 'notification',
    rule: '',
    waits_for: null,
    computed_due: null,
    computed_due_date: null,
    due_override: null,
    due: null,
    due_user: null,
    due_authority: null,
    started_at: null,
    state: 'upcoming',
    submitted_at: null,
    content: [],
    notifications: [],
    working_day_note: null,
    ...over,
  };
}

/** An applicable, undecided regime. */
export function regimeClocks(over: Partial<RegimeClocks> = {}): RegimeClocks {
  return {
    regime: 'gdpr-art33',
    name: 'GDPR Art. 33',
    legal_reference: '',
    notifies: '',
    verified: true,
    notes: [],
    trigger_kinds: [],
    variants: [],
    suggestion: { suggested: true, reasons: [] },
    decision: null,
    applicable: true,
    confirmed: false,
    zone: 'UTC',
    triggers: [],
    stages: [],
    problem: null,
    ...over,
  };
}
