//! Overrides: every time an owner goes against what Firebreak suggests or requires (a lower severity than suggested,
//! a status change the gates refuse), with who, why, what was overridden and the outcome. Append-only.

use crate::audit::Entity;
use crate::record::Table;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE overrides (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    kind TEXT,
    reason TEXT,
    prior TEXT,
    outcome TEXT
);
CREATE INDEX overrides_incident ON overrides (incident);
";

pub(crate) const TABLE: Table =
    Table { entity: Entity::Override, name: "overrides", fields: &["incident", "kind", "reason", "prior", "outcome"] };

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Override.ts")]
pub struct Override {
    pub id: String,
    pub incident: String,
    /// What was overridden: `severity`, or `gate:<target status>`.
    pub kind: String,
    pub reason: String,
    /// What Firebreak suggested or required (e.g. "sev1", or the missing items).
    pub prior: Vec<String>,
    /// What was done instead (e.g. "sev2", or "status set to closed").
    pub outcome: String,
}
