//! Reading imported traces back: the imports, runs and steps of an incident, filtered and paged in SQL so an
//! incident with a million steps reads one page at a time.

use super::rows::{instant, instant_of};
use super::{TraceImport, IMPORTS};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::store::Store;
use crate::trace::{Origin, Step, StepKind};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How much of a step's arguments, result and error a page carries; [`step`] gives the whole text.
pub const PREVIEW_CHARS: u64 = 2000;

pub fn imports(store: &Store, key: &str) -> Result<Vec<TraceImport>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    imports_of(&conn, &incident)
}

pub(crate) fn imports_of(conn: &Connection, incident: &Incident) -> Result<Vec<TraceImport>> {
    IMPORTS.select(conn, "incident = ?1", &[&incident.row_key()])
}

/// One run as stored, with how many steps it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "StoredRun.ts")]
pub struct StoredRun {
    pub import: String,
    #[ts(type = "number")]
    pub index: u64,
    pub source_id: String,
    pub agent: Option<String>,
    pub workflow: Option<String>,
    pub model: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    #[ts(type = "number")]
    pub steps: u64,
    #[ts(type = "number")]
    pub errors: u64,
}

pub fn runs(store: &Store, key: &str) -> Result<Vec<StoredRun>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let mut stmt = conn.prepare(
        "SELECT r.import, r.idx, r.source_id, r.agent, r.workflow, r.model, r.started_at, r.ended_at,
                (SELECT count(*) FROM trace_steps s WHERE s.import = r.import AND s.run = r.idx),
                (SELECT count(*) FROM trace_steps s WHERE s.import = r.import AND s.run = r.idx AND s.is_error)
         FROM trace_runs r JOIN trace_imports i ON i.uuid = r.import
         WHERE i.incident = ?1 ORDER BY r.started_at NULLS LAST, i.imported_at, r.idx",
    )?;
    let rows = stmt.query_map([incident.row_key()], |r| {
        Ok(StoredRun {
            import: r.get(0)?,
            index: r.get::<_, i64>(1)? as u64,
            source_id: r.get(2)?,
            agent: r.get(3)?,
            workflow: r.get(4)?,
            model: r.get(5)?,
            started_at: instant_of(r.get(6)?),
            ended_at: instant_of(r.get(7)?),
            steps: r.get::<_, i64>(8)? as u64,
            errors: r.get::<_, i64>(9)? as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Which steps to show. The default is every step of the incident, in time order, a first page of 200. Names are
/// matched exactly as the trace gives them, spaces and all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "StepFilter.ts")]
pub struct StepFilter {
    pub import: Option<String>,
    /// A run by the ID its file gives it (trace, session or conversation ID); with `import`, that import's run only
    /// (two files may both have a run `line-1`).
    pub run: Option<String>,
    pub agent: Option<String>,
    /// The tool's name exactly as the trace gives it.
    pub tool: Option<String>,
    pub kind: Option<StepKind>,
    /// Only steps that failed (an error status, an error result).
    pub errors_only: bool,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    #[ts(type = "number")]
    pub offset: u64,
    /// Steps per page; `None` for 200.
    #[ts(type = "number | null")]
    pub limit: Option<u64>,
}

const DEFAULT_PAGE: u64 = 200;
/// The most steps one page holds, so no request reads without bound.
pub const MAX_PAGE: u64 = 10_000;

/// A step as stored, its long texts cut to [`PREVIEW_CHARS`] in a page (see `truncated`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "StoredStep.ts")]
pub struct StoredStep {
    /// The step's number in the database, stable across reads.
    #[ts(type = "number")]
    pub id: i64,
    pub import: String,
    /// Its place in the file's order.
    #[ts(type = "number")]
    pub seq: u64,
    /// The run's ID as its file gives it (`step.run` is the run's index in its import).
    pub run_id: String,
    /// The step as read from the file; `step.origin` is where it is in the evidence file.
    pub step: Step,
    /// Arguments, result or error were cut to the preview length.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "StepPage.ts")]
pub struct StepPage {
    pub rows: Vec<StoredStep>,
    #[ts(type = "number")]
    pub total_matching: u64,
}

/// The columns a step is read from; with `cut`, each long text is cut to that many characters and followed by
/// whether it was.
fn select_columns(cut: Option<u64>) -> String {
    let long = |column: &str| match cut {
        Some(chars) => format!("substr(s.{column}, 1, {chars}), length(s.{column}) > {chars}"),
        None => format!("s.{column}, 0"),
    };
    format!(
        "s.id, s.import, s.seq, r.source_id, s.kind, s.name, s.at, s.ended_at, s.agent, s.model, s.tool, {}, {}, \
         s.is_error, {}, s.input_tokens, s.output_tokens, s.cost, s.source_id, s.parent_source_id, s.call_id, \
         s.line, s.byte_offset, s.run",
        long("arguments"),
        long("result"),
        long("error")
    )
}

fn read_step(r: &Row<'_>) -> rusqlite::Result<StoredStep> {
    let kind: String = r.get(4)?;
    let cut = |i: usize| -> rusqlite::Result<bool> { Ok(r.get::<_, Option<bool>>(i)?.unwrap_or(false)) };
    let truncated = cut(12)? || cut(14)? || cut(17)?;
    Ok(StoredStep {
        id: r.get(0)?,
        import: r.get(1)?,
        seq: r.get::<_, i64>(2)? as u64,
        run_id: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        step: Step {
            run: r.get::<_, i64>(26)? as usize,
            // An unknown kind can only come from an edit outside Firebreak, which `verify` reports.
            kind: StepKind::parse(&kind).unwrap_or(StepKind::Message),
            name: r.get(5)?,
            at: instant_of(r.get(6)?),
            ended_at: instant_of(r.get(7)?),
            agent: r.get(8)?,
            model: r.get(9)?,
            tool: r.get(10)?,
            arguments: r.get(11)?,
            result: r.get(13)?,
            is_error: r.get(15)?,
            error: r.get(16)?,
            input_tokens: r.get::<_, Option<i64>>(18)?.map(|n| n as u64),
            output_tokens: r.get::<_, Option<i64>>(19)?.map(|n| n as u64),
            cost: r.get(20)?,
            source_id: r.get(21)?,
            parent_source_id: r.get(22)?,
            call_id: r.get(23)?,
            origin: Origin { line: r.get::<_, i64>(24)? as u64, offset: r.get::<_, i64>(25)? as u64 },
        },
        truncated,
    })
}

const FROM: &str = "FROM trace_steps s LEFT JOIN trace_runs r ON r.import = s.import AND r.idx = s.run";
/// Time order, steps without a time last, then file order. Spelt as the indexes `trace_steps_time`, `_failed`,
/// `_tool` and `_agent` are, so SQLite reads a page from one of them instead of sorting every step.
const ORDER: &str = "s.at IS NULL, s.at, s.import, s.seq";

/// One page of the incident's steps matching `filter`, in time order (steps without a time after, in file order).
pub fn steps(store: &Store, key: &str, filter: &StepFilter) -> Result<StepPage> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let (condition, params) = condition(&incident.uuid, filter)?;
    // No filter reads the run's row, so neither the count nor the choice of the page joins it.
    let total_matching: i64 = conn.query_row(
        &format!("SELECT count(*) FROM trace_steps s WHERE {condition}"),
        rusqlite::params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let limit = filter.limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE);
    // SQLite counts in i64: an offset past that is past the end.
    let offset = i64::try_from(filter.offset).unwrap_or(i64::MAX);
    // The page's steps are chosen from the index alone (a deep offset skips index entries, not rows and their
    // runs); then only those are read whole.
    let sql = format!(
        "SELECT {} FROM ({}) page JOIN trace_steps s ON s.id = page.id \
         LEFT JOIN trace_runs r ON r.import = s.import AND r.idx = s.run ORDER BY {ORDER}",
        select_columns(Some(PREVIEW_CHARS)),
        page_ids(&condition, limit, offset)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), read_step)?;
    Ok(StepPage { rows: rows.collect::<rusqlite::Result<Vec<_>>>()?, total_matching: total_matching as u64 })
}

/// The SQL condition (over `trace_steps s`) and its parameters for the incident's steps that `filter` asks for.
fn condition(incident: &str, filter: &StepFilter) -> Result<(String, Vec<Value>)> {
    let mut conditions = vec!["s.incident = ?1".to_string()];
    let mut params: Vec<Value> = vec![Value::Text(incident.to_string())];
    let mut add = |condition: &str, value: Value, params: &mut Vec<Value>| {
        params.push(value);
        conditions.push(condition.replace('?', &format!("?{}", params.len())));
    };
    if let Some(import) = filter.import.as_deref() {
        add("s.import = ?", Value::Text(import.to_string()), &mut params);
    }
    if let Some(run) = filter.run.as_deref() {
        add(
            "(s.import, s.run) IN (SELECT import, idx FROM trace_runs WHERE source_id = ?)",
            Value::Text(run.to_string()),
            &mut params,
        );
    }
    if let Some(agent) = filter.agent.as_deref() {
        add("s.agent = ?", Value::Text(agent.to_string()), &mut params);
    }
    if let Some(tool) = filter.tool.as_deref() {
        add("s.tool = ?", Value::Text(tool.to_string()), &mut params);
    }
    if let Some(kind) = filter.kind {
        add("s.kind = ?", Value::Text(kind.key().to_string()), &mut params);
    }
    for (field, at) in [("from", filter.from), ("to", filter.to)] {
        if at.is_some_and(|t| t.timestamp_nanos_opt().is_none()) {
            return Err(Error::invalid(
                field,
                "Steps are timed to the nanosecond, which reaches from 1677-09-22 to 2262-04-11: choose a time \
                 between those.",
            ));
        }
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from > to {
            return Err(Error::invalid("from", "The time window ends before it starts. Swap the two times."));
        }
    }
    if filter.from.is_some() {
        add("s.at >= ?", instant(filter.from), &mut params);
    }
    if filter.to.is_some() {
        add("s.at <= ?", instant(filter.to), &mut params);
    }
    if filter.errors_only {
        conditions.push("s.is_error".into());
    }
    Ok((conditions.join(" AND "), params))
}

/// The IDs of one page of the steps matching `condition`, in time order: read from an index in that order.
fn page_ids(condition: &str, limit: u64, offset: i64) -> String {
    format!("SELECT s.id FROM trace_steps s WHERE {condition} ORDER BY {ORDER} LIMIT {limit} OFFSET {offset}")
}

/// Steps of the incident by number, in time order, their texts cut as in a page. At most [`MAX_PAGE`].
pub(crate) fn preview_of_ids(conn: &Connection, incident: &Incident, ids: &[i64]) -> Result<Vec<StoredStep>> {
    let ids: Vec<Value> = ids.iter().take(MAX_PAGE as usize).map(|id| Value::Integer(*id)).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = (2..ids.len() + 2).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {} {FROM} WHERE s.incident = ?1 AND s.id IN ({marks}) ORDER BY {ORDER}",
        select_columns(Some(PREVIEW_CHARS))
    );
    let params = std::iter::once(Value::Text(incident.uuid.clone())).chain(ids);
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), read_step)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The steps of one run in file order from `from_seq` to `to_seq`, at most `limit`, each text cut to `cut`
/// characters.
pub(crate) fn run_steps(
    conn: &Connection,
    incident: &Incident,
    (import, run): (&str, i64),
    (from_seq, to_seq): (u64, u64),
    limit: u64,
    cut: u64,
) -> Result<Vec<StoredStep>> {
    let sql = format!(
        "SELECT {} {FROM} WHERE s.incident = ?1 AND s.import = ?2 AND s.run = ?3 AND s.seq BETWEEN ?4 AND ?5 \
         ORDER BY s.seq LIMIT ?6",
        select_columns(Some(cut))
    );
    let mut stmt = conn.prepare(&sql)?;
    let params = rusqlite::params![incident.uuid, import, run, from_seq as i64, to_seq as i64, limit as i64];
    let rows = stmt.query_map(params, read_step)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One step of the incident, with its whole text.
pub fn step(store: &Store, key: &str, id: i64) -> Result<StoredStep> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    step_of(&conn, &incident, id)
}

fn step_of(conn: &Connection, incident: &Incident, id: i64) -> Result<StoredStep> {
    let sql = format!("SELECT {} {FROM} WHERE s.id = ?1 AND s.incident = ?2", select_columns(None));
    conn.query_row(&sql, rusqlite::params![id, incident.uuid], read_step)
        .optional()?
        .ok_or_else(|| no_step(incident, id))
}

/// Where a step is, without its texts: its import, its run's index and its place in the file.
pub(crate) fn place_of(conn: &Connection, incident: &Incident, id: i64) -> Result<(String, i64, u64)> {
    let sql = "SELECT import, run, seq FROM trace_steps WHERE id = ?1 AND incident = ?2";
    let place = conn.query_row(sql, rusqlite::params![id, incident.uuid], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)?.max(0) as u64))
    });
    place.optional()?.ok_or_else(|| no_step(incident, id))
}

