// Generated from the command declarations in src-tauri/src/commands by `make bindings`; do not edit.
// One function per desktop command. A command that can fail rejects with an ApiFailure (lib/api.ts).

import { call, callWithChannel } from './api';
import type { Acceptance } from './bindings/Acceptance';
import type { AcceptedSideEffects } from './bindings/AcceptedSideEffects';
import type { AffectedChoices } from './bindings/AffectedChoices';
import type { AffectedObject } from './bindings/AffectedObject';
import type { AgentAction } from './bindings/AgentAction';
import type { ApplicabilityAnswers } from './bindings/ApplicabilityAnswers';
import type { Audience } from './bindings/Audience';
import type { AuditAnswer } from './bindings/AuditAnswer';
import type { AuditEntry } from './bindings/AuditEntry';
import type { AuditQuestion } from './bindings/AuditQuestion';
import type { BreachEntry } from './bindings/BreachEntry';
import type { CallClass } from './bindings/CallClass';
import type { Choice } from './bindings/Choice';
import type { Classification } from './bindings/Classification';
import type { Communication } from './bindings/Communication';
import type { CommunicationEdit } from './bindings/CommunicationEdit';
import type { CommunicationView } from './bindings/CommunicationView';
import type { ContainmentArea } from './bindings/ContainmentArea';
import type { ContainmentItem } from './bindings/ContainmentItem';
import type { ContainmentLine } from './bindings/ContainmentLine';
import type { ContainmentStatus } from './bindings/ContainmentStatus';
import type { ControlType } from './bindings/ControlType';
import type { CustodyEvent } from './bindings/CustodyEvent';
import type { DecisionInput } from './bindings/DecisionInput';
import type { DocumentCheck } from './bindings/DocumentCheck';
import type { DueOverride } from './bindings/DueOverride';
import type { EditCommunication } from './bindings/EditCommunication';
import type { EvidenceChoices } from './bindings/EvidenceChoices';
import type { EvidenceFile } from './bindings/EvidenceFile';
import type { EvidenceItem } from './bindings/EvidenceItem';
import type { EvidenceKind } from './bindings/EvidenceKind';
import type { EvidenceKindState } from './bindings/EvidenceKindState';
import type { EvidenceStatus } from './bindings/EvidenceStatus';
import type { FieldChange } from './bindings/FieldChange';
import type { FileCheck } from './bindings/FileCheck';
import type { FindingDismissal } from './bindings/FindingDismissal';
import type { FindingRules } from './bindings/FindingRules';
import type { Findings } from './bindings/Findings';
import type { Format } from './bindings/TraceFormat';
import type { GeneratedReport } from './bindings/GeneratedReport';
import type { Guidance } from './bindings/Guidance';
import type { ImportReport } from './bindings/ImportReport';
import type { Incident } from './bindings/Incident';
import type { IncidentClocks } from './bindings/IncidentClocks';
import type { IncidentFields } from './bindings/IncidentFields';
import type { NewAffectedObject } from './bindings/NewAffectedObject';
import type { Notification } from './bindings/Notification';
import type { NotificationChanges } from './bindings/NotificationChanges';
import type { NotificationChoices } from './bindings/NotificationChoices';
import type { NotificationEdit } from './bindings/NotificationEdit';
import type { ObjectChanges } from './bindings/ObjectChanges';
import type { ObjectCounts } from './bindings/ObjectCounts';
import type { ObjectPage } from './bindings/ObjectPage';
import type { ObjectQuery } from './bindings/ObjectQuery';
import type { OpenClock } from './bindings/OpenClock';
import type { PauseAction } from './bindings/PauseAction';
import type { PauseScope } from './bindings/PauseScope';
import type { PauseSuggestion } from './bindings/PauseSuggestion';
import type { Person } from './bindings/Person';
import type { PersonDetails } from './bindings/PersonDetails';
import type { PlaybookStepState } from './bindings/PlaybookStepState';
import type { PlaybookView } from './bindings/PlaybookView';
import type { Postmortem } from './bindings/Postmortem';
import type { PostmortemView } from './bindings/PostmortemView';
import type { Profile } from './bindings/Profile';
import type { QuestionAnswer } from './bindings/QuestionAnswer';
import type { RecoveryLogEntry } from './bindings/RecoveryLogEntry';
import type { ReenableAnswer } from './bindings/ReenableAnswer';
import type { ReenableAnswerValue } from './bindings/ReenableAnswerValue';
import type { ReenableQuestion } from './bindings/ReenableQuestion';
import type { ReenableSignoff } from './bindings/ReenableSignoff';
import type { ReenableStage } from './bindings/ReenableStage';
import type { ReenableView } from './bindings/ReenableView';
import type { RegimeDecision } from './bindings/RegimeDecision';
import type { RegimeTrigger } from './bindings/RegimeTrigger';
import type { RemediationItem } from './bindings/RemediationItem';
import type { RemediationUpdate } from './bindings/RemediationUpdate';
import type { ReportChoices } from './bindings/ReportChoices';
import type { ReportRequest } from './bindings/ReportRequest';
import type { ReportStep } from './bindings/ReportStep';
import type { SearchRequest } from './bindings/SearchRequest';
import type { SearchResults } from './bindings/SearchResults';
import type { Severity } from './bindings/Severity';
import type { SeverityAssessment } from './bindings/SeverityAssessment';
import type { SeverityQuestion } from './bindings/SeverityQuestion';
import type { SeveritySuggestion } from './bindings/SeveritySuggestion';
import type { SideEffectProposals } from './bindings/SideEffectProposals';
import type { Startup } from './bindings/Startup';
import type { Status } from './bindings/Status';
import type { StepFacets } from './bindings/StepFacets';
import type { StepFilter } from './bindings/StepFilter';
import type { StepOriginal } from './bindings/StepOriginal';
import type { StepPage } from './bindings/StepPage';
import type { StoredStep } from './bindings/StoredStep';
import type { SubmitInput } from './bindings/SubmitInput';
import type { TimelineEntry } from './bindings/TimelineEntry';
import type { ToolClass } from './bindings/ToolClass';
import type { TraceChoices } from './bindings/TraceChoices';
import type { TraceImport } from './bindings/TraceImport';
import type { TraceOverview } from './bindings/TraceOverview';
import type { VerifyProgress } from './bindings/VerifyProgress';
import type { VerifyReport } from './bindings/VerifyReport';
import type { Vocabulary } from './bindings/Vocabulary';

