//! Re-enable: the eleven questions answered yes / no / owner-approved exception, and the staged sign-offs
//! (read-only → draft-only → human-approved writeback → limited production → normal) by named approvers, each with
//! a hash of the incident's state at signing. A decision to retire the workflow is recorded the same way.

use crate::audit::Entity;
use crate::record::Table;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    ReenableQuestion, "ReenableQuestion.ts" {
        PausedOrNarrowed => ("paused_or_narrowed", "Is the workflow paused or narrowed?"),
        AuditComplete => ("audit_complete", "Is the side-effect audit complete?"),
        RecordsCorrected => ("records_corrected", "Are the affected records corrected?"),
        RootCauseIdentified => ("root_cause_identified", "Is the root cause identified?"),
        ControlPatched => ("control_patched", "Is the failed control patched?"),
        PermissionsReduced => ("permissions_reduced", "Are permissions reduced?"),
        EvalsAdded => ("evals_added", "Are evals added for this failure?"),
        MonitoringUpdated => ("monitoring_updated", "Is monitoring updated?"),
        RunbookUpdated => ("runbook_updated", "Is the runbook updated?"),
        BusinessOwnerApproves => ("business_owner_approves", "Does the business owner approve?"),
        FirstRunMonitored => ("first_run_monitored", "Will a human monitor the first run?"),
    }
);

crate::choices!(
    ReenableAnswerValue, "ReenableAnswerValue.ts" {
        Yes => ("yes", "Yes"),
        No => ("no", "No"),
        Exception => ("exception", "Owner-approved exception"),
    }
);

crate::choices!(
    ReenableStage, "ReenableStage.ts" {
        ReadOnly => ("read_only", "Read-only"),
        DraftOnly => ("draft_only", "Draft-only"),
        HumanApprovedWriteback => ("human_approved_writeback", "Human-approved writeback"),
        LimitedProduction => ("limited_production", "Limited production"),
        Normal => ("normal", "Normal"),
        Retired => ("retired", "Retire the workflow"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE reenable_answers (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    question TEXT,
    answer TEXT,
    note TEXT
);
CREATE INDEX reenable_answers_incident ON reenable_answers (incident);
CREATE TABLE reenable_signoffs (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    stage TEXT,
    approver TEXT,
    statement TEXT,
    state_hash TEXT,
    signed_at TEXT,
    first_run_at TEXT
);
CREATE INDEX reenable_signoffs_incident ON reenable_signoffs (incident);
";

pub(crate) const ANSWERS: Table = Table {
    entity: Entity::ReenableAnswer,
    name: "reenable_answers",
    fields: &["incident", "question", "answer", "note"],
};

pub(crate) const SIGNOFFS: Table = Table {
    entity: Entity::ReenableSignoff,
    name: "reenable_signoffs",
    fields: &["incident", "stage", "approver", "statement", "state_hash", "signed_at", "first_run_at"],
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ReenableAnswer.ts")]
pub struct ReenableAnswer {
    pub id: String,
    pub incident: String,
    pub question: ReenableQuestion,
    pub answer: ReenableAnswerValue,
    #[serde(default)]
    pub note: String,
}

/// A named approver's sign-off of one stage (or of retiring the workflow).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ReenableSignoff.ts")]
pub struct ReenableSignoff {
    pub id: String,
    pub incident: String,
    pub stage: ReenableStage,
    pub approver: String,
    pub statement: String,
    /// SHA-256 over the incident's record and phase data at the moment of signing.
    pub state_hash: String,
    pub signed_at: DateTime<Utc>,
    /// When the first run at this stage was watched by a human.
    pub first_run_at: Option<DateTime<Utc>>,
}
