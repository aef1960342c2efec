//! Side-effect audit and recovery: the affected-object table (what the agent read, changed, sent, created, deleted,
//! approved or triggered), each object's recovery action and completion log, and the audit questions.

use crate::audit::Entity;
use crate::record::Table;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    AgentAction, "AgentAction.ts" {
        Read => ("read", "Read"),
        Created => ("created", "Created"),
        Changed => ("changed", "Changed"),
        Sent => ("sent", "Sent"),
        Deleted => ("deleted", "Deleted"),
        Approved => ("approved", "Approved"),
        Triggered => ("triggered", "Triggered"),
    }
);

crate::choices!(
    RecoveryAction, "RecoveryAction.ts" {
        Correct => ("correct", "Correct"),
        RollBack => ("roll_back", "Roll back"),
        Merge => ("merge", "Merge"),
        Delete => ("delete", "Delete"),
        MarkInvalid => ("mark_invalid", "Mark invalid"),
        Regenerate => ("regenerate", "Regenerate"),
        Notify => ("notify", "Notify"),
        NoAction => ("none", "None needed"),
    }
);

crate::choices!(
    ObjectStatus, "ObjectStatus.ts" {
        Open => ("open", "Open"),
        InProgress => ("in_progress", "In progress"),
        Recovered => ("recovered", "Recovered"),
        NotNeeded => ("not_needed", "Not needed"),
    }
);

crate::choices!(
    /// The side-effect audit questions, answered as a checklist.
    AuditQuestion, "AuditQuestion.ts" {
        Trigger => ("trigger", "What triggered the run?"),
        Inputs => ("inputs", "Which inputs did it use?"),
        Freshness => ("freshness", "Were the inputs fresh?"),
        Prompts => ("prompts", "Which prompts and policies were in force?"),
        ModelCalls => ("model_calls", "Which model calls were made?"),
        Tools => ("tools", "Which tools did it call?"),
        Writes => ("writes", "What did it write?"),
        Sends => ("sends", "What did it send?"),
        Approvals => ("approvals", "Which approvals were given or skipped?"),
        Retries => ("retries", "Which retries happened?"),
        Downstream => ("downstream", "Which downstream automations ran?"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE affected_objects (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    system TEXT,
    object_type TEXT,
    object_id TEXT,
    action TEXT,
    occurred_at TEXT,
    evidence TEXT,
    recovery_action TEXT,
    recovery_owner TEXT,
    status TEXT,
    verified_by TEXT,
    verified_at TEXT
);
CREATE INDEX affected_objects_incident ON affected_objects (incident);
CREATE TABLE recovery_log (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    object TEXT,
    note TEXT,
    at TEXT,
    by TEXT
);
CREATE INDEX recovery_log_incident ON recovery_log (incident);
CREATE TABLE audit_answers (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    question TEXT,
    answer TEXT
);
CREATE INDEX audit_answers_incident ON audit_answers (incident);
";

pub(crate) const OBJECTS: Table = Table {
    entity: Entity::AffectedObject,
    name: "affected_objects",
    fields: &[
        "incident",
        "system",
        "object_type",
        "object_id",
        "action",
        "occurred_at",
        "evidence",
        "recovery_action",
        "recovery_owner",
        "status",
        "verified_by",
        "verified_at",
    ],
};

pub(crate) const RECOVERY_LOG: Table = Table {
    entity: Entity::RecoveryLogEntry,
    name: "recovery_log",
    fields: &["incident", "object", "note", "at", "by"],
};

pub(crate) const QUESTIONS: Table =
    Table { entity: Entity::AuditAnswer, name: "audit_answers", fields: &["incident", "question", "answer"] };

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "AffectedObject.ts")]
pub struct AffectedObject {
    pub id: String,
    pub incident: String,
    pub system: String,
    pub object_type: String,
    pub object_id: String,
    pub action: AgentAction,
    pub occurred_at: Option<DateTime<Utc>>,
    /// A reference to the evidence (file ID, log line, URL as text).
    #[serde(default)]
    pub evidence: String,
    pub recovery_action: Option<RecoveryAction>,
    #[serde(default)]
    pub recovery_owner: String,
    pub status: ObjectStatus,
    pub verified_by: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
}

/// One completion-log line of an object's recovery (append-only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "RecoveryLogEntry.ts")]
pub struct RecoveryLogEntry {
    pub id: String,
    pub incident: String,
    /// The affected object's ID.
    pub object: String,
    pub note: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "AuditAnswer.ts")]
pub struct AuditAnswer {
    pub id: String,
    pub incident: String,
    pub question: AuditQuestion,
    pub answer: String,
}
