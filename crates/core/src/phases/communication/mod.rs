//! The communication matrix: who must be told, why (derived from the record), when, the message (drafted from
//! templates/communications/), its owner, and its progress drafted → approved (by a named person) → sent.

mod audiences;
mod templates;

pub use audiences::{derive, Derived};
pub use templates::override_path;

use super::severity::{self, SeverityAssessment};
use super::PhaseProgress;
use crate::audit::{Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::people;
use crate::record::{self, Table};
use crate::store::{Store, Tx};
use chrono::{DateTime, Duration, SubsecRound, Utc};
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

const MAX_MESSAGE: usize = 20_000;
const MAX_SHORT: usize = 500;
/// Clocks of different machines disagree a little; a send time this far ahead is still "now".
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// The communication matrix: one row per audience, in a fixed order.
pub fn matrix(store: &Store, key: &str) -> Result<Vec<CommunicationView>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    views(&conn, &incident)
}

/// Drafts (or redrafts) the message for `audience` from its template, prefilled from the record. An approved or
/// sent message is never redrafted: that would silently discard what a person approved.
pub fn draft(store: &Store, actor: &Actor, key: &str, audience: Audience) -> Result<Communication> {
    store.write(actor, |tx| {
        let incident = with_current_severity(tx, incident::find(tx, key)?)?;
        let existing = stored(tx, &incident, audience)?;
        if let Some(row) = &existing {
            refuse_if_settled(row, "redrafted")?;
        }
        let context = templates::context(tx, &incident, audience)?;
        let message = templates::render(store, audience, &context)?;
        let derived = derive(&incident.fields, audience);
        let default_owner =
            [&incident.fields.commander, &incident.fields.business_owner].into_iter().find(|n| !n.is_empty());
        let mut after = existing.clone().unwrap_or_else(|| blank(&incident, audience));
        after.message = message;
        if after.when_to_tell.is_empty() {
            after.when_to_tell = derived.when_to_tell;
        }
        if after.owner.is_empty() {
            after.owner = default_owner.cloned().unwrap_or_default();
        }
        save(tx, existing.as_ref(), &after, None)?;
        Ok(after)
    })
}

/// Changes the decision, timing, message or owner of one audience's row (creating it if needed). Changing the
/// text of an approved message sends it back to drafted and clears the approval; a sent message's text is final.
pub fn edit(
    store: &Store,
    actor: &Actor,
    key: &str,
    audience: Audience,
    changes: EditCommunication,
) -> Result<CommunicationEdit> {
    store.write(actor, |tx| {
        let incident = with_current_severity(tx, incident::find(tx, key)?)?;
        let existing = stored(tx, &incident, audience)?;
        let mut after = existing.clone().unwrap_or_else(|| blank(&incident, audience));
        let label = audience.label();
        let mut notice = None;

        if let Some(because) = &changes.required_because {
            after.required_because = limited("required_because", because, MAX_SHORT)?;
        }
        if let Some(required) = changes.required {
            let derived = derive(&incident.fields, audience);
            if changes.required_because.is_none() && after.required.is_none() {
                after.required_because.clear();
            }
            if after.required_because.is_empty() {
                if required != derived.required {
                    let decision = if required { "must" } else { "need not" };
                    return Err(Error::invalid(
                        "required_because",
                        format!(
                            "Say why {label} {decision} be told: the record suggests otherwise ({})",
                            derived.because
                        ),
                    ));
                }
                after.required_because = derived.because;
            }
            after.required = Some(required);
        }
        if let Some(when) = &changes.when_to_tell {
            after.when_to_tell = limited("when_to_tell", when, MAX_SHORT)?;
        }
        if let Some(owner) = &changes.owner {
            after.owner = limited("owner", owner, MAX_SHORT)?;
            if !after.owner.is_empty() {
                people::ensure(tx, &after.owner, "")?;
            }
        }
        if let Some(message) = &changes.message {
            let message = limited("message", message, MAX_MESSAGE)?;
            if message != after.message {
                match after.status {
                    MessageStatus::Sent => {
                        return Err(Error::Conflict {
                            message: format!(
                                "The message to {label} was already sent{}; what was sent cannot be changed. Record a \
                                 correction as a new message or a timeline entry instead.",
                                sent_detail(&after)
                            ),
                        })
                    }
                    MessageStatus::Approved => {
                        notice = Some(format!(
                            "The message to {label} had been approved by {}; its text changed, so it is back to \
                             drafted and needs approval again.",
                            after.approved_by.as_deref().unwrap_or("someone")
                        ));
                        after.status = MessageStatus::Drafted;
                        after.approved_by = None;
                        after.approved_at = None;
                    }
                    MessageStatus::Drafted => {}
                }
                after.message = message;
            }
        }
        let reason = notice.as_deref().map(|_| "message changed after approval: approval cleared");
        save(tx, existing.as_ref(), &after, reason)?;
        Ok(CommunicationEdit { communication: after, notice })
    })
}

