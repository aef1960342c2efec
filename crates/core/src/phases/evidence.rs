//! Evidence: the ten kinds of evidence to preserve before cleanup, each required / preserved / not applicable, and
//! the files attached to them. Files are copied into a content-addressed folder (named by SHA-256) and never
//! modified; every attach, open, export and re-verification is a custody event.

use crate::audit::Entity;
use crate::record::Table;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    EvidenceKind, "EvidenceKind.ts" {
        RunRecord => ("run_record", "Run record"),
        PromptVersion => ("prompt_version", "Prompt / instruction version"),
        ModelVersion => ("model_version", "Model version"),
        InputSnapshot => ("input_snapshot", "Input snapshot"),
        ToolCallTrace => ("tool_call_trace", "Tool-call trace"),
        ApprovalState => ("approval_state", "Approval state"),
        OutputPayloads => ("output_payloads", "Output payloads"),
        ConnectorLogs => ("connector_logs", "Connector logs"),
        GuardrailResults => ("guardrail_results", "Guardrail results"),
        AlertsAndChats => ("alerts_and_chats", "Alerts and chats"),
    }
);

crate::choices!(
    EvidenceStatus, "EvidenceStatus.ts" {
        Required => ("required", "Required"),
        Preserved => ("preserved", "Preserved"),
        NotApplicable => ("not_applicable", "Not applicable"),
    }
);

crate::choices!(
    CustodyAction, "CustodyAction.ts" {
        Attached => ("attached", "Attached"),
        Opened => ("opened", "Opened"),
        Exported => ("exported", "Exported"),
        Verified => ("verified", "Re-verified unchanged"),
        Changed => ("changed", "Found changed"),
        Missing => ("missing", "Found missing"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE evidence_items (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    kind TEXT,
    status TEXT,
    reason TEXT
);
CREATE INDEX evidence_items_incident ON evidence_items (incident);
CREATE TABLE evidence_files (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    kind TEXT,
    sha256 TEXT,
    size TEXT,
    original_name TEXT,
    collected_by TEXT,
    collected_at TEXT,
    note TEXT
);
CREATE INDEX evidence_files_incident ON evidence_files (incident);
CREATE TABLE custody_events (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    file TEXT,
    action TEXT,
    at TEXT,
    by TEXT,
    detail TEXT
);
CREATE INDEX custody_events_incident ON custody_events (incident);
";

pub(crate) const ITEMS: Table =
    Table { entity: Entity::EvidenceItem, name: "evidence_items", fields: &["incident", "kind", "status", "reason"] };

pub(crate) const FILES: Table = Table {
    entity: Entity::EvidenceFile,
    name: "evidence_files",
    fields: &["incident", "kind", "sha256", "size", "original_name", "collected_by", "collected_at", "note"],
};

pub(crate) const CUSTODY: Table = Table {
    entity: Entity::CustodyEvent,
    name: "custody_events",
    fields: &["incident", "file", "action", "at", "by", "detail"],
};

/// The status of one evidence kind on one incident (absent until first set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "EvidenceItem.ts")]
pub struct EvidenceItem {
    pub id: String,
    pub incident: String,
    pub kind: EvidenceKind,
    pub status: EvidenceStatus,
    /// Required when the status is "not applicable".
    #[serde(default)]
    pub reason: String,
}

/// A file in the content-addressed evidence store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "EvidenceFile.ts")]
pub struct EvidenceFile {
    pub id: String,
    pub incident: String,
    pub kind: EvidenceKind,
    /// Hex SHA-256 of the content; also the stored file's name.
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    pub original_name: String,
    pub collected_by: String,
    pub collected_at: DateTime<Utc>,
    #[serde(default)]
    pub note: String,
}

/// One chain-of-custody event (append-only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "CustodyEvent.ts")]
pub struct CustodyEvent {
    pub id: String,
    pub incident: String,
    /// The evidence file's ID.
    pub file: String,
    pub action: CustodyAction,
    pub at: DateTime<Utc>,
    pub by: String,
    /// E.g. the export destination, or the hash found on re-verification.
    #[serde(default)]
    pub detail: String,
}