export const startup = (): Promise<Startup> => call('startup');

export const saveProfile = (profile: Profile): Promise<Profile> => call('save_profile', { profile });

export const timeZones = (): Promise<Array<string>> => call('time_zones');

export const vocabulary = (): Promise<Vocabulary> => call('vocabulary');

export const listPeople = (): Promise<Array<Person>> => call('list_people');

export const addPerson = (details: PersonDetails): Promise<Person> => call('add_person', { details });

export const updatePerson = (id: string, details: PersonDetails): Promise<Person> =>
  call('update_person', { id, details });

export const listIncidents = (): Promise<Array<Incident>> => call('list_incidents');

export const getIncident = (id: string): Promise<Incident> => call('get_incident', { id });

export const createIncident = (fields: IncidentFields, confirmEarlyAwareness: boolean): Promise<Incident> =>
  call('create_incident', { fields, confirm_early_awareness: confirmEarlyAwareness });

export const updateIncident = (
  id: string,
  changes: Array<FieldChange>,
  confirmEarlyAwareness: boolean,
): Promise<Incident> => call('update_incident', { id, changes, confirm_early_awareness: confirmEarlyAwareness });

export const incidentHistory = (id: string): Promise<Array<AuditEntry>> => call('incident_history', { id });

/** Verifies the whole trail, telling `progress` how far it has come (a long trail takes seconds). */
export const verifyIntegrity = (onProgress: (message: VerifyProgress) => void): Promise<VerifyReport> =>
  callWithChannel('verify_integrity', {}, 'progress', onProgress);

export const guidance = (id: string): Promise<Guidance> => call('guidance', { id });

export const setStatus = (id: string, status: Status, overrideReason: string | null): Promise<Incident> =>
  call('set_status', { id, status, override_reason: overrideReason });

export const severityQuestions = (): Promise<Array<SeverityQuestion>> => call('severity_questions');

export const severityHistory = (id: string): Promise<Array<SeverityAssessment>> => call('severity_history', { id });

export const assessSeverity = (
  id: string,
  answers: { [key in string]?: boolean },
  chosen: Severity | null,
  reason: string | null,
): Promise<SeverityAssessment> => call('assess_severity', { id, answers, chosen, reason });

