// Typed wrappers of the evidence commands (src-tauri/src/commands/evidence.rs).

import { call } from '../api';
import type { CustodyEvent } from '../bindings/CustodyEvent';
import type { EvidenceChoices } from '../bindings/EvidenceChoices';
import type { EvidenceFile } from '../bindings/EvidenceFile';
import type { EvidenceItem } from '../bindings/EvidenceItem';
import type { EvidenceKind } from '../bindings/EvidenceKind';
import type { EvidenceKindState } from '../bindings/EvidenceKindState';
import type { EvidenceStatus } from '../bindings/EvidenceStatus';
import type { FileCheck } from '../bindings/FileCheck';

export const evidenceChoices = (): Promise<EvidenceChoices> => call('evidence_choices');
export const evidenceItems = (id: string): Promise<EvidenceKindState[]> => call('evidence_items', { id });
export const evidenceFiles = (id: string): Promise<EvidenceFile[]> => call('evidence_files', { id });
export const evidenceCustody = (id: string): Promise<CustodyEvent[]> => call('evidence_custody', { id });
export const setEvidenceStatus = (
  id: string,
  kind: EvidenceKind,
  status: EvidenceStatus,
  reason: string,
): Promise<EvidenceItem> => call('evidence_set_status', { id, kind, status, reason });
export const attachEvidence = (id: string, kind: EvidenceKind, path: string, note = ''): Promise<EvidenceFile> =>
  call('evidence_attach', { id, kind, path, note });
/** Resolves to the path written. */
export const exportEvidence = (id: string, fileId: string, dest: string): Promise<string> =>
  call('evidence_export', { id, file_id: fileId, dest });
export const reverifyEvidence = (id: string): Promise<FileCheck[]> => call('evidence_reverify', { id });
