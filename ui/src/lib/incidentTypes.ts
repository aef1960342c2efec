// Incident types as the record holds them: a type with the OWASP entries it maps to.

import type { IncidentType } from './bindings/IncidentType';
import type { IncidentTypeTag } from './bindings/IncidentTypeTag';
import type { Vocabulary } from './bindings/Vocabulary';

/** The tag an incident type is added with: its OWASP mappings as the vocabulary suggests them (the record's editor
 *  adds types the same way). */
export function incidentTypeTag(vocab: Vocabulary, kind: IncidentType): IncidentTypeTag {
  const s = vocab.owasp_suggestions.find((x) => x.incident_type === kind);
  return { kind, owasp_llm: s?.owasp_llm ?? null, owasp_agentic: s?.owasp_agentic ?? null };
}