/** The live suggestion while answers change; pure and instant, so it needs no database. */
export const suggestSeverity = (answers: { [key in string]?: boolean }): Promise<SeveritySuggestion> =>
  call('suggest_severity', { answers });

export const pauseScopes = (): Promise<Array<Choice>> => call('pause_scopes');

export const listPauses = (id: string): Promise<Array<PauseAction>> => call('list_pauses', { id });

export const pauseSuggestions = (id: string): Promise<Array<PauseSuggestion>> => call('pause_suggestions', { id });

/** Whether the latest assessment says the agent is still running and no pause is in force. */
export const pauseWarning = (id: string): Promise<boolean> => call('pause_warning', { id });

export const addPause = (
  id: string,
  scope: PauseScope,
  target: string,
  approvedBy: string,
  pausedAt: string | null,
): Promise<PauseAction> => call('add_pause', { id, scope, target, approved_by: approvedBy, paused_at: pausedAt });

export const liftPause = (
  id: string,
  pauseId: string,
  liftedBy: string,
  liftedAt: string | null,
): Promise<PauseAction> => call('lift_pause', { id, pause_id: pauseId, lifted_by: liftedBy, lifted_at: liftedAt });

export const containmentStatuses = (): Promise<Array<Choice>> => call('containment_statuses');

export const listContainment = (id: string): Promise<Array<ContainmentLine>> => call('list_containment', { id });

export const setContainment = (
  id: string,
  area: ContainmentArea,
  status: ContainmentStatus,
  note: string | null,
): Promise<ContainmentItem> => call('set_containment', { id, area, status, note });

export const listPlaybooks = (id: string): Promise<Array<PlaybookView>> => call('list_playbooks', { id });

export const tickPlaybookStep = (
  id: string,
  playbook: string,
  step: string,
  done: boolean,
  note: string | null,
): Promise<PlaybookStepState> => call('tick_playbook_step', { id, playbook, step, done, note });

export const evidenceChoices = (): Promise<EvidenceChoices> => call('evidence_choices');

export const evidenceItems = (id: string): Promise<Array<EvidenceKindState>> => call('evidence_items', { id });

export const evidenceFiles = (id: string): Promise<Array<EvidenceFile>> => call('evidence_files', { id });

export const evidenceCustody = (id: string): Promise<Array<CustodyEvent>> => call('evidence_custody', { id });

export const evidenceSetStatus = (
  id: string,
  kind: EvidenceKind,
  status: EvidenceStatus,
  reason: string,
): Promise<EvidenceItem> => call('evidence_set_status', { id, kind, status, reason });

export const evidenceAttach = (id: string, kind: EvidenceKind, path: string, note: string): Promise<EvidenceFile> =>
  call('evidence_attach', { id, kind, path, note });

/** Copies an evidence file to `dest` (logged in its custody trail); resolves to the path written. */
export const evidenceExport = (id: string, fileId: string, dest: string): Promise<string> =>
  call('evidence_export', { id, file_id: fileId, dest });

export const evidenceReverify = (id: string): Promise<Array<FileCheck>> => call('evidence_reverify', { id });

export const traceChoices = (): Promise<TraceChoices> => call('trace_choices');

/** Attaches `path` as tool-call-trace evidence and reads it into runs and steps, all or nothing. */
export const traceImport = (
  id: string,
  path: string,
  format: Format | null,
  skipInvalid: boolean,
): Promise<TraceImport> => call('trace_import', { id, path, format, skip_invalid: skipInvalid });

/** Reads an evidence file already attached to the incident as a trace. */
export const traceImportEvidence = (
  id: string,
  fileId: string,
  format: Format | null,
  skipInvalid: boolean,
): Promise<TraceImport> => call('trace_import_evidence', { id, file_id: fileId, format, skip_invalid: skipInvalid });

export const traceOverview = (id: string): Promise<TraceOverview> => call('trace_overview', { id });

export const traceFacets = (id: string): Promise<StepFacets> => call('trace_facets', { id });

export const traceSteps = (id: string, filter: StepFilter): Promise<StepPage> => call('trace_steps', { id, filter });

/** One step whole. Its number is a `u32` on the wire, which TypeScript holds exactly (an `i64` would be a bigint). */
export const traceStep = (id: string, step: number): Promise<StoredStep> => call('trace_step', { id, step });

