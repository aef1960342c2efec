//! The communication matrix: who must be told, why (derived from the record), when, the message (drafted from
//! templates/communications/), its owner, and its progress drafted → approved (by a named person) → sent.

mod audiences;
mod messages;
mod templates;

pub use audiences::{derive, Derived};
pub use messages::{approve, draft, edit, mark_sent};
pub use templates::override_path;
pub(crate) use templates::{actions_taken, shown};

use super::severity;
use super::{Declaration, Phase, PhaseProgress};
use crate::audit::Entity;
use crate::error::Result;
use crate::incident::{self, Incident};
use crate::phases::postmortem::timeline::{self as tl, Timeline};
use crate::phases::postmortem::TimelineKind;
use crate::record::Table;
use crate::store::Store;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    Audience, "Audience.ts" {
        BusinessOwner => ("business_owner", "Business workflow owner"),
        TechnicalOwner => ("technical_owner", "Technical owner"),
        Security => ("security", "Security"),
        LegalCompliance => ("legal_compliance", "Legal / compliance"),
        InternalUsers => ("internal_users", "Affected internal users"),
        Customers => ("customers", "Customers"),
        Vendors => ("vendors", "Vendors"),
        Candidates => ("candidates", "Candidates"),
        Employees => ("employees", "Employees"),
        Partners => ("partners", "Partners"),
        Executives => ("executives", "Executives"),
    }
);

crate::choices!(
    MessageStatus, "MessageStatus.ts" {
        Drafted => ("drafted", "Drafted"),
        Approved => ("approved", "Approved"),
        Sent => ("sent", "Sent"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE communications (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    audience TEXT,
    required TEXT,
    required_because TEXT,
    when_to_tell TEXT,
    message TEXT,
    owner TEXT,
    status TEXT,
    approved_by TEXT,
    approved_at TEXT,
    sent_at TEXT,
    sent_via TEXT
);
CREATE UNIQUE INDEX communications_incident_audience ON communications (incident, audience);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::Communication,
    name: "communications",
    fields: &[
        "incident",
        "audience",
        "required",
        "required_because",
        "when_to_tell",
        "message",
        "owner",
        "status",
        "approved_by",
        "approved_at",
        "sent_at",
        "sent_via",
    ],
};

/// One row of the matrix for one audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Communication.ts")]
pub struct Communication {
    pub id: String,
    pub incident: String,
    pub audience: Audience,
    /// An explicit decision; absent while the record's derivation ([`derive`]) decides.
    pub required: Option<bool>,
    /// The reason for an explicit decision.
    #[serde(default)]
    pub required_because: String,
    /// E.g. "now", "within 24 hours", "after recovery".
    #[serde(default)]
    pub when_to_tell: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub owner: String,
    pub status: MessageStatus,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// How it was sent (email, call, status page…).
    pub sent_via: Option<String>,
}

/// One row of the matrix as a screen shows it: what the record derives, merged with what was decided and drafted.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "CommunicationView.ts")]
pub struct CommunicationView {
    pub audience: Audience,
    pub label: String,
    pub required: bool,
    pub required_because: String,
    /// Whether `required` is a person's explicit decision rather than the record's derivation.
    pub decided: bool,
    /// What the record alone says, shown beside an explicit decision so a change in the record is visible.
    pub derived_required: bool,
    pub derived_because: String,
    pub when_to_tell: String,
    /// The stored row; absent until a message is drafted or a decision recorded.
    pub communication: Option<Communication>,
}

/// Changes to one audience's row; `None` leaves a value as it is.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "EditCommunication.ts")]
pub struct EditCommunication {
    pub required: Option<bool>,
    pub required_because: Option<String>,
    pub when_to_tell: Option<String>,
    pub message: Option<String>,
    pub owner: Option<String>,
}

/// The row after an edit, and what the edit did besides (e.g. sending an approved message back for approval).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "CommunicationEdit.ts")]
pub struct CommunicationEdit {
    pub communication: Communication,
    pub notice: Option<String>,
}

/// The communication matrix: one row per audience, in a fixed order.
pub fn matrix(store: &Store, key: &str) -> Result<Vec<CommunicationView>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    views(&conn, &incident)
}

/// Complete when every required audience has been sent its approved message (an audience explicitly marked not
/// required, with a reason, is not required).
pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let mut missing = Vec::new();
    for view in views(conn, incident)? {
        if !view.required {
            continue;
        }
        let label = &view.label;
        match &view.communication {
            Some(c) if c.status == MessageStatus::Sent => {}
            Some(c) if c.status == MessageStatus::Approved => {
                missing.push(format!("Tell {label}: the approved message is not marked sent yet"))
            }
            Some(c) if !c.message.trim().is_empty() => {
                missing.push(format!("Tell {label}: the message awaits approval by a named person"))
            }
            _ => missing.push(format!("Tell {label} ({}): no message drafted yet", view.when_to_tell)),
        }
    }
    Ok(PhaseProgress {
        phase: Phase::Communication,
        label: Phase::Communication.label().into(),
        complete: missing.is_empty(),
        next: missing.first().cloned(),
        missing,
    })
}

fn views(conn: &Connection, incident: &Incident) -> Result<Vec<CommunicationView>> {
    let incident = with_current_severity(conn, incident.clone())?;
    let key = incident.row_key();
    let rows: Vec<Communication> = TABLE.select(conn, "incident = ?1", &[&key])?;
    Ok(Audience::ALL
        .iter()
        .map(|&audience| {
            let derived = derive(&incident.fields, audience);
            let row = rows.iter().find(|r| r.audience == audience).cloned();
            let decision = row.as_ref().and_then(|r| r.required.map(|req| (req, r.required_because.clone())));
            let when = row.as_ref().map(|r| r.when_to_tell.clone()).filter(|w| !w.is_empty());
            CommunicationView {
                audience,
                label: audience.label().into(),
                required: decision.as_ref().map_or(derived.required, |d| d.0),
                required_because: decision.as_ref().map_or_else(|| derived.because.clone(), |d| d.1.clone()),
                decided: decision.is_some(),
                derived_required: derived.required,
                derived_because: derived.because,
                when_to_tell: when.unwrap_or(derived.when_to_tell),
                communication: row,
            }
        })
        .collect())
}

/// The incident with its current severity: the latest assessment's chosen level, else the record's field.
pub(crate) fn with_current_severity(conn: &Connection, mut incident: Incident) -> Result<Incident> {
    if let Some(latest) = severity::latest(conn, &incident)? {
        incident.fields.severity = Some(latest.chosen);
    }
    Ok(incident)
}

pub const PHASE: Declaration = Declaration {
    phase: Phase::Communication,
    tables: &[&TABLE],
    schema: &[(2, SCHEMA_V2)],
    progress,
    gates: &[],
    timeline,
};

fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    for c in tl::rows::<Communication>(conn, &TABLE, incident)? {
        let audience = c.audience.label();
        let src = tl::source(Entity::Communication, &c.id);
        if let Some(at) = c.approved_at {
            let who = tl::by(c.approved_by.as_deref().unwrap_or_default());
            out.push(at, TimelineKind::Communication, format!("Message to {audience} approved{who}"), src.clone());
        }
        if let Some(at) = c.sent_at {
            let via = c.sent_via.as_deref().map(|v| format!(" via {v}")).unwrap_or_default();
            out.push(at, TimelineKind::Communication, format!("Message to {audience} sent{via}"), src);
        }
    }
    Ok(())
}
