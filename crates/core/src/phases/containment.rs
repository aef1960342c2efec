//! Containment checklist: which credentials, connectors, queues, sessions and writes were isolated, by whom, when.

use crate::audit::Entity;
use crate::record::Table;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    ContainmentArea, "ContainmentArea.ts" {
        TokensSecrets => ("tokens_secrets", "Tokens and secrets"),
        OauthGrants => ("oauth_grants", "OAuth grants"),
        BrowserSessions => ("browser_sessions", "Browser sessions"),
        Queues => ("queues", "Queues"),
        Webhooks => ("webhooks", "Webhooks"),
        Retrieval => ("retrieval", "Retrieval sources"),
        WriteTools => ("write_tools", "Write tools"),
        Notifications => ("notifications", "Notifications"),
        DownstreamAutomations => ("downstream_automations", "Downstream automations"),
    }
);

crate::choices!(
    ContainmentStatus, "ContainmentStatus.ts" {
        NotNeeded => ("not_needed", "Not needed"),
        ToDo => ("to_do", "To do"),
        Done => ("done", "Done"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE containment_items (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    area TEXT,
    status TEXT,
    done_by TEXT,
    done_at TEXT,
    note TEXT
);
CREATE INDEX containment_items_incident ON containment_items (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::ContainmentItem,
    name: "containment_items",
    fields: &["incident", "area", "status", "done_by", "done_at", "note"],
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ContainmentItem.ts")]
pub struct ContainmentItem {
    pub id: String,
    pub incident: String,
    pub area: ContainmentArea,
    pub status: ContainmentStatus,
    pub done_by: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub note: String,
}
