//! Containment playbooks: per incident type a list of steps, kept as editable files under templates/playbooks/
//! (a user's copy in the data folder overrides the built-in one); each step is ticked with who, when and a note.

use crate::audit::Entity;
use crate::record::Table;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE playbook_steps (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    playbook TEXT,
    step TEXT,
    done TEXT,
    done_by TEXT,
    done_at TEXT,
    note TEXT
);
CREATE INDEX playbook_steps_incident ON playbook_steps (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::PlaybookStep,
    name: "playbook_steps",
    fields: &["incident", "playbook", "step", "done", "done_by", "done_at", "note"],
};

/// The state of one playbook step on one incident (absent until first ticked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "PlaybookStepState.ts")]
pub struct PlaybookStepState {
    pub id: String,
    pub incident: String,
    /// The playbook's id (its file name without extension).
    pub playbook: String,
    /// The step's key within the playbook.
    pub step: String,
    pub done: bool,
    pub done_by: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub note: String,
}
