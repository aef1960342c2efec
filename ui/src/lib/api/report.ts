// Typed wrappers of the document (PDF report) commands.

import { call, callWithChannel } from '../api';
import type { Classification } from '../bindings/Classification';
import type { DocumentCheck } from '../bindings/DocumentCheck';
import type { GeneratedReport } from '../bindings/GeneratedReport';
import type { ReportChoices } from '../bindings/ReportChoices';
import type { ReportRequest } from '../bindings/ReportRequest';
import type { ReportStep } from '../bindings/ReportStep';

export const choices = (): Promise<ReportChoices> => call('report_choices');
export const setDefaultClassification = (classification: Classification): Promise<Classification> =>
  call('set_default_classification', { classification });
/** Writes the document to `dest`; `onstep` hears where the generation stands (reading, laying out, writing, done). */
export const generate = (
  request: ReportRequest,
  dest: string,
  onstep: (step: ReportStep) => void,
): Promise<GeneratedReport> => callWithChannel('generate_report', { request, dest }, 'progress', onstep);
/** Whether the file at `path` is a document this database generated, and what changed since. */
export const check = (path: string): Promise<DocumentCheck> => call('check_report', { path });
/** Opens a generated document with the system's PDF viewer (refused for any other file). */
export const open = (path: string): Promise<void> => call('open_report', { path });
/** Shows a generated document in its folder (refused for any other file). */
export const reveal = (path: string): Promise<void> => call('reveal_report', { path });
