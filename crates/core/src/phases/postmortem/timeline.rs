//! The postmortem timeline: built from what the record already holds (detection, severity, pauses, containment,
//! evidence, side effects, recovery, communication, re-enable), so nobody retypes it, plus manual entries.

use super::{TimelineEntry, TIMELINE};
use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::phases::affected::{self, AffectedObject, RecoveryLogEntry};
use crate::phases::communication::{self, Communication};
use crate::phases::containment::{self, ContainmentItem, ContainmentStatus};
use crate::phases::evidence::{self, EvidenceFile};
use crate::phases::pause::{self, PauseAction};
use crate::phases::playbook::{self, PlaybookStepState};
use crate::phases::reenable::{self, ReenableSignoff, ReenableStage};
use crate::phases::severity::{self, SeverityAssessment};
use crate::record::{self, Table};
use crate::store::Store;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use serde::Serialize;
use ts_rs::TS;

crate::choices!(
    TimelineKind, "TimelineKind.ts" {
        Detection => ("detection", "Detection"),
        Awareness => ("awareness", "Awareness"),
        Opened => ("opened", "Incident opened"),
        Status => ("status", "Status"),
        Severity => ("severity", "Severity"),
        Pause => ("pause", "Pause"),
        Lift => ("lift", "Pause lifted"),
        Containment => ("containment", "Containment"),
        Evidence => ("evidence", "Evidence"),
        Affected => ("affected", "Side effect"),
        Recovery => ("recovery", "Recovery"),
        Communication => ("communication", "Communication"),
        Signoff => ("signoff", "Re-enable sign-off"),
        FirstRun => ("first_run", "First monitored run"),
        Manual => ("manual", "Manual entry"),
    }
);

/// One line of the timeline. `source` names the record it came from (`entity:id`), so a reader can trace it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "TimelineEvent.ts")]
pub struct TimelineEvent {
    pub at: DateTime<Utc>,
    pub kind: TimelineKind,
    pub text: String,
    pub source: String,
}

const MAX_TEXT: usize = 2_000;
/// Clocks of different machines disagree a little.
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// The incident's timeline, oldest first (events at the same instant keep the order of the response phases).
pub fn timeline(store: &Store, key: &str) -> Result<Vec<TimelineEvent>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    events(&conn, &incident)
}

/// Adds a manual timeline entry (something the record cannot know, e.g. "customer called support").
pub fn add_timeline_entry(
    store: &Store,
    actor: &Actor,
    key: &str,
    at: DateTime<Utc>,
    text: &str,
) -> Result<TimelineEntry> {
    let at = at.trunc_subsecs(6);
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(Error::invalid("text", "Say what happened at that time."));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Error::invalid("text", format!("The text is too long; keep it under {MAX_TEXT} characters.")));
    }
    store.write(actor, |tx| {
        if at > tx.at() + CLOCK_SKEW {
            return Err(Error::invalid(
                "at",
                format!("{} is in the future. Enter when it actually happened.", audit::format_instant(at)),
            ));
        }
        let incident = incident::find(tx, key)?;
        let entry = TimelineEntry { id: record::new_id(), incident: incident.uuid, at, text };
        TIMELINE.insert(tx, &entry)?;
        Ok(entry)
    })
}

