//! Search: one full-text search over an incident's trace steps and its record (the record's fields, notes,
//! reasons, messages, notification texts, the postmortem), or over every incident from the register. SQLite FTS5
//! ranks the hits; snippets come back as parts marked hit or not, so the highlighting is done by whoever shows them,
//! as text.

mod index;
mod query;

pub(crate) use index::SCHEMA_V7;

use crate::audit::Entity;
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::phases::{Phase, PHASES};
use crate::store::Store;
use crate::trace::StepKind;
use chrono::{DateTime, Utc};
use query::{Query, Within};
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What to search for, and where: one incident, or every incident when `incident` is empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "SearchRequest.ts")]
pub struct SearchRequest {
    /// Words, `"phrases"`, `prefix*`, AND / OR / NOT, brackets, and the filters `tool:`, `agent:`, `kind:`,
    /// `error:yes|no`, `in:steps|record|postmortem|…` and `incident:`.
    pub query: String,
    pub incident: Option<String>,
    /// Hits to return; `None` for 50.
    #[ts(type = "number | null")]
    pub limit: Option<u64>,
}

/// Whether `table` is one of the search's own tables (the indexes and the text they are built from). Their rows are
/// derived from audited rows by triggers and rebuilt by migration, so the audit trail does not cover them and a
/// change there is not tampering.
pub fn is_search_table(table: &str) -> bool {
    table.starts_with("trace_search") || table.starts_with("search_text")
}

const DEFAULT_HITS: u64 = 50;
/// The most hits one search returns, so no search reads without bound.
pub const MAX_HITS: u64 = 500;
/// The most steps a search ranks by relevance. Ranking reads every step that matches (its length in the index, its
/// row for the filters), and a common word matches most of a million steps: past this many the steps are listed in
/// file order, which reads only as many as are shown.
pub const MAX_RANKED: u64 = 2_000;
/// Tokens a snippet holds around the words found.
const SNIPPET_TOKENS: u32 = 16;
/// Markers FTS5 puts around the words found; private-use characters, split out before anything is shown.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// Part of a snippet: the words found are `hit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "SnippetPart.ts")]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// One thing found: a step of a trace, or a field of the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SearchHit.ts")]
pub struct SearchHit {
    /// The incident's ID (`INC-2026-0001`) and title.
    pub incident: String,
    pub incident_title: String,
    /// What was found, in words: `Tool call · email.send`, `Postmortem · root cause`.
    pub label: String,
    /// The step found, for a hit in a trace.
    #[ts(type = "number | null")]
    pub step: Option<i64>,
    pub step_kind: Option<StepKind>,
    /// The step failed.
    pub is_error: bool,
    pub at: Option<DateTime<Utc>>,
    /// The kind of record and its row, for a hit in the record (the incident itself for its own fields).
    pub entity: Option<Entity>,
    pub row: Option<String>,
    pub field: Option<String>,
    /// The phase whose tab shows the record; none for the record's own fields and for overrides.
    pub phase: Option<Phase>,
    pub snippet: Vec<SnippetPart>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SearchResults.ts")]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// More hits than `limit` matched.
    pub more: bool,
    /// More than [`MAX_RANKED`] steps matched the words, so the steps found are the first in the traces' own order
    /// rather than the most relevant (the record's hits are still ranked, and come first).
    pub steps_in_file_order: bool,
}

/// Runs a search. Hits from the steps and from the record are ranked together by FTS5's relevance (BM25).
pub fn search(store: &Store, request: &SearchRequest) -> Result<SearchResults> {
    let conn = store.connect()?;
    let query = query::parse(&request.query)?;
    if query.text.is_none() && !query.steps_only() {
        return Err(Error::invalid(
            "query",
            "Type a word to search for. Filters alone (tool:, agent:, kind:, error:) find steps; in: and incident: \
             need words beside them.",
        ));
    }
    let incident = match (request.incident.as_deref().filter(|k| !k.trim().is_empty()), query.incident.as_deref()) {
        (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b) => {
            return Err(Error::invalid(
                "query",
                format!("This search is within {a}; remove incident:{b} or search from the register."),
            ))
        }
        (Some(key), _) | (None, Some(key)) => Some(incident::find(&conn, key)?),
        (None, None) => None,
    };
    let limit = request.limit.unwrap_or(DEFAULT_HITS).clamp(1, MAX_HITS);
    let mut ranked: Vec<(f64, SearchHit)> = Vec::new();
    let mut steps_in_file_order = false;
    if matches!(query.within, None | Some(Within::Steps)) {
        let (hits, in_file_order) = step_hits(&conn, &query, incident.as_ref(), limit + 1)?;
        ranked.extend(hits);
        steps_in_file_order = in_file_order;
    }
    if query.within != Some(Within::Steps) && !query.steps_only() {
        if let Some(text) = &query.text {
            ranked.extend(record_hits(&conn, text, query.within, incident.as_ref(), limit + 1)?);
        }
    }
    // BM25 is lower for a better match; filters alone give every hit 0 and keep the steps' time order.
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let more = ranked.len() as u64 > limit;
    ranked.truncate(limit as usize);
    Ok(SearchResults { hits: ranked.into_iter().map(|(_, hit)| hit).collect(), more, steps_in_file_order })
}

