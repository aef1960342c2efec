//! Containment checklist: which credentials, connectors, queues, sessions and writes were isolated, by whom, when.

use super::{Declaration, Phase, PhaseProgress};
use crate::audit::{Actor, Entity};
use crate::error::Result;
use crate::incident::{self, Incident};
use crate::phases::postmortem::timeline::{self as tl, Timeline};
use crate::phases::postmortem::TimelineKind;
use crate::record::{self, Table};
use crate::store::Store;
use crate::vocabulary::Status;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
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

/// One line of the checklist as shown: every area appears, recorded or not.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "ContainmentLine.ts")]
pub struct ContainmentLine {
    pub area: ContainmentArea,
    pub label: String,
    pub status: ContainmentStatus,
    pub done_by: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    pub note: String,
    /// The stored item, once the area has been set; `None` means "to do" by default.
    pub item_id: Option<String>,
}

/// Sets an area's status (and note, when given). Done stamps who and when; leaving done clears them.
pub fn set(
    store: &Store,
    actor: &Actor,
    key: &str,
    area: ContainmentArea,
    status: ContainmentStatus,
    note: Option<&str>,
) -> Result<ContainmentItem> {
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let existing = of_incident(tx, &incident)?.into_iter().find(|i| i.area == area);
        let base = existing.clone().unwrap_or_else(|| ContainmentItem {
            id: record::new_id(),
            incident: incident.uuid.clone(),
            area,
            status: ContainmentStatus::ToDo,
            done_by: None,
            done_at: None,
            note: String::new(),
        });
        let (done_by, done_at) = match status {
            // Marking done again keeps who did it first and when.
            ContainmentStatus::Done if base.status == ContainmentStatus::Done => (base.done_by.clone(), base.done_at),
            ContainmentStatus::Done => (Some(tx.actor().name.clone()), Some(tx.at())),
            _ => (None, None),
        };
        let note = note.map(|n| n.trim().to_string()).unwrap_or_else(|| base.note.clone());
        let after = ContainmentItem { status, done_by, done_at, note, ..base.clone() };
        match existing {
            Some(before) => {
                TABLE.update(tx, &before, &after, None)?;
            }
            None => {
                TABLE.insert(tx, &after)?;
            }
        }
        Ok(after)
    })
}

/// All nine areas in checklist order; areas never set show as to do (nothing is written for them).
pub fn list(store: &Store, key: &str) -> Result<Vec<ContainmentLine>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    lines(&conn, &incident)
}

pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let to_do: Vec<ContainmentLine> =
        lines(conn, incident)?.into_iter().filter(|l| l.status == ContainmentStatus::ToDo).collect();
    Ok(PhaseProgress {
        phase: Phase::Containment,
        label: Phase::Containment.label().into(),
        complete: to_do.is_empty(),
        missing: to_do.iter().map(|l| format!("{}: mark done or not needed", l.label)).collect(),
        next: to_do.first().map(|l| format!("{}: contain them, or mark them not needed", l.label)),
    })
}

fn lines(conn: &Connection, incident: &Incident) -> Result<Vec<ContainmentLine>> {
    let items = of_incident(conn, incident)?;
    Ok(ContainmentArea::ALL
        .iter()
        .map(|&area| match items.iter().find(|i| i.area == area) {
            Some(i) => ContainmentLine {
                area,
                label: area.label().into(),
                status: i.status,
                done_by: i.done_by.clone(),
                done_at: i.done_at,
                note: i.note.clone(),
                item_id: Some(i.id.clone()),
            },
            None => ContainmentLine {
                area,
                label: area.label().into(),
                status: ContainmentStatus::ToDo,
                done_by: None,
                done_at: None,
                note: String::new(),
                item_id: None,
            },
        })
        .collect())
}

fn of_incident(conn: &Connection, incident: &Incident) -> Result<Vec<ContainmentItem>> {
    TABLE.select(conn, "incident = ?1", &[&incident.row_key()])
}

pub const PHASE: Declaration = Declaration {
    phase: Phase::Containment,
    tables: &[&TABLE],
    schema: &[(2, SCHEMA_V2)],
    progress,
    gates: &[Status::Recovering, Status::Monitoring],
    timeline,
};

fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    for c in tl::rows::<ContainmentItem>(conn, &TABLE, incident)? {
        if let (ContainmentStatus::Done, Some(at)) = (c.status, c.done_at) {
            let note = if c.note.is_empty() { String::new() } else { format!(": {}", c.note) };
            let who = tl::by(c.done_by.as_deref().unwrap_or_default());
            let text = format!("Contained {}{note}{who}", c.area.label().to_lowercase());
            out.push(at, TimelineKind::Containment, text, tl::source(Entity::ContainmentItem, &c.id));
        }
    }
    Ok(())
}
