//! The postmortem timeline: built from what the record already holds (detection, severity, pauses, containment,
//! evidence, side effects, recovery, communication, re-enable) and the agent's traces, so nobody retypes it, plus
//! manual entries.

use super::{TimelineEntry, TIMELINE};
use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::phases::PHASES;
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
        Trace => ("trace", "Agent trace"),
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
    let text = crate::text::limited("text", text, MAX_TEXT)?;
    if text.is_empty() {
        return Err(Error::invalid("text", "Say what happened at that time."));
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

/// The timeline being built: the incident's own events, then each phase's ([`Declaration::timeline`], in phase
/// order, which events at the same instant keep).
pub struct Timeline {
    events: Vec<TimelineEvent>,
}

impl Timeline {
    pub(crate) fn push(&mut self, at: DateTime<Utc>, kind: TimelineKind, text: String, source: String) {
        self.events.push(TimelineEvent { at, kind, text, source });
    }
}

pub(crate) fn events(conn: &Connection, incident: &Incident) -> Result<Vec<TimelineEvent>> {
    let mut timeline = Timeline { events: Vec::new() };
    record_events(conn, incident, &mut timeline)?;
    for phase in PHASES {
        (phase.timeline)(conn, incident, &mut timeline)?;
    }
    crate::investigation::side_effects::timeline::timeline(conn, incident, &mut timeline)?;
    let mut out = timeline.events;
    out.sort_by_key(|e| e.at);
    Ok(out)
}

/// Detection, awareness, opening and every later status change.
fn record_events(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    let f = &incident.fields;
    if let Some(at) = f.detected_at {
        let signal = f.detected_by.map(|d| format!(" by {}", d.label().to_lowercase())).unwrap_or_default();
        out.push(at, TimelineKind::Detection, format!("Incident detected{signal}"), "incident".into());
    }
    if let Some(at) = f.aware_at {
        let text = "The organisation became aware of the incident".into();
        out.push(at, TimelineKind::Awareness, text, "incident".into());
    }
    out.push(incident.created_at, TimelineKind::Opened, format!("Incident {} opened", incident.id), "incident".into());
    for entry in audit::entries_for(conn, Entity::Incident, &incident.uuid)? {
        // The status given at opening is part of "opened"; later changes are events of their own.
        if entry.field == "status" && entry.old_value.is_some() {
            let status = entry.new_value.as_deref().map(unquoted).unwrap_or_default();
            let why = entry.reason.map(|r| format!(" [{r}]")).unwrap_or_default();
            let text = format!("Status set to {status}{}{why}", by(&entry.actor));
            out.push(entry.at, TimelineKind::Status, text, "incident".into());
        }
    }
    Ok(())
}

/// The postmortem's part: the manual entries.
pub(crate) fn manual_entries(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    for entry in rows::<TimelineEntry>(conn, &TIMELINE, incident)? {
        out.push(entry.at, TimelineKind::Manual, entry.text, source(Entity::TimelineEntry, &entry.id));
    }
    Ok(())
}

/// " (by NAME)", or nothing when no name was given.
pub(crate) fn by(name: &str) -> String {
    if name.trim().is_empty() {
        String::new()
    } else {
        format!(" (by {})", name.trim())
    }
}

/// The incident's rows of `table`.
pub(crate) fn rows<T: DeserializeOwned>(conn: &Connection, table: &Table, incident: &Incident) -> Result<Vec<T>> {
    let key = incident.row_key();
    table.select(conn, "incident = ?1", &[&key])
}

/// When a record without a time of its own was created: its first audit entry.
pub(crate) fn created_at(conn: &Connection, entity: Entity, id: &str) -> Result<Option<DateTime<Utc>>> {
    Ok(audit::entries_for(conn, entity, id)?.first().map(|e| e.at))
}

/// `entity:id`, what an event's `source` says.
pub(crate) fn source(entity: Entity, id: &str) -> String {
    format!("{}:{id}", entity.key())
}

/// " (approved by NAME)", or nothing.
pub(crate) fn approved(name: &str) -> String {
    if name.trim().is_empty() {
        String::new()
    } else {
        format!(" (approved by {})", name.trim())
    }
}

fn unquoted(canonical: &str) -> String {
    serde_json::from_str::<String>(canonical).unwrap_or_else(|_| canonical.to_string())
}