/// Records that a named person from the people directory approved the message as it stands.
pub fn approve(store: &Store, actor: &Actor, key: &str, audience: Audience, approver: &str) -> Result<Communication> {
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let label = audience.label();
        let row = stored(tx, &incident, audience)?.filter(|r| !r.message.trim().is_empty()).ok_or_else(|| {
            Error::invalid(
                "message",
                format!(
                    "There is no message to {label} to approve yet. Draft it first (`firebreak comms draft {} {}`).",
                    incident.id,
                    audience.key()
                ),
            )
        })?;
        refuse_if_settled(&row, "approved again")?;
        let approver = people::approver_in_directory(tx, "approver", approver)?;
        let after = Communication {
            status: MessageStatus::Approved,
            approved_by: Some(approver),
            approved_at: Some(tx.at()),
            ..row.clone()
        };
        save(tx, Some(&row), &after, None)?;
        Ok(after)
    })
}

/// Records when and how an approved message was sent. Refused before approval.
pub fn mark_sent(
    store: &Store,
    actor: &Actor,
    key: &str,
    audience: Audience,
    sent_at: DateTime<Utc>,
    via: &str,
) -> Result<Communication> {
    let sent_at = sent_at.trunc_subsecs(6);
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let label = audience.label();
        let row = stored(tx, &incident, audience)?;
        let row = match row {
            Some(row) if row.status == MessageStatus::Approved => row,
            Some(row) if row.status == MessageStatus::Sent => {
                return Err(Error::Conflict {
                    message: format!("The message to {label} is already marked sent{}.", sent_detail(&row)),
                })
            }
            _ => {
                return Err(Error::GateBlocked {
                    message: format!(
                    "The message to {label} is not approved: approve it first (by a named person), then mark it sent."
                ),
                    missing: vec![format!("Approval of the message to {label} by a named person")],
                })
            }
        };
        if sent_at > tx.at() + CLOCK_SKEW {
            return Err(Error::invalid(
                "sent_at",
                format!(
                    "The send time {} is in the future. Record the time it was actually sent.",
                    crate::audit::format_instant(sent_at)
                ),
            ));
        }
        let via = limited("via", via, MAX_SHORT)?;
        if via.is_empty() {
            return Err(Error::invalid("via", "Say how it was sent (email, phone call, status page, letter…)."));
        }
        let after =
            Communication { status: MessageStatus::Sent, sent_at: Some(sent_at), sent_via: Some(via), ..row.clone() };
        save(tx, Some(&row), &after, None)?;
        Ok(after)
    })
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
        phase: "communication".into(),
        label: "Communication".into(),
        complete: missing.is_empty(),
        next: missing.first().cloned(),
        missing,
    })
}

fn views(conn: &Connection, incident: &Incident) -> Result<Vec<CommunicationView>> {
    let incident = with_current_severity(conn, incident.clone())?;
    let key = serde_json::to_string(&incident.uuid)?;
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
fn with_current_severity(conn: &Connection, mut incident: Incident) -> Result<Incident> {
    let key = serde_json::to_string(&incident.uuid)?;
    if let Some(latest) = severity::TABLE.select::<SeverityAssessment>(conn, "incident = ?1", &[&key])?.pop() {
        incident.fields.severity = Some(latest.chosen);
    }
    Ok(incident)
}

fn stored(conn: &Connection, incident: &Incident, audience: Audience) -> Result<Option<Communication>> {
    let key = serde_json::to_string(&incident.uuid)?;
    let audience = serde_json::to_string(&audience)?;
    Ok(TABLE.select(conn, "incident = ?1 AND audience = ?2", &[&key, &audience])?.pop())
}

fn blank(incident: &Incident, audience: Audience) -> Communication {
    Communication {
        id: record::new_id(),
        incident: incident.uuid.clone(),
        audience,
        required: None,
        required_because: String::new(),
        when_to_tell: String::new(),
        message: String::new(),
        owner: String::new(),
        status: MessageStatus::Drafted,
        approved_by: None,
        approved_at: None,
        sent_at: None,
        sent_via: None,
    }
}

fn save(tx: &mut Tx<'_>, before: Option<&Communication>, after: &Communication, reason: Option<&str>) -> Result<()> {
    match before {
        Some(before) => TABLE.update(tx, before, after, reason).map(|_| ()),
        None => TABLE.insert(tx, after).map(|_| ()),
    }
}

fn refuse_if_settled(row: &Communication, what: &str) -> Result<()> {
    let label = row.audience.label();
    let message = match row.status {
        MessageStatus::Drafted => return Ok(()),
        MessageStatus::Approved => format!(
            "The message to {label} is approved by {}; it cannot be {what}. Edit its text instead (that sends it back \
             for approval).",
            row.approved_by.as_deref().unwrap_or("someone")
        ),
        MessageStatus::Sent => {
            format!("The message to {label} was already sent{}; it cannot be {what}.", sent_detail(row))
        }
    };
    Err(Error::Conflict { message })
}

fn sent_detail(row: &Communication) -> String {
    let when = row.sent_at.map(|t| format!(" on {}", crate::audit::format_instant(t))).unwrap_or_default();
    let via = row.sent_via.as_deref().map(|v| format!(" via {v}")).unwrap_or_default();
    format!("{when}{via}")
}

/// Trimmed text, refused with the field's name when too long.
pub(crate) fn limited(field: &str, text: &str, max: usize) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(Error::invalid(field, format!("The {field} is too long; keep it under {max} characters.")));
    }
    Ok(text.to_string())
}
