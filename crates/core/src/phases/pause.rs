//! Pause: what was stopped, at the smallest safe scope, who approved it, and when and by whom it was lifted.

use crate::audit::Entity;
use crate::record::Table;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    /// The scope a pause applies to, from narrowest to broadest effect on the business.
    PauseScope, "PauseScope.ts" {
        Workflow => ("workflow", "The whole workflow"),
        Trigger => ("trigger", "A schedule or trigger"),
        Tool => ("tool", "One tool"),
        Permission => ("permission", "A permission or connector"),
        Queue => ("queue", "A queue"),
        Session => ("session", "A browser session"),
        Source => ("source", "A retrieval source"),
        Sends => ("sends", "Outbound sends"),
        Downstream => ("downstream", "A downstream automation"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE pause_actions (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    scope TEXT,
    target TEXT,
    approved_by TEXT,
    paused_at TEXT,
    lifted_at TEXT,
    lifted_by TEXT,
    note TEXT
);
CREATE INDEX pause_actions_incident ON pause_actions (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::PauseAction,
    name: "pause_actions",
    fields: &["incident", "scope", "target", "approved_by", "paused_at", "lifted_at", "lifted_by", "note"],
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "PauseAction.ts")]
pub struct PauseAction {
    pub id: String,
    pub incident: String,
    pub scope: PauseScope,
    /// What exactly is paused, e.g. "refund-sender tool" or "nightly backfill".
    pub target: String,
    pub approved_by: String,
    pub paused_at: DateTime<Utc>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lifted_by: Option<String>,
    #[serde(default)]
    pub note: String,
}
