// Typed wrappers of the side-effect audit and recovery commands (src-tauri/src/commands/affected.rs).

import { call } from '../api';
import type { AffectedChoices } from '../bindings/AffectedChoices';
import type { AffectedObject } from '../bindings/AffectedObject';
import type { AuditAnswer } from '../bindings/AuditAnswer';
import type { AuditQuestion } from '../bindings/AuditQuestion';
import type { ImportReport } from '../bindings/ImportReport';
import type { NewAffectedObject } from '../bindings/NewAffectedObject';
import type { ObjectChanges } from '../bindings/ObjectChanges';
import type { ObjectCounts } from '../bindings/ObjectCounts';
import type { ObjectPage } from '../bindings/ObjectPage';
import type { ObjectQuery } from '../bindings/ObjectQuery';
import type { QuestionAnswer } from '../bindings/QuestionAnswer';
import type { RecoveryLogEntry } from '../bindings/RecoveryLogEntry';

export const affectedChoices = (): Promise<AffectedChoices> => call('affected_choices');
export const listAffected = (id: string, query: ObjectQuery): Promise<ObjectPage> =>
  call('affected_list', { id, query });
export const affectedCounts = (id: string): Promise<ObjectCounts> => call('affected_counts', { id });
export const addAffected = (id: string, object: NewAffectedObject): Promise<AffectedObject> =>
  call('affected_add', { id, object });
export const updateAffected = (id: string, object: string, changes: ObjectChanges): Promise<AffectedObject> =>
  call('affected_update', { id, object, changes });
export const importAffectedTsv = (id: string, text: string): Promise<ImportReport> =>
  call('affected_import_tsv', { id, text });
export const importAffectedCsv = (id: string, path: string): Promise<ImportReport> =>
  call('affected_import_csv', { id, path });
export const recoveryLog = (id: string, object: string): Promise<RecoveryLogEntry[]> =>
  call('recovery_log', { id, object });
export const addRecoveryLog = (id: string, object: string, note: string): Promise<RecoveryLogEntry> =>
  call('recovery_log_add', { id, object, note });
export const auditAnswers = (id: string): Promise<QuestionAnswer[]> => call('audit_answers', { id });
export const answerAuditQuestion = (id: string, question: AuditQuestion, answer: string): Promise<AuditAnswer> =>
  call('audit_answer', { id, question, answer });