fn no_step(incident: &Incident, id: i64) -> Error {
    Error::not_found(format!(
        "No step {id} in the traces of {}. `firebreak trace steps {}` lists them with their numbers.",
        incident.id, incident.id
    ))
}

/// Steps of the incident by number (the steps behind a finding, as the finding names them), in time order, their
/// texts cut as in a page. At most [`MAX_PAGE`].
pub fn steps_by_id(store: &Store, key: &str, ids: &[i64]) -> Result<Vec<StoredStep>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    preview_of_ids(&conn, &incident, ids)
}

/// One value a filter can take (a tool's or an agent's name), with how many steps have it and how many of those
/// failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "StepFacet.ts")]
pub struct StepFacet {
    pub value: String,
    #[ts(type = "number")]
    pub steps: u64,
    #[ts(type = "number")]
    pub failed: u64,
}

/// What the incident's steps can be filtered by: the tools and agents they name, most steps first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "StepFacets.ts")]
pub struct StepFacets {
    pub tools: Vec<StepFacet>,
    pub agents: Vec<StepFacet>,
}

/// The most values a facet lists: a trace may name a million different tools, a filter cannot.
pub const MAX_FACET_VALUES: usize = 500;

pub fn facets(store: &Store, key: &str) -> Result<StepFacets> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    // Both counts come from indexes: all steps by value from the value's index, the failed ones from the (small)
    // index of failed steps.
    let facet = |column: &str| -> Result<Vec<StepFacet>> {
        let mut stmt = conn.prepare(&format!(
            "SELECT {column}, count(*) FROM trace_steps WHERE incident = ?1 AND {column} IS NOT NULL \
             GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT {MAX_FACET_VALUES}"
        ))?;
        let mut values = stmt
            .query_map([&incident.uuid], |r| {
                Ok(StepFacet { value: r.get(0)?, steps: r.get::<_, i64>(1)? as u64, failed: 0 })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare(&format!(
            // Named, since the value's index would otherwise be read, with a row lookup per step for `is_error`.
            "SELECT {column}, count(*) FROM trace_steps INDEXED BY trace_steps_failed \
             WHERE incident = ?1 AND is_error AND {column} IS NOT NULL GROUP BY {column}"
        ))?;
        let failed: std::collections::HashMap<String, u64> = stmt
            .query_map([&incident.uuid], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?
            .collect::<rusqlite::Result<_>>()?;
        for v in &mut values {
            v.failed = failed.get(&v.value).copied().unwrap_or(0);
        }
        Ok(values)
    };
    Ok(StepFacets { tools: facet("tool")?, agents: facet("agent")? })
}

/// The incident's imports and their runs, read together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "TraceOverview.ts")]
pub struct TraceOverview {
    pub imports: Vec<TraceImport>,
    pub runs: Vec<StoredRun>,
}

pub fn overview(store: &Store, key: &str) -> Result<TraceOverview> {
    Ok(TraceOverview { imports: imports(store, key)?, runs: runs(store, key)? })
}

/// How much of the original a step's "in the original" shows: its line, or this many bytes of it.
pub const ORIGINAL_BYTES: usize = 64 * 1024;

/// A step as its evidence file holds it: the line (or, in a whole OTLP document, the text from the span's start)
/// read from the preserved copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "StepOriginal.ts")]
pub struct StepOriginal {
    pub file_name: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub line: u64,
    #[ts(type = "number")]
    pub offset: u64,
    /// As read, invalid UTF-8 shown as U+FFFD.
    pub text: String,
    /// The line went on past [`ORIGINAL_BYTES`].
    pub cut: bool,
}

pub fn original(store: &Store, key: &str, id: i64) -> Result<StepOriginal> {
    use std::io::{BufRead, Read, Seek};
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let found = step_of(&conn, &incident, id)?;
    let import = imports_of(&conn, &incident)?.into_iter().find(|i| i.id == found.import).ok_or_else(|| {
        Error::not_found(format!("The import of step {id} is gone. `firebreak audit verify` says what changed."))
    })?;
    let file = crate::phases::evidence::file_of(&conn, &incident, &import.file)?;
    let path = crate::phases::evidence::stored_path(store, &file.sha256);
    let unreadable = |e: std::io::Error| Error::Io {
        message: format!(
            "Cannot read the preserved copy of {} ({}): {e}. `firebreak evidence reverify {}` checks the evidence \
             folder.",
            file.original_name,
            path.display(),
            incident.id
        ),
    };
    let mut reader = std::io::BufReader::new(std::fs::File::open(&path).map_err(unreadable)?);
    reader.seek(std::io::SeekFrom::Start(found.step.origin.offset)).map_err(unreadable)?;
    // One byte past the limit says whether the line was cut.
    let mut bytes = Vec::new();
    reader.take(ORIGINAL_BYTES as u64 + 1).read_until(b'\n', &mut bytes).map_err(unreadable)?;
    let cut = bytes.len() > ORIGINAL_BYTES;
    bytes.truncate(ORIGINAL_BYTES);
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    Ok(StepOriginal {
        file_name: file.original_name,
        sha256: file.sha256,
        line: found.step.origin.line,
        offset: found.step.origin.offset,
        text: String::from_utf8_lossy(&bytes).into_owned(),
        cut,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What SQLite plans for a page's IDs under `filter`, on a database with Firebreak's schema.
    fn plan(filter: StepFilter) -> String {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(dir.path().join("plan.db")).unwrap();
        let conn = store.connect().unwrap();
        let (condition, params) = condition("incident", &filter).unwrap();
        let sql = format!("EXPLAIN QUERY PLAN {}", page_ids(&condition, 200, 500_000));
        let mut stmt = conn.prepare(&sql).unwrap();
        let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<rusqlite::Result<Vec<_>>>().unwrap().join("; ")
    }

    // A page of a million steps is read from an index in time order; sorting every step for each page (a temporary
    // B-tree) is what made deep pages take seconds.
    #[test]
    fn a_page_is_read_in_order_from_an_index_whatever_the_filter() {
        let cases = [
            (StepFilter::default(), "trace_steps_time"),
            (StepFilter { errors_only: true, ..Default::default() }, "trace_steps_failed"),
            (StepFilter { tool: Some("send_email".into()), ..Default::default() }, "trace_steps_tool"),
            (StepFilter { agent: Some("Refunds".into()), ..Default::default() }, "trace_steps_agent"),
        ];
        for (filter, index) in cases {
            let plan = plan(filter.clone());
            assert!(plan.contains(index), "{filter:?}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{filter:?}: {plan}");
        }
        let plan = plan(StepFilter::default());
        assert!(plan.contains("COVERING INDEX"), "the unfiltered page's IDs come from the index alone: {plan}");
    }
}
