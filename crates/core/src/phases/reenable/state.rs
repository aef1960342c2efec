//! The state a re-enable sign-off attests to: a hash over the incident record and all of its phase data.

use crate::audit;
use crate::error::Result;
use crate::incident::{self, Incident};
use rusqlite::Connection;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// SHA-256 (hex) over a canonical JSON of the incident record and every phase row of the incident: what a
/// sign-off attests to. Any change to the record or a phase row changes it.
pub fn state_hash(conn: &Connection, incident: &Incident) -> Result<String> {
    let current = incident::find(conn, &incident.uuid)?;
    let key = current.row_key();
    let mut tables = Map::new();
    for table in crate::phases::tables() {
        let mut rows: Vec<Value> = table.select(conn, "incident = ?1", &[&key])?;
        rows.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        tables.insert(table.name.to_string(), Value::Array(rows));
    }
    let state = serde_json::json!({ "incident": current, "phases": tables });
    Ok(audit::hex(&Sha256::digest(sorted(state).to_string().as_bytes())))
}

/// Object keys in sorted order at every level, whatever serde_json's map ordering is built with.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