/** The step as its evidence file holds it (its line, at most 64 KiB), read from the preserved copy. */
export const traceOriginal = (id: string, step: number): Promise<StepOriginal> => call('trace_original', { id, step });

/** The findings, computed now from the steps and the incident's rules. */
export const traceFindings = (id: string): Promise<Findings> => call('trace_findings', { id });

/** Steps by number, their texts cut as in a page: the steps behind a finding, which the finding already names,
 *  so they are read without judging the findings again. */
export const traceStepsById = (id: string, steps: Array<number>): Promise<Array<StoredStep>> =>
  call('trace_steps_by_id', { id, steps });

export const setFindingRules = (id: string, rules: FindingRules): Promise<FindingRules> =>
  call('set_finding_rules', { id, rules });

export const dismissFinding = (id: string, finding: string, reason: string): Promise<FindingDismissal> =>
  call('dismiss_finding', { id, finding, reason });

export const restoreFinding = (id: string, finding: string): Promise<FindingDismissal> =>
  call('restore_finding', { id, finding });

/** The write calls proposed as affected objects, and how each tool was classed. */
export const sideEffectProposals = (id: string): Promise<SideEffectProposals> => call('side_effect_proposals', { id });

/** Enters proposals in the side-effect audit, all or nothing. */
export const acceptSideEffects = (id: string, choice: Acceptance): Promise<AcceptedSideEffects> =>
  call('accept_side_effects', { id, choice });

/** Classes a tool for every incident; no class gives it back to the automatic judgement. */
export const setToolClass = (tool: string, chosen: CallClass | null, action: AgentAction | null): Promise<ToolClass> =>
  call('set_tool_class', { tool, chosen, action });

export const search = (request: SearchRequest): Promise<SearchResults> => call('search', { request });

export const affectedChoices = (): Promise<AffectedChoices> => call('affected_choices');

export const affectedList = (id: string, query: ObjectQuery): Promise<ObjectPage> =>
  call('affected_list', { id, query });

export const affectedCounts = (id: string): Promise<ObjectCounts> => call('affected_counts', { id });

export const affectedAdd = (id: string, object: NewAffectedObject): Promise<AffectedObject> =>
  call('affected_add', { id, object });

export const affectedUpdate = (id: string, object: string, changes: ObjectChanges): Promise<AffectedObject> =>
  call('affected_update', { id, object, changes });

/** Tab-separated text with a header row, as a spreadsheet puts it on the clipboard. */
export const affectedImportTsv = (id: string, text: string): Promise<ImportReport> =>
  call('affected_import_tsv', { id, text });

/** A CSV file the user picked. */
export const affectedImportCsv = (id: string, path: string): Promise<ImportReport> =>
  call('affected_import_csv', { id, path });

export const recoveryLog = (id: string, object: string): Promise<Array<RecoveryLogEntry>> =>
  call('recovery_log', { id, object });

export const recoveryLogAdd = (id: string, object: string, note: string): Promise<RecoveryLogEntry> =>
  call('recovery_log_add', { id, object, note });

export const sideEffectAnswers = (id: string): Promise<Array<QuestionAnswer>> => call('side_effect_answers', { id });

export const sideEffectAnswer = (id: string, question: AuditQuestion, answer: string): Promise<AuditAnswer> =>
  call('side_effect_answer', { id, question, answer });

export const communicationMatrix = (id: string): Promise<Array<CommunicationView>> =>
  call('communication_matrix', { id });

export const communicationDraft = (id: string, audience: Audience): Promise<Communication> =>
  call('communication_draft', { id, audience });

export const communicationEdit = (
  id: string,
  audience: Audience,
  changes: EditCommunication,
): Promise<CommunicationEdit> => call('communication_edit', { id, audience, changes });

export const communicationApprove = (id: string, audience: Audience, approver: string): Promise<Communication> =>
  call('communication_approve', { id, audience, approver });

export const communicationMarkSent = (
  id: string,
  audience: Audience,
  sentAt: string,
  via: string,
): Promise<Communication> => call('communication_mark_sent', { id, audience, sent_at: sentAt, via });

export const notificationChoices = (): Promise<NotificationChoices> => call('notification_choices');

export const notificationClocks = (id: string): Promise<IncidentClocks> => call('notification_clocks', { id });

export const openClocks = (): Promise<Array<OpenClock>> => call('open_clocks');

export const notificationAnswer = (id: string, question: string, value: string): Promise<ApplicabilityAnswers> =>
  call('notification_answer', { id, question, value });

