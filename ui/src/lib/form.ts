// The incident form's model: what the inputs hold (text for times and lists), and conversion to and from the
// IncidentFields the backend takes. Pure functions.

import type { DataClass } from './bindings/DataClass';
import type { DetectedBy } from './bindings/DetectedBy';
import type { FieldChange } from './bindings/FieldChange';
import type { IncidentFields } from './bindings/IncidentFields';
import type { IncidentTypeTag } from './bindings/IncidentTypeTag';
import type { JsonValue } from './bindings/serde_json/JsonValue';
import type { Severity } from './bindings/Severity';
import type { Status } from './bindings/Status';
import { sameInstant, utcToWallText } from './time';

export interface IncidentForm {
  title: string;
  summary: string;
  status: Status;
  severity: Severity | '';
  detected_by: DetectedBy | '';
  /** As typed: `YYYY-MM-DD HH:MM` in the profile's zone, or RFC 3339. */
  detected_at: string;
  aware_at: string;
  workflow: string;
  agent: string;
  model: string;
  model_version: string;
  prompt_config_hash: string;
  /** Comma-separated. */
  toolset: string;
  affected_systems: string;
  commander: string;
  business_owner: string;
  technical_owner: string;
  data_classes: DataClass[];
  incident_types: IncidentTypeTag[];
  customer_impact: string;
  vendor_impact: string;
  employee_impact: string;
}

export type FieldName = keyof IncidentFields;

export const FIELD_NAMES: readonly FieldName[] = [
  'title',
  'status',
  'severity',
  'workflow',
  'agent',
  'model',
  'model_version',
  'prompt_config_hash',
  'toolset',
  'detected_by',
  'detected_at',
  'aware_at',
  'commander',
  'business_owner',
  'technical_owner',
  'affected_systems',
  'data_classes',
  'incident_types',
  'customer_impact',
  'vendor_impact',
  'employee_impact',
  'summary',
];

export function emptyForm(): IncidentForm {
  return {
    title: '',
    summary: '',
    status: 'investigating',
    severity: '',
    detected_by: '',
    detected_at: '',
    aware_at: '',
    workflow: '',
    agent: '',
    model: '',
    model_version: '',
    prompt_config_hash: '',
    toolset: '',
    affected_systems: '',
    commander: '',
    business_owner: '',
    technical_owner: '',
    data_classes: [],
    incident_types: [],
    customer_impact: '',
    vendor_impact: '',
    employee_impact: '',
  };
}

/** `a, b ,, c` → `['a', 'b', 'c']`, without duplicates. */
export function splitList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item !== '' && !out.includes(item)) out.push(item);
  }
  return out;
}

export function joinList(items: readonly string[]): string {
  return items.join(', ');
}

/** The form as loaded from a stored incident, with times shown in `zone`. */
export function formFromFields(f: IncidentFields, zone: string): IncidentForm {
  return {
    title: f.title,
    summary: f.summary,
    status: f.status,
    severity: f.severity ?? '',
    detected_by: f.detected_by ?? '',
    detected_at: f.detected_at ? utcToWallText(f.detected_at, zone) : '',
    aware_at: f.aware_at ? utcToWallText(f.aware_at, zone) : '',
    workflow: f.workflow,
    agent: f.agent,
    model: f.model,
    model_version: f.model_version,
    prompt_config_hash: f.prompt_config_hash,
    toolset: joinList(f.toolset),
    affected_systems: joinList(f.affected_systems),
    commander: f.commander,
    business_owner: f.business_owner,
    technical_owner: f.technical_owner,
    data_classes: [...f.data_classes],
    incident_types: f.incident_types.map((t) => ({ ...t })),
    customer_impact: f.customer_impact,
    vendor_impact: f.vendor_impact,
    employee_impact: f.employee_impact,
  };
}

/** Just the IncidentFields keys of a stored incident (drops id, uuid, created_at). */
export function fieldsOf(i: IncidentFields): IncidentFields {
  const out = {} as Record<FieldName, unknown>;
  for (const name of FIELD_NAMES) out[name] = i[name];
  return out as IncidentFields;
}

function equalValues(name: FieldName, a: unknown, b: unknown): boolean {
  if (name === 'detected_at' || name === 'aware_at') return sameInstant(a as string | null, b as string | null);
  if (typeof a === 'string' && typeof b === 'string') return a.trim() === b.trim();
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields that differ, each with `expected` = the value the form was loaded with. */
export function changedFields(original: IncidentFields, next: IncidentFields): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const name of FIELD_NAMES) {
    if (!equalValues(name, original[name], next[name])) {
      changes.push({ field: name, value: next[name] as JsonValue, expected: original[name] as JsonValue });
    }
  }
  return changes;
}
