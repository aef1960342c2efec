//! Reading the affected-object table a page at a time: filters, text search, sort and counts, all in SQL so a table
//! of 100,000 objects stays quick to page through.

use super::{AffectedObject, AgentAction, ObjectStatus, RecoveryAction, OBJECTS};
use crate::error::Result;
use crate::incident::{self, Incident};
use crate::store::Store;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    /// The columns the table can be sorted by (the key is the column).
    ObjectSort, "ObjectSort.ts" {
        OccurredAt => ("occurred_at", "When"),
        System => ("system", "System"),
        ObjectType => ("object_type", "Object type"),
        ObjectId => ("object_id", "Object ID"),
        Action => ("action", "What the agent did"),
        RecoveryAction => ("recovery_action", "Recovery action"),
        RecoveryOwner => ("recovery_owner", "Recovery owner"),
        Status => ("status", "Status"),
        VerifiedAt => ("verified_at", "Verified at"),
    }
);

// `choices!` declares the enum and cannot mark a default variant.
#[allow(clippy::derivable_impls)]
impl Default for ObjectSort {
    fn default() -> Self {
        ObjectSort::OccurredAt
    }
}

crate::choices!(
    SortDirection, "SortDirection.ts" {
        Asc => ("asc", "Ascending"),
        Desc => ("desc", "Descending"),
    }
);

// `choices!` declares the enum and cannot mark a default variant.
#[allow(clippy::derivable_impls)]
impl Default for SortDirection {
    fn default() -> Self {
        SortDirection::Asc
    }
}

/// Which objects to show, in which order, and which page of them. The default is every object, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "ObjectQuery.ts")]
pub struct ObjectQuery {
    pub system: Option<String>,
    pub action: Option<AgentAction>,
    pub status: Option<ObjectStatus>,
    pub recovery_action: Option<RecoveryAction>,
    /// Only objects with no recovery action decided.
    pub undecided: bool,
    /// Case-insensitive search in system, object type and object ID.
    pub text: String,
    pub sort: ObjectSort,
    pub direction: SortDirection,
    #[ts(type = "number")]
    pub offset: u64,
    /// Rows per page; `None` for all of them.
    #[ts(type = "number | null")]
    pub limit: Option<u64>,
}

/// One page of objects and how many match the filters in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ObjectPage.ts")]
pub struct ObjectPage {
    pub rows: Vec<AffectedObject>,
    #[ts(type = "number")]
    pub total_matching: u64,
}

/// How many objects there are per system, action and status (largest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ObjectCounts.ts")]
pub struct ObjectCounts {
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "Array<[string, number]>")]
    pub by_system: Vec<(String, u64)>,
    #[ts(type = "Array<[string, number]>")]
    pub by_action: Vec<(String, u64)>,
    #[ts(type = "Array<[string, number]>")]
    pub by_status: Vec<(String, u64)>,
    /// Objects with no recovery action decided.
    #[ts(type = "number")]
    pub undecided: u64,
}

pub fn list(store: &Store, key: &str, query: &ObjectQuery) -> Result<ObjectPage> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let mut conditions = vec!["incident = ?1".to_string()];
    let mut params: Vec<String> = vec![incident.row_key()];
    let mut equal = |column: &str, value: Option<&str>, params: &mut Vec<String>| -> Result<()> {
        if let Some(value) = value {
            params.push(serde_json::to_string(value)?);
            conditions.push(format!("{column} = ?{}", params.len()));
        }
        Ok(())
    };
    equal("system", query.system.as_deref().map(str::trim), &mut params)?;
    equal("action", query.action.map(AgentAction::key), &mut params)?;
    equal("status", query.status.map(ObjectStatus::key), &mut params)?;
    equal("recovery_action", query.recovery_action.map(RecoveryAction::key), &mut params)?;
    if query.undecided {
        conditions.push("recovery_action IS NULL".into());
    }
    let text = query.text.trim();
    if !text.is_empty() {
        // A text search reads every row anyway: one sequential scan beats a random read per row through an index.
        conditions[0] = "+incident = ?1".into();
        params.push(format!("%{}%", like_pattern(text)?));
        let n = params.len();
        conditions.push(format!(
            "(system LIKE ?{n} ESCAPE '\\' OR object_type LIKE ?{n} ESCAPE '\\' OR object_id LIKE ?{n} ESCAPE '\\')"
        ));
    }
    let condition = conditions.join(" AND ");
    let bound: Vec<&dyn rusqlite::ToSql> = params.iter().map(|p| p as &dyn rusqlite::ToSql).collect();
    let total_matching: u64 =
        conn.query_row(&format!("SELECT count(*) FROM affected_objects WHERE {condition}"), bound.as_slice(), |r| {
            r.get(0)
        })?;
    // The keys of ObjectSort and SortDirection are fixed column names and keywords, never user text.
    let direction = query.direction.key();
    // With a filter, `+` keeps SQLite from walking the sort column's index over every row of the incident (one
    // random read per row): it reads the filter's index, or scans, and sorts the matches instead. Unfiltered, the
    // index order is what lets the first page stop after a hundred rows.
    let unary = if conditions.len() > 1 { "+" } else { "" };
    let mut order = format!("{unary}{} {direction} NULLS LAST, rowid {direction}", query.sort.key());
    // SQLite counts in i64: a larger page or offset (the CLI takes any u64) means "all" or "past the end".
    let sql_count = |n: u64| n.min(i64::MAX as u64);
    if let Some(limit) = query.limit {
        order.push_str(&format!(" LIMIT {}", sql_count(limit)));
    } else if query.offset > 0 {
        order.push_str(" LIMIT -1");
    }
    if query.offset > 0 {
        order.push_str(&format!(" OFFSET {}", sql_count(query.offset)));
    }
    let rows = OBJECTS.select_ordered(&conn, &condition, &order, bound.as_slice())?;
    Ok(ObjectPage { rows, total_matching })
}

/// The search text as it appears inside a stored JSON string, with LIKE's wildcards escaped.
fn like_pattern(text: &str) -> Result<String> {
    let quoted = serde_json::to_string(text)?;
    let inner = &quoted[1..quoted.len() - 1];
    Ok(inner.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

pub fn counts(store: &Store, key: &str) -> Result<ObjectCounts> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let param = incident.row_key();
    let total = total(&conn, &incident)?;
    let undecided = super::undecided_objects(&conn, &incident)?;
    Ok(ObjectCounts {
        total,
        by_system: grouped(&conn, &param, "system")?,
        by_action: grouped(&conn, &param, "action")?,
        by_status: grouped(&conn, &param, "status")?,
        undecided,
    })
}

/// How many affected objects the incident's side-effect audit holds.
pub(crate) fn total(conn: &Connection, incident: &Incident) -> Result<u64> {
    Ok(conn
        .query_row("SELECT count(*) FROM affected_objects WHERE incident = ?1", [incident.row_key()], |r| r.get(0))?)
}

fn grouped(conn: &Connection, incident: &str, column: &str) -> Result<Vec<(String, u64)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {column}, count(*) AS n FROM affected_objects WHERE incident = ?1 GROUP BY {column} \
         ORDER BY n DESC, {column}"
    ))?;
    let rows = stmt.query_map([incident], |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, u64>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (raw, n) = row?;
        let key = raw.and_then(|r| serde_json::from_str::<String>(&r).ok()).unwrap_or_default();
        out.push((key, n));
    }
    Ok(out)
}
