//! One audience's message through its life: drafted from the template, edited, approved by a named person, sent.

use super::{
    derive, templates, with_current_severity, Audience, Communication, CommunicationEdit, EditCommunication,
    MessageStatus, TABLE,
};
use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::people;
use crate::record;
use crate::store::{Store, Tx};
use crate::text::limited;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use rusqlite::Connection;

const MAX_MESSAGE: usize = 20_000;
const MAX_SHORT: usize = 500;
/// Clocks of different machines disagree a little; a send time this far ahead is still "now".
const CLOCK_SKEW: Duration = Duration::minutes(5);

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
                    "There is no message to {label} to approve yet. Draft it first (`firebreak communication draft {} {}`).",
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

pub(crate) fn stored(conn: &Connection, incident: &Incident, audience: Audience) -> Result<Option<Communication>> {
    let key = incident.row_key();
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