/// How far into a step's text a hit found by filters alone shows, since it has no words to centre on.
const FILTERED_PREVIEW_CHARS: u32 = 200;

fn step_hits(
    conn: &Connection,
    query: &Query,
    incident: Option<&Incident>,
    limit: u64,
) -> Result<(Vec<(f64, SearchHit)>, bool)> {
    let mut conditions: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let mut bind = |conditions: &mut Vec<String>, sql: &str, value: Value| {
        params.push(value);
        conditions.push(sql.replace('?', &format!("?{}", params.len())));
    };
    if let Some(text) = &query.text {
        bind(&mut conditions, "trace_search MATCH ?", Value::Text(text.clone()));
    }
    if let Some(incident) = incident {
        bind(&mut conditions, "s.incident = ?", Value::Text(incident.uuid.clone()));
    }
    if let Some(tool) = &query.tool {
        bind(&mut conditions, "s.tool = ?", Value::Text(tool.clone()));
    }
    if let Some(agent) = &query.agent {
        bind(&mut conditions, "s.agent = ?", Value::Text(agent.clone()));
    }
    if let Some(kind) = query.kind {
        bind(&mut conditions, "s.kind = ?", Value::Text(kind.key().to_string()));
    }
    // Written out rather than bound, so that the planner can read failed steps from their own (partial) indexes.
    match query.error {
        Some(true) => conditions.push("s.is_error".into()),
        Some(false) => conditions.push("NOT s.is_error".into()),
        None => {}
    }
    let condition = if conditions.is_empty() { "1".to_string() } else { conditions.join(" AND ") };
    let columns = "s.id, i.id, i.title, s.kind, s.tool, s.name, s.at, s.is_error";
    let matched =
        "trace_search JOIN trace_steps s ON s.id = trace_search.rowid JOIN incidents i ON i.uuid = s.incident";
    let marked =
        format!("snippet(trace_search, -1, char({}), char({}), '…', {SNIPPET_TOKENS})", OPEN as u32, CLOSE as u32);
    let (sql, in_file_order) = if query.text.is_some() {
        let counted: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM (SELECT 1 FROM {matched} WHERE {condition} LIMIT {})", MAX_RANKED + 1),
                rusqlite::params_from_iter(params.iter()),
                |r| r.get(0),
            )
            .map_err(refused)?;
        if counted as u64 <= MAX_RANKED {
            let sql = format!(
                "SELECT {columns}, {marked}, rank FROM {matched} WHERE {condition} ORDER BY rank LIMIT {limit}"
            );
            (sql, false)
        } else {
            let sql = format!(
                "SELECT {columns}, {marked}, 0.0 FROM {matched} WHERE {condition} ORDER BY trace_search.rowid LIMIT {limit}"
            );
            (sql, true)
        }
    } else {
        let sql = format!(
            "SELECT {columns}, substr(coalesce(s.error, s.arguments, s.result, ''), 1, {FILTERED_PREVIEW_CHARS}), 0.0
             FROM trace_steps s JOIN incidents i ON i.uuid = s.incident
             WHERE {condition} ORDER BY s.incident, s.at IS NULL, s.at, s.import, s.seq LIMIT {limit}"
        );
        (sql, false)
    };
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params.iter()), |r| {
            let kind = StepKind::parse(&r.get::<_, String>(3)?).unwrap_or(StepKind::Message);
            let tool: Option<String> = r.get(4)?;
            let name: Option<String> = r.get(5)?;
            let label = match tool.or(name) {
                Some(what) => format!("{} · {what}", kind.label()),
                None => kind.label().to_string(),
            };
            let hit = SearchHit {
                incident: r.get(1)?,
                incident_title: r.get(2)?,
                label,
                step: Some(r.get(0)?),
                step_kind: Some(kind),
                is_error: r.get(7)?,
                at: crate::investigation::instant_of(r.get(6)?),
                entity: None,
                row: None,
                field: None,
                phase: None,
                snippet: snippet(&r.get::<_, Option<String>>(8)?.unwrap_or_default()),
            };
            Ok((r.get::<_, f64>(9)?, hit))
        })
        .map_err(refused)?;
    Ok((rows.collect::<rusqlite::Result<Vec<_>>>().map_err(refused)?, in_file_order))
}

