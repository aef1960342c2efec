//! Overrides: every time an owner goes against what Firebreak suggests or requires (a lower severity than suggested,
//! a status change the gates refuse), with who, why, what was overridden and the outcome. Append-only.

use crate::audit::Entity;
use crate::error::Result;
use crate::incident;
use crate::record::{self, Table};
use crate::store::{Store, Tx};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE overrides (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    kind TEXT,
    reason TEXT,
    prior TEXT,
    outcome TEXT,
    overridden_by TEXT,
    overridden_at TEXT
);
CREATE INDEX overrides_incident ON overrides (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::Override,
    name: "overrides",
    fields: &["incident", "kind", "reason", "prior", "outcome", "overridden_by", "overridden_at"],
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Override.ts")]
pub struct Override {
    pub id: String,
    pub incident: String,
    /// What was overridden: `severity`, or `gate:<target status>`.
    pub kind: String,
    pub reason: String,
    /// What Firebreak suggested or required (e.g. "sev1", or the missing items).
    #[serde(default)]
    pub prior: Vec<String>,
    /// What was done instead (e.g. "sev2", or "status set to closed").
    pub outcome: String,
    /// Who overrode (the actor of the change); also in the audit trail, kept here so lists need no join.
    pub overridden_by: String,
    pub overridden_at: DateTime<Utc>,
}

/// Every override of an incident, oldest first.
pub fn list(store: &Store, key: &str) -> Result<Vec<Override>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    TABLE.select(&conn, "incident = ?1", &[&incident.row_key()])
}

/// Logs an override inside the caller's transaction, stamped with its actor and instant. The caller has already
/// checked that `reason` is a real written reason.
pub(crate) fn record(
    tx: &mut Tx<'_>,
    incident_uuid: &str,
    kind: &str,
    reason: &str,
    prior: Vec<String>,
    outcome: &str,
) -> Result<Override> {
    let row = Override {
        id: record::new_id(),
        incident: incident_uuid.to_string(),
        kind: kind.to_string(),
        reason: reason.trim().to_string(),
        prior,
        outcome: outcome.to_string(),
        overridden_by: tx.actor().name.clone(),
        overridden_at: tx.at(),
    };
    TABLE.insert(tx, &row)?;
    Ok(row)
}