pub(crate) fn events(conn: &Connection, incident: &Incident) -> Result<Vec<TimelineEvent>> {
    let mut out = Vec::new();
    let mut push = |at: DateTime<Utc>, kind: TimelineKind, text: String, source: String| {
        out.push(TimelineEvent { at, kind, text, source });
    };
    let f = &incident.fields;
    let by = |name: &str| if name.trim().is_empty() { String::new() } else { format!(" (by {})", name.trim()) };

    if let Some(at) = f.detected_at {
        let signal = f.detected_by.map(|d| format!(" by {}", d.label().to_lowercase())).unwrap_or_default();
        push(at, TimelineKind::Detection, format!("Incident detected{signal}"), "incident".into());
    }
    if let Some(at) = f.aware_at {
        push(at, TimelineKind::Awareness, "The organisation became aware of the incident".into(), "incident".into());
    }
    push(incident.created_at, TimelineKind::Opened, format!("Incident {} opened", incident.id), "incident".into());
    for entry in audit::entries_for(conn, Entity::Incident, &incident.uuid)? {
        // The status given at opening is part of "opened"; later changes are events of their own.
        if entry.field == "status" && entry.old_value.is_some() {
            let status = entry.new_value.as_deref().map(unquoted).unwrap_or_default();
            let why = entry.reason.map(|r| format!(" [{r}]")).unwrap_or_default();
            push(
                entry.at,
                TimelineKind::Status,
                format!("Status set to {status}{}{why}", by(&entry.actor)),
                "incident".into(),
            );
        }
    }

    for a in rows::<SeverityAssessment>(conn, &severity::TABLE, incident)? {
        let Some(at) = created_at(conn, Entity::SeverityAssessment, &a.id)? else { continue };
        let mut text = format!("Severity assessed: suggested {}, chosen {}", a.suggested.label(), a.chosen.label());
        if let Some(reason) = a.reason.filter(|r| !r.is_empty()) {
            text.push_str(&format!(" (reason: {reason})"));
        }
        push(at, TimelineKind::Severity, text, source(Entity::SeverityAssessment, &a.id));
    }

    for p in rows::<PauseAction>(conn, &pause::TABLE, incident)? {
        let what = format!("{} ({})", p.target, p.scope.label().to_lowercase());
        let src = source(Entity::PauseAction, &p.id);
        push(p.paused_at, TimelineKind::Pause, format!("Paused {what}{}", approved(&p.approved_by)), src.clone());
        if let Some(lifted) = p.lifted_at {
            let who = by(p.lifted_by.as_deref().unwrap_or_default());
            push(lifted, TimelineKind::Lift, format!("Lifted the pause of {what}{who}"), src);
        }
    }

    for c in rows::<ContainmentItem>(conn, &containment::TABLE, incident)? {
        if let (ContainmentStatus::Done, Some(at)) = (c.status, c.done_at) {
            let note = if c.note.is_empty() { String::new() } else { format!(": {}", c.note) };
            let who = by(c.done_by.as_deref().unwrap_or_default());
            let text = format!("Contained {}{note}{who}", c.area.label().to_lowercase());
            push(at, TimelineKind::Containment, text, source(Entity::ContainmentItem, &c.id));
        }
    }
    for s in rows::<PlaybookStepState>(conn, &playbook::TABLE, incident)? {
        if let (true, Some(at)) = (s.done, s.done_at) {
            let who = by(s.done_by.as_deref().unwrap_or_default());
            let text = format!("Playbook step done: {} / {}{who}", s.playbook, s.step);
            push(at, TimelineKind::Containment, text, source(Entity::PlaybookStep, &s.id));
        }
    }

    for file in rows::<EvidenceFile>(conn, &evidence::FILES, incident)? {
        let short: String = file.sha256.chars().take(12).collect();
        let text = format!(
            "Evidence preserved: {} ({}, SHA-256 {short}…){}",
            file.original_name,
            file.kind.label().to_lowercase(),
            by(&file.collected_by)
        );
        push(file.collected_at, TimelineKind::Evidence, text, source(Entity::EvidenceFile, &file.id));
    }

    side_effects(conn, incident, &mut push)?;
    for entry in rows::<RecoveryLogEntry>(conn, &affected::RECOVERY_LOG, incident)? {
        let object = affected::OBJECTS
            .get::<AffectedObject>(conn, &entry.object)?
            .map(|o| format!(" {} {} in {}", o.object_type, o.object_id, o.system))
            .unwrap_or_default();
        let text = format!("Recovery of{object}: {}{}", entry.note, by(&entry.by));
        push(entry.at, TimelineKind::Recovery, text, source(Entity::RecoveryLogEntry, &entry.id));
    }

    for c in rows::<Communication>(conn, &communication::TABLE, incident)? {
        let audience = c.audience.label();
        let src = source(Entity::Communication, &c.id);
        if let Some(at) = c.approved_at {
            let who = c.approved_by.as_deref().unwrap_or_default();
            push(at, TimelineKind::Communication, format!("Message to {audience} approved{}", by(who)), src.clone());
        }
        if let Some(at) = c.sent_at {
            let via = c.sent_via.as_deref().map(|v| format!(" via {v}")).unwrap_or_default();
            push(at, TimelineKind::Communication, format!("Message to {audience} sent{via}"), src);
        }
    }

    for s in rows::<ReenableSignoff>(conn, &reenable::SIGNOFFS, incident)? {
        let src = source(Entity::ReenableSignoff, &s.id);
        let text = if s.stage == ReenableStage::Retired {
            format!("Decision to retire the workflow signed by {}: {}", s.approver, s.statement)
        } else {
            format!("Re-enable stage {} signed off by {}: {}", s.stage.label().to_lowercase(), s.approver, s.statement)
        };
        push(s.signed_at, TimelineKind::Signoff, text, src.clone());
        if let Some(at) = s.first_run_at {
            let text = format!("First run at stage {} watched by a person", s.stage.label().to_lowercase());
            push(at, TimelineKind::FirstRun, text, src);
        }
    }

    for entry in rows::<TimelineEntry>(conn, &TIMELINE, incident)? {
        push(entry.at, TimelineKind::Manual, entry.text, source(Entity::TimelineEntry, &entry.id));
    }

    out.sort_by_key(|e| e.at);
    Ok(out)
}

