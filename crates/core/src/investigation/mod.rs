//! Investigation: agent traces read into the incident's record. A trace is evidence first (copied and hashed in
//! the evidence folder), then parsed by [`crate::trace`] into runs and steps that point back to their file and
//! line. An import is all-or-nothing and is audited by one entry that carries the file's hash, the parser, the
//! counts and a digest of every row written, which `verify` recomputes.

pub mod findings;
mod import;
pub mod repro;
mod rows;
pub mod side_effects;
mod steps;

pub use import::{import_evidence, import_file, ImportOptions};
pub(crate) use steps::imports_of;
pub use steps::{
    facets, imports, original, overview, runs, step, steps, steps_by_id, StepFacet, StepFacets, StepFilter,
    StepOriginal, StepPage, StoredRun, StoredStep, TraceOverview, MAX_FACET_VALUES, MAX_PAGE, ORIGINAL_BYTES,
    PREVIEW_CHARS,
};

use crate::audit::Entity;
use crate::error::Result;
use crate::record::Table;
use crate::trace::{Format, Skipped};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) use rows::{instant_of, SCHEMA_V10, SCHEMA_V6};

/// The audited tables of this module, for `verify`.
pub const TABLES: &[&Table] =
    &[&IMPORTS, &findings::RULES, &findings::DISMISSALS, &side_effects::TOOL_CLASSES, &side_effects::LINKS];

pub(crate) const IMPORTS: Table = Table {
    entity: Entity::TraceImport,
    name: "trace_imports",
    fields: &[
        "incident",
        "file",
        "sha256",
        "format",
        "parser",
        "imported_by",
        "imported_at",
        "runs",
        "steps",
        "tool_calls",
        "failed_tool_calls",
        "lines",
        "skipped_total",
        "skipped",
        "digest",
    ],
};

/// One trace file read into the incident: what was read, by which parser, and the digest of the rows it wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "TraceImport.ts")]
pub struct TraceImport {
    pub id: String,
    pub incident: String,
    /// The evidence file read.
    pub file: String,
    pub sha256: String,
    pub format: Format,
    /// The parser and its version (`otlp_json/1`): a later Firebreak may read the same file differently.
    pub parser: String,
    pub imported_by: String,
    pub imported_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub runs: u64,
    #[ts(type = "number")]
    pub steps: u64,
    #[ts(type = "number")]
    pub tool_calls: u64,
    #[ts(type = "number")]
    pub failed_tool_calls: u64,
    #[ts(type = "number")]
    pub lines: u64,
    /// Lines left out with `--skip-invalid`; the first thousand are listed in `skipped`.
    #[ts(type = "number")]
    pub skipped_total: u64,
    /// Stored as nothing when empty, as every empty list is.
    #[serde(default)]
    pub skipped: Vec<Skipped>,
    /// SHA-256 over the runs and steps as written (see `rows::Digest`).
    pub digest: String,
}

/// An import whose rows no longer match the digest its audit entry recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChangedRows {
    pub import: String,
    pub incident: String,
    pub file: String,
}

/// Every import whose runs or steps differ from what it wrote, and the import IDs that rows point at but no import
/// has (rows added outside Firebreak). For `verify`; reads one import at a time.
pub(crate) fn changed_rows(conn: &Connection) -> Result<(Vec<ChangedRows>, Vec<String>)> {
    let imports: Vec<TraceImport> = IMPORTS.select(conn, "1", &[])?;
    let mut changed = Vec::new();
    for import in &imports {
        if rows::digest_of(conn, &import.id)? != import.digest {
            changed.push(ChangedRows {
                import: import.id.clone(),
                incident: import.incident.clone(),
                file: import.file.clone(),
            });
        }
    }
    let mut stmt = conn.prepare(
        "SELECT import FROM (SELECT DISTINCT import FROM trace_steps UNION SELECT DISTINCT import FROM trace_runs) \
         WHERE import NOT IN (SELECT uuid FROM trace_imports) ORDER BY import",
    )?;
    let strays = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((changed, strays))
}

/// The choice lists of the Investigation tab: the formats an import can be told to read, the kinds of step and of
/// finding, the classes of tool call, the states of a side-effect proposal and what a write call does to its object.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "TraceChoices.ts")]
pub struct TraceChoices {
    pub formats: Vec<crate::vocabulary::Choice>,
    pub kinds: Vec<crate::vocabulary::Choice>,
    pub finding_kinds: Vec<crate::vocabulary::Choice>,
    pub call_classes: Vec<crate::vocabulary::Choice>,
    pub proposal_states: Vec<crate::vocabulary::Choice>,
    pub actions: Vec<crate::vocabulary::Choice>,
}

pub fn choices() -> TraceChoices {
    TraceChoices {
        formats: Format::options(),
        kinds: crate::trace::StepKind::options(),
        finding_kinds: findings::FindingKind::options(),
        call_classes: side_effects::CallClass::options(),
        proposal_states: side_effects::ProposalState::options(),
        actions: crate::phases::affected::AgentAction::options(),
    }
}
