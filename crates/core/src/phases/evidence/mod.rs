//! Evidence: the ten kinds of evidence to preserve before cleanup, each required / preserved / not applicable, and
//! the files attached to them. Files are copied into a content-addressed folder (named by SHA-256) and never
//! modified; every attach, open, export and re-verification is a custody event.

mod files;

pub use files::{
    attach, attach_at_most, copy_at_most, custody, export, files, open_copy, record_copy, reverify, stage_at_most,
    stored_path, Copied, FileCheck, FileCheckStatus, Staged, DEFAULT_MAX_EVIDENCE_BYTES,
};
pub(crate) use files::{file_of, files_of, log};

use super::{Declaration, Phase, PhaseProgress};
use crate::audit::{Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::phases::postmortem::timeline::{self as tl, Timeline};
use crate::phases::postmortem::TimelineKind;
use crate::record::{self, Table};
use crate::store::{Store, Tx};
use crate::vocabulary::{Choice, Status};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
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
        Imported => ("imported", "Read as a trace"),
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
CREATE UNIQUE INDEX evidence_items_kind ON evidence_items (incident, kind);
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

/// One evidence kind's state on an incident, whether or not anyone has set it yet (unset kinds are required).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "EvidenceKindState.ts")]
pub struct EvidenceKindState {
    pub kind: EvidenceKind,
    pub status: EvidenceStatus,
    pub reason: String,
    /// How many files are attached to this kind.
    pub files: u32,
    /// The stored item's ID; `None` while the kind has never been set.
    pub item: Option<String>,
}

/// The evidence screen's choice lists with their labels (one source for the UI's words).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "EvidenceChoices.ts")]
pub struct EvidenceChoices {
    pub kinds: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub custody_actions: Vec<Choice>,
    pub checks: Vec<Choice>,
}

pub fn choices() -> EvidenceChoices {
    EvidenceChoices {
        kinds: EvidenceKind::options(),
        statuses: EvidenceStatus::options(),
        custody_actions: CustodyAction::options(),
        checks: FileCheckStatus::options(),
    }
}

/// Sets the status of one evidence kind. "Not applicable" needs a reason, because it is the one status that says
/// something will never be preserved.
pub fn set_status(
    store: &Store,
    actor: &Actor,
    key: &str,
    kind: EvidenceKind,
    status: EvidenceStatus,
    reason: &str,
) -> Result<EvidenceItem> {
    let reason = reason.trim();
    if status == EvidenceStatus::NotApplicable && reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            format!(
                "Say why the {} is not applicable (for example \"the agent has no connectors\"); the reason is kept \
                 in the record.",
                kind.label().to_lowercase()
            ),
        ));
    }
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        put_status(tx, &incident, kind, status, reason)
    })
}

/// Creates or updates the item of `kind` inside a write (one row per incident and kind).
fn put_status(
    tx: &mut Tx<'_>,
    incident: &Incident,
    kind: EvidenceKind,
    status: EvidenceStatus,
    reason: &str,
) -> Result<EvidenceItem> {
    match item_of(tx, incident, kind)? {
        Some(before) => {
            let after = EvidenceItem { status, reason: reason.to_string(), ..before.clone() };
            ITEMS.update(tx, &before, &after, None)?;
            Ok(after)
        }
        None => {
            let item = EvidenceItem {
                id: record::new_id(),
                incident: incident.uuid.clone(),
                kind,
                status,
                reason: reason.to_string(),
            };
            ITEMS.insert(tx, &item)?;
            Ok(item)
        }
    }
}

fn item_of(conn: &Connection, incident: &Incident, kind: EvidenceKind) -> Result<Option<EvidenceItem>> {
    let mut found: Vec<EvidenceItem> =
        ITEMS.select(conn, "incident = ?1 AND kind = ?2", &[&incident.row_key(), &json_key(kind.key())?])?;
    Ok(found.pop())
}

/// All ten kinds of the incident, in the order of the checklist.
pub fn items(store: &Store, key: &str) -> Result<Vec<EvidenceKindState>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    kind_states(&conn, &incident)
}

fn kind_states(conn: &Connection, incident: &Incident) -> Result<Vec<EvidenceKindState>> {
    let param = incident.row_key();
    let stored: Vec<EvidenceItem> = ITEMS.select(conn, "incident = ?1", &[&param])?;
    let attached: Vec<EvidenceFile> = FILES.select(conn, "incident = ?1", &[&param])?;
    Ok(EvidenceKind::ALL
        .iter()
        .map(|&kind| {
            let item = stored.iter().find(|i| i.kind == kind);
            EvidenceKindState {
                kind,
                status: item.map_or(EvidenceStatus::Required, |i| i.status),
                reason: item.map(|i| i.reason.clone()).unwrap_or_default(),
                files: attached.iter().filter(|f| f.kind == kind).count() as u32,
                item: item.map(|i| i.id.clone()),
            }
        })
        .collect())
}

/// Complete when no kind is still required without a file: each one is preserved, not applicable, or has a file.
pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let open: Vec<EvidenceKindState> = kind_states(conn, incident)?
        .into_iter()
        .filter(|k| k.status == EvidenceStatus::Required && k.files == 0)
        .collect();
    let missing =
        open.iter().map(|k| format!("{}: attach it or mark it not applicable with a reason", k.kind.label())).collect();
    let next = open
        .first()
        .map(|k| format!("Preserve the {} (attach a file) or mark it not applicable.", k.kind.label().to_lowercase()));
    Ok(PhaseProgress {
        phase: Phase::Evidence,
        label: Phase::Evidence.label().into(),
        complete: open.is_empty(),
        missing,
        next,
    })
}

fn json_key(text: &str) -> Result<String> {
    Ok(serde_json::to_string(text)?)
}

pub const PHASE: Declaration = Declaration {
    phase: Phase::Evidence,
    tables: &[&ITEMS, &FILES, &CUSTODY],
    schema: &[(2, SCHEMA_V2)],
    progress,
    gates: &[Status::Recovering, Status::Monitoring],
    timeline,
};

fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    for file in tl::rows::<EvidenceFile>(conn, &FILES, incident)? {
        let short: String = file.sha256.chars().take(12).collect();
        let text = format!(
            "Evidence preserved: {} ({}, SHA-256 {short}…){}",
            file.original_name,
            file.kind.label().to_lowercase(),
            tl::by(&file.collected_by)
        );
        out.push(file.collected_at, TimelineKind::Evidence, text, tl::source(Entity::EvidenceFile, &file.id));
    }
    Ok(())
}