export const notificationDecide = (id: string, regime: string, input: DecisionInput): Promise<RegimeDecision> =>
  call('notification_decide', { id, regime, input });

export const notificationZone = (id: string, regime: string, zone: string, calendar: string): Promise<RegimeDecision> =>
  call('notification_zone', { id, regime, zone, calendar });

export const notificationTrigger = (
  id: string,
  regime: string,
  kind: string,
  at: string,
  decidedBy: string,
  note: string,
): Promise<RegimeTrigger> => call('notification_trigger', { id, regime, kind, at, decided_by: decidedBy, note });

export const notificationOverride = (
  id: string,
  regime: string,
  stage: string,
  due: string | null,
  reason: string,
  decidedBy: string,
): Promise<DueOverride> => call('notification_override', { id, regime, stage, due, reason, decided_by: decidedBy });

export const notificationStart = (id: string, regime: string, stage: string): Promise<Notification> =>
  call('notification_start', { id, regime, stage });

export const notificationEdit = (notification: string, changes: NotificationChanges): Promise<NotificationEdit> =>
  call('notification_edit', { notification, changes });

export const notificationApprove = (notification: string, approver: string): Promise<Notification> =>
  call('notification_approve', { notification, approver });

export const notificationSubmit = (notification: string, input: SubmitInput): Promise<Notification> =>
  call('notification_submit', { notification, input });

export const breachRegister = (): Promise<Array<BreachEntry>> => call('breach_register');

/** Writes the breach register as CSV to `dest` (chosen in the save dialog); returns the path written. */
export const exportBreachRegister = (dest: string): Promise<string> => call('export_breach_register', { dest });

/** Writes every open deadline of every incident as an iCalendar file to `dest`; returns the path written. */
export const exportCalendar = (dest: string): Promise<string> => call('export_calendar', { dest });

export const postmortemView = (id: string): Promise<PostmortemView> => call('postmortem_view', { id });

export const postmortemSave = (id: string, postmortem: Postmortem): Promise<Postmortem> =>
  call('postmortem_save', { id, postmortem });

export const timelineAdd = (id: string, at: string, text: string): Promise<TimelineEntry> =>
  call('timeline_add', { id, at, text });

export const remediationAdd = (
  id: string,
  controlType: ControlType,
  description: string,
  owner: string,
  dueDate: string | null,
): Promise<RemediationItem> =>
  call('remediation_add', { id, control_type: controlType, description, owner, due_date: dueDate });

export const remediationUpdate = (id: string, itemId: string, update: RemediationUpdate): Promise<RemediationItem> =>
  call('remediation_update', { id, item_id: itemId, update });

export const reenableView = (id: string): Promise<ReenableView> => call('reenable_view', { id });

export const reenableAnswer = (
  id: string,
  question: ReenableQuestion,
  answer: ReenableAnswerValue,
  note: string,
): Promise<ReenableAnswer> => call('reenable_answer', { id, question, answer, note });

export const reenableSignoff = (
  id: string,
  stage: ReenableStage,
  approver: string,
  statement: string,
): Promise<ReenableSignoff> => call('reenable_signoff', { id, stage, approver, statement });

export const reenableFirstRun = (id: string, signoffId: string, at: string): Promise<ReenableSignoff> =>
  call('reenable_first_run', { id, signoff_id: signoffId, at });

export const reportChoices = (): Promise<ReportChoices> => call('report_choices');

export const setDefaultClassification = (classification: Classification): Promise<Classification> =>
  call('set_default_classification', { classification });

/** Writes the document to `dest` (chosen in the save dialog), telling `progress` where the generation stands
 *  (reading, laying out, writing, done). */
export const generateReport = (
  request: ReportRequest,
  dest: string,
  onProgress: (message: ReportStep) => void,
): Promise<GeneratedReport> => callWithChannel('generate_report', { request, dest }, 'progress', onProgress);

/** Whether the file at `path` is a document this database generated, and what changed since. */
export const checkReport = (path: string): Promise<DocumentCheck> => call('check_report', { path });

/** Opens a document with the system's PDF viewer. Only files this database generated are opened, so the window
 *  cannot use this to launch anything else. */
export const openReport = (path: string): Promise<void> => call('open_report', { path });

/** Shows a generated document in its folder. */
export const revealReport = (path: string): Promise<void> => call('reveal_report', { path });