/// The side-effect table can hold many thousands of rows: the timeline shows when they began and ended, not each.
fn side_effects(
    conn: &Connection,
    incident: &Incident,
    push: &mut impl FnMut(DateTime<Utc>, TimelineKind, String, String),
) -> Result<()> {
    let key = serde_json::to_string(&incident.uuid)?;
    let count: i64 =
        conn.query_row("SELECT count(*) FROM affected_objects WHERE incident = ?1", [&key], |r| r.get(0))?;
    let edge = |order: &str| -> Result<Option<AffectedObject>> {
        let condition = format!(
            "uuid = (SELECT uuid FROM affected_objects WHERE incident = ?1 AND occurred_at IS NOT NULL \
             ORDER BY occurred_at {order}, rowid LIMIT 1)"
        );
        Ok(affected::OBJECTS.select(conn, &condition, &[&key])?.pop())
    };
    let (first, last) = (edge("ASC")?, edge("DESC")?);
    let (first, last) = (first.as_ref(), last.as_ref());
    let describe = |o: &AffectedObject| {
        format!("the agent {} {} {} in {}", o.action.label().to_lowercase(), o.object_type, o.object_id, o.system)
    };
    if let Some(o) = first {
        let text = format!("First recorded side effect: {} ({count} affected objects recorded)", describe(o));
        push(o.occurred_at.unwrap_or_default(), TimelineKind::Affected, text, source(Entity::AffectedObject, &o.id));
    }
    if let Some(o) = last.filter(|l| Some(l.id.as_str()) != first.map(|f| f.id.as_str())) {
        let text = format!("Last recorded side effect: {}", describe(o));
        push(o.occurred_at.unwrap_or_default(), TimelineKind::Affected, text, source(Entity::AffectedObject, &o.id));
    }
    Ok(())
}

fn rows<T: DeserializeOwned>(conn: &Connection, table: &Table, incident: &Incident) -> Result<Vec<T>> {
    let key = serde_json::to_string(&incident.uuid)?;
    table.select(conn, "incident = ?1", &[&key])
}

/// When a record without a time of its own was created: its first audit entry.
fn created_at(conn: &Connection, entity: Entity, id: &str) -> Result<Option<DateTime<Utc>>> {
    Ok(audit::entries_for(conn, entity, id)?.first().map(|e| e.at))
}

fn source(entity: Entity, id: &str) -> String {
    format!("{}:{id}", entity.key())
}

fn approved(name: &str) -> String {
    if name.trim().is_empty() {
        String::new()
    } else {
        format!(" (approved by {})", name.trim())
    }
}

fn unquoted(canonical: &str) -> String {
    serde_json::from_str::<String>(canonical).unwrap_or_else(|_| canonical.to_string())
}
