//! How runs and steps are laid out in their tables, and the digest of those rows that the import's audit entry
//! carries. The importer and `verify` both hash the values exactly as SQLite holds them, through the one
//! [`Digest`] here, so the two cannot drift apart: a step changed, added or deleted outside Firebreak changes the
//! digest without the trail needing an entry per step.

use crate::error::Result;
use crate::trace::{Run, Step};
use chrono::{DateTime, Utc};
use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;
use sha2::{Digest as _, Sha256};

pub(crate) const SCHEMA_V6: &str = "
CREATE TABLE trace_imports (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    file TEXT,
    sha256 TEXT,
    format TEXT,
    parser TEXT,
    imported_by TEXT,
    imported_at TEXT,
    runs TEXT,
    steps TEXT,
    tool_calls TEXT,
    failed_tool_calls TEXT,
    lines TEXT,
    skipped_total TEXT,
    skipped TEXT,
    digest TEXT
);
CREATE INDEX trace_imports_incident ON trace_imports (incident);
CREATE TABLE trace_runs (
    import TEXT NOT NULL,
    idx INTEGER NOT NULL,
    source_id TEXT,
    agent TEXT,
    workflow TEXT,
    model TEXT,
    started_at INTEGER,
    ended_at INTEGER,
    PRIMARY KEY (import, idx)
);
CREATE TABLE trace_steps (
    id INTEGER PRIMARY KEY,
    incident TEXT NOT NULL,
    import TEXT NOT NULL,
    seq INTEGER NOT NULL,
    run INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT,
    at INTEGER,
    ended_at INTEGER,
    agent TEXT,
    model TEXT,
    tool TEXT,
    arguments TEXT,
    result TEXT,
    is_error INTEGER NOT NULL,
    error TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cost REAL,
    source_id TEXT,
    parent_source_id TEXT,
    call_id TEXT,
    line INTEGER NOT NULL,
    byte_offset INTEGER NOT NULL
);
CREATE UNIQUE INDEX trace_steps_order ON trace_steps (import, seq);
CREATE INDEX trace_steps_run ON trace_steps (import, run, is_error);
CREATE INDEX trace_steps_time ON trace_steps (incident, at IS NULL, at, import, seq);
CREATE INDEX trace_steps_failed ON trace_steps (incident, at IS NULL, at, import, seq) WHERE is_error;
CREATE INDEX trace_steps_tool ON trace_steps (incident, tool, at IS NULL, at, import, seq);
CREATE INDEX trace_steps_agent ON trace_steps (incident, agent, at IS NULL, at, import, seq);
";

/// Schema 10: the failed steps of one tool in time order, for the search `tool:X error:yes` and the tab's tool and
/// failed-only filters together, which otherwise read every call of the tool to find the few that failed.
pub(crate) const SCHEMA_V10: &str = "
CREATE INDEX trace_steps_failed_tool ON trace_steps (incident, tool, at IS NULL, at, import, seq) WHERE is_error;
";

/// The columns of `trace_runs`, in the order they are written and hashed.
pub(crate) const RUN_COLUMNS: &str = "import, idx, source_id, agent, workflow, model, started_at, ended_at";
/// The columns of `trace_steps` after `id`, in the order they are written and hashed. A step names its incident
/// (as its import does) so that a page of one incident's steps is read in order from one index.
pub(crate) const STEP_COLUMNS: &str =
    "incident, import, seq, run, kind, name, at, ended_at, agent, model, tool, arguments, \
     result, is_error, error, input_tokens, output_tokens, cost, source_id, parent_source_id, call_id, line, \
     byte_offset";

/// Instants are stored as nanoseconds since 1970 (UTC): they sort and compare in SQL, and OTLP gives nanoseconds.
pub(crate) fn instant(at: Option<DateTime<Utc>>) -> Value {
    at.and_then(|t| t.timestamp_nanos_opt()).map_or(Value::Null, Value::Integer)
}

pub(crate) fn instant_of(nanos: Option<i64>) -> Option<DateTime<Utc>> {
    nanos.map(DateTime::from_timestamp_nanos)
}

fn text(value: &Option<String>) -> Value {
    value.clone().map_or(Value::Null, Value::Text)
}

