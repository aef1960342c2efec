// Checks the incident form before anything is sent. The backend checks again; its errors are shown per field too.

import type { IncidentFields } from './bindings/IncidentFields';
import { splitList, type FieldName, type IncidentForm } from './form';
import { formatInstant, parseTimeInput, sameInstant } from './time';

/** How far in the future a time may be (clock differences between machines). */
export const CLOCK_SKEW_MS = 5 * 60_000;
export const TITLE_MAX = 200;

export type FieldErrors = Partial<Record<FieldName, string>>;

export type Validation =
  | { ok: true; fields: IncidentFields; earlyAwareness: boolean; notes: FieldErrors }
  | { ok: false; errors: FieldErrors };

/**
 * Turns the form into IncidentFields, or says what is wrong per field. `earlyAwareness` is true when the
 * awareness time is before the detection time, which needs the person's confirmation. `original` (when editing)
 * exempts unchanged times from the future check, as the backend does.
 */
export function validateForm(
  form: IncidentForm,
  zone: string,
  nowMs: number,
  original?: IncidentFields,
): Validation {
  const errors: FieldErrors = {};
  const notes: FieldErrors = {};
  const title = form.title.trim();
  if (title === '') errors.title = 'Give the incident a short title, e.g. "Refund bot paid out twice".';
  else if (title.length > TITLE_MAX) errors.title = `Keep the title under ${TITLE_MAX} characters.`;

  const times: Partial<Record<'detected_at' | 'aware_at', string | null>> = {};
  for (const name of ['detected_at', 'aware_at'] as const) {
    const parsed = parseTimeInput(form[name], zone);
    if (!parsed.ok) {
      errors[name] = parsed.message;
      continue;
    }
    if (parsed.note) notes[name] = parsed.note;
    const unchanged = original !== undefined && sameInstant(original[name], parsed.utc);
    if (parsed.utc !== null && !unchanged && Date.parse(parsed.utc) > nowMs + CLOCK_SKEW_MS) {
      errors[name] =
        `${formatInstant(parsed.utc, zone)} is in the future. Enter when it actually happened.`;
      continue;
    }
    times[name] = parsed.utc;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const detected_at = times.detected_at ?? null;
  const aware_at = times.aware_at ?? null;
  const fields: IncidentFields = {
    title,
    status: form.status,
    severity: form.severity === '' ? null : form.severity,
    workflow: form.workflow.trim(),
    agent: form.agent.trim(),
    model: form.model.trim(),
    model_version: form.model_version.trim(),
    prompt_config_hash: form.prompt_config_hash.trim(),
    toolset: splitList(form.toolset),
    detected_by: form.detected_by === '' ? null : form.detected_by,
    detected_at,
    aware_at,
    commander: form.commander.trim(),
    business_owner: form.business_owner.trim(),
    technical_owner: form.technical_owner.trim(),
    affected_systems: splitList(form.affected_systems),
    data_classes: [...form.data_classes],
    incident_types: form.incident_types.map((t) => ({ ...t })),
    customer_impact: form.customer_impact.trim(),
    vendor_impact: form.vendor_impact.trim(),
    employee_impact: form.employee_impact.trim(),
    summary: form.summary.trim(),
  };
  const earlyAwareness =
    detected_at !== null && aware_at !== null && Date.parse(aware_at) < Date.parse(detected_at);
  return { ok: true, fields, earlyAwareness, notes };
}

/** The form's value of each field that has an error, captured when the errors were shown. */
export function errorSnapshot(errors: FieldErrors, form: object): Record<string, string> {
  const values = form as Record<string, unknown>;
  return Object.fromEntries(Object.keys(errors).map((k) => [k, JSON.stringify(values[k])]));
}

/** The errors still worth showing: an error disappears as soon as the user changes the field it is about. */
export function currentErrors(errors: FieldErrors, form: object, snapshot: Record<string, string>): FieldErrors {
  const values = form as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(errors).filter(([k]) => !(k in snapshot) || JSON.stringify(values[k]) === snapshot[k]),
  ) as FieldErrors;
}
