// Where a backend failure is shown: next to a field, as a confirmation question, as a conflict with "Reload",
// or in the general error area. Decided by the error code (and field), never by the message text.

import type { ApiFailure } from './api';

export type Placement =
  | { kind: 'field'; field: string; message: string }
  | { kind: 'confirm'; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'general'; message: string; missing: string[] };

export function placeFailure(f: ApiFailure, knownFields: readonly string[]): Placement {
  switch (f.code) {
    case 'confirmation_required':
      return { kind: 'confirm', message: f.message };
    case 'conflict':
      return { kind: 'conflict', message: f.message };
    case 'invalid_input':
      if (f.field !== null && knownFields.includes(f.field)) {
        return { kind: 'field', field: f.field, message: f.message };
      }
      return { kind: 'general', message: f.message, missing: [] };
    default:
      // A refused status change (gate_blocked) carries the list of what is missing.
      return { kind: 'general', message: f.message, missing: f.missing };
  }
}