fn count(value: Option<u64>) -> Value {
    // Token counts beyond i64 do not occur; such a value is kept as the largest one SQLite holds.
    value.map_or(Value::Null, |n| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn position(n: u64) -> Value {
    Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

pub(crate) fn run_values(import: &str, index: usize, run: &Run) -> Vec<Value> {
    vec![
        Value::Text(import.to_string()),
        position(index as u64),
        Value::Text(run.source_id.clone()),
        text(&run.agent),
        text(&run.workflow),
        text(&run.model),
        instant(run.started_at),
        instant(run.ended_at),
    ]
}

pub(crate) fn step_values(incident: &str, import: &str, seq: u64, step: Step) -> Vec<Value> {
    vec![
        Value::Text(incident.to_string()),
        Value::Text(import.to_string()),
        position(seq),
        position(step.run as u64),
        Value::Text(step.kind.key().to_string()),
        step.name.map_or(Value::Null, Value::Text),
        instant(step.at),
        instant(step.ended_at),
        step.agent.map_or(Value::Null, Value::Text),
        step.model.map_or(Value::Null, Value::Text),
        step.tool.map_or(Value::Null, Value::Text),
        step.arguments.map_or(Value::Null, Value::Text),
        step.result.map_or(Value::Null, Value::Text),
        Value::Integer(i64::from(step.is_error)),
        step.error.map_or(Value::Null, Value::Text),
        count(step.input_tokens),
        count(step.output_tokens),
        step.cost.map_or(Value::Null, Value::Real),
        step.source_id.map_or(Value::Null, Value::Text),
        step.parent_source_id.map_or(Value::Null, Value::Text),
        step.call_id.map_or(Value::Null, Value::Text),
        position(step.origin.line),
        position(step.origin.offset),
    ]
}

/// SHA-256 over rows of typed values: each value tagged with its SQLite type and length-prefixed, each row closed,
/// so no two different row sets hash alike by shifting bytes between fields.
#[derive(Default)]
pub(crate) struct Digest {
    hasher: Sha256,
}

impl Digest {
    pub fn value(&mut self, value: ValueRef<'_>) {
        match value {
            ValueRef::Null => self.hasher.update([0u8]),
            ValueRef::Integer(n) => {
                self.hasher.update([1u8]);
                self.hasher.update(n.to_le_bytes());
            }
            ValueRef::Real(x) => {
                self.hasher.update([2u8]);
                self.hasher.update(x.to_bits().to_le_bytes());
            }
            ValueRef::Text(bytes) => self.bytes(3, bytes),
            ValueRef::Blob(bytes) => self.bytes(4, bytes),
        }
    }

    fn bytes(&mut self, tag: u8, bytes: &[u8]) {
        self.hasher.update([tag]);
        self.hasher.update((bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
    }

    pub fn row<'a>(&mut self, values: impl IntoIterator<Item = ValueRef<'a>>) {
        for value in values {
            self.value(value);
        }
        self.hasher.update([0xFFu8]);
    }

    /// Closes the part with its row count.
    pub fn finish(mut self, rows: u64) -> String {
        self.hasher.update([0xFEu8]);
        self.hasher.update(rows.to_le_bytes());
        crate::audit::hex(&self.hasher.finalize())
    }
}

/// The digest of an import's rows from the digests of its two parts: the runs (known in full only at the end of a
/// file) and the steps (hashed as they stream in).
pub(crate) fn combine(runs: &str, steps: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"runs ");
    hasher.update(runs.as_bytes());
    hasher.update(b" steps ");
    hasher.update(steps.as_bytes());
    crate::audit::hex(&hasher.finalize())
}

/// The digest of an import's rows as the database holds them now: its runs in order, then its steps in order
/// (each with its row ID, which links elsewhere point at). Streams the rows, so it needs little memory.
pub(crate) fn digest_of(conn: &Connection, import: &str) -> Result<String> {
    let runs =
        hash_rows(conn, &format!("SELECT {RUN_COLUMNS} FROM trace_runs WHERE import = ?1 ORDER BY idx"), import)?;
    let steps =
        hash_rows(conn, &format!("SELECT id, {STEP_COLUMNS} FROM trace_steps WHERE import = ?1 ORDER BY seq"), import)?;
    Ok(combine(&runs, &steps))
}

fn hash_rows(conn: &Connection, sql: &str, import: &str) -> Result<String> {
    let mut digest = Digest::default();
    let mut stmt = conn.prepare(sql)?;
    let columns = stmt.column_count();
    let mut rows = stmt.query([import])?;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(columns);
        for i in 0..columns {
            values.push(row.get_ref(i)?);
        }
        digest.row(values);
        n += 1;
    }
    Ok(digest.finish(n))
}
