// Plain-words display of audit entries. Values arrive as canonical JSON text (or null). Everything returned is
// plain text for text nodes — never HTML.

import type { Choice } from './bindings/Choice';
import type { Vocabulary } from './bindings/Vocabulary';
import { formatInstant } from './time';

export const CREATED_FIELD = '_created';
export const EMPTY = '—';

/** The record's identity, written once at creation; the "Opened the incident" row already names it. */
const IDENTITY_FIELDS = new Set(['id', 'created_at']);

/** The entries a person reads in the History tab: every change, without the identity bookkeeping. */
export function visibleEntries<T extends { field: string }>(entries: readonly T[]): T[] {
  return entries.filter((e) => !IDENTITY_FIELDS.has(e.field));
}

const TIME_FIELDS = new Set(['detected_at', 'aware_at', 'created_at']);

function choices(vocab: Vocabulary, field: string): Choice[] | null {
  switch (field) {
    case 'status':
      return vocab.statuses;
    case 'severity':
      return vocab.severities;
    case 'detected_by':
      return vocab.detected_by;
    case 'data_classes':
      return vocab.data_classes;
    default:
      return null;
  }
}

export function labelOf(list: readonly Choice[], key: string): string {
  return list.find((c) => c.key === key)?.label ?? key;
}

/** The label of a field for the History table; the creation marker reads "Opened the incident". */
export function fieldLabel(field: string, vocab: Vocabulary): string {
  if (field === CREATED_FIELD) return 'Opened the incident';
  return labelOf(vocab.field_labels, field);
}

function parse(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function formatTag(tag: Record<string, unknown>, vocab: Vocabulary): string {
  const kind = typeof tag.kind === 'string' ? labelOf(vocab.incident_types, tag.kind) : JSON.stringify(tag);
  const owasp = [tag.owasp_llm, tag.owasp_agentic].filter((x): x is string => typeof x === 'string');
  return owasp.length > 0 ? `${kind} (${owasp.join(', ')})` : kind;
}

function formatScalar(v: unknown, field: string, vocab: Vocabulary, zone: string): string {
  if (v === null || v === undefined) return EMPTY;
  if (typeof v === 'string') {
    if (v === '') return EMPTY;
    if (TIME_FIELDS.has(field)) return formatInstant(v, zone);
    const list = choices(vocab, field);
    return list ? labelOf(list, v) : v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isRecord(v) && field === 'incident_types') return formatTag(v, vocab);
  return JSON.stringify(v);
}

/**
 * One old or new value of an audit entry as text: JSON strings as text, times in `zone`, choice keys as their
 * labels, lists joined with ", ". Text that is not JSON is shown as it is.
 */
export function formatHistoryValue(raw: string | null, field: string, vocab: Vocabulary, zone: string): string {
  if (raw === null) return EMPTY;
  const parsed = parse(raw);
  if (!parsed.ok) return raw === '' ? EMPTY : raw;
  const v = parsed.value;
  if (Array.isArray(v)) {
    if (v.length === 0) return EMPTY;
    return v.map((item) => formatScalar(item, field, vocab, zone)).join(', ');
  }
  return formatScalar(v, field, vocab, zone);
}