fn record_hits(
    conn: &Connection,
    text: &str,
    within: Option<Within>,
    incident: Option<&Incident>,
    limit: u64,
) -> Result<Vec<(f64, SearchHit)>> {
    let mut sql = format!(
        "SELECT t.entity, t.row_id, t.field, i.id, i.title,
                snippet(search_text_index, 0, char({}), char({}), '…', {SNIPPET_TOKENS}), rank
         FROM search_text_index JOIN search_text t ON t.id = search_text_index.rowid
              JOIN incidents i ON i.uuid = t.incident
         WHERE search_text_index MATCH ?1",
        OPEN as u32, CLOSE as u32
    );
    let mut params = vec![Value::Text(text.to_string()), Value::Integer(limit as i64)];
    if let Some(incident) = incident {
        params.push(Value::Text(incident.uuid.clone()));
        sql.push_str(&format!(" AND t.incident = ?{}", params.len()));
    }
    if let Some(Within::Records(entity)) = within {
        params.push(Value::Text(entity.key().to_string()));
        sql.push_str(&format!(" AND t.entity = ?{}", params.len()));
    }
    sql.push_str(" ORDER BY rank LIMIT ?2");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params.iter()), |r| {
            let entity = Entity::parse(&r.get::<_, String>(0)?);
            let field: String = r.get(2)?;
            let hit = SearchHit {
                incident: r.get(3)?,
                incident_title: r.get(4)?,
                label: record_label(entity, &field),
                step: None,
                step_kind: None,
                is_error: false,
                at: None,
                entity,
                row: Some(r.get(1)?),
                phase: entity.and_then(phase_of),
                field: Some(field),
                snippet: snippet(&r.get::<_, String>(5)?),
            };
            Ok((r.get::<_, f64>(6)?, hit))
        })
        .map_err(refused)?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(refused)
}

/// `Postmortem · root cause`; the incident's own fields are `Record · …`.
fn record_label(entity: Option<Entity>, field: &str) -> String {
    let what = match entity {
        Some(Entity::Incident) => "Record".to_string(),
        Some(entity) => {
            let label = entity.label();
            let mut chars = label.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
        None => "Record".to_string(),
    };
    format!("{what} · {}", field.replace('_', " "))
}

/// The phase whose tables hold rows of `entity`.
fn phase_of(entity: Entity) -> Option<Phase> {
    PHASES.iter().find(|p| p.tables.iter().any(|t| t.entity == entity)).map(|p| p.phase)
}

/// The kinds of record the search reads, for `in:`.
pub(crate) fn searched_entities() -> Vec<Entity> {
    let mut entities = vec![Entity::Incident];
    for (table, _) in index::SEARCHED {
        if !entities.contains(&table.entity) {
            entities.push(table.entity);
        }
    }
    entities
}

/// A snippet split at FTS5's markers. A marker character inside the text itself only ends or starts a highlight:
/// the parts are text either way.
fn snippet(marked: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut hit = false;
    let mut current = String::new();
    for c in marked.chars() {
        if c == OPEN || c == CLOSE {
            if !current.is_empty() {
                parts.push(SnippetPart { text: std::mem::take(&mut current), hit });
            }
            hit = c == OPEN;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        parts.push(SnippetPart { text: current, hit });
    }
    parts
}

/// An FTS5 refusal (the expression is checked before, so this is the database's limit on a query) as a message.
fn refused(e: rusqlite::Error) -> Error {
    let message = e.to_string();
    if message.contains("fts5") {
        Error::invalid("query", format!("The search could not be run ({message}). Simplify it and try again."))
    } else {
        e.into()
    }
}

#[cfg(test)]
mod tests;
