//! Recovery: each affected object's chosen recovery action (on the object itself) and its append-only completion
//! log, plus the recovery phase's completeness and the "no undecided objects" count the status gate uses.

use super::{resolve, AffectedObject, RecoveryLogEntry, RECOVERY_LOG};
use crate::audit::{Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::phases::postmortem::timeline::{self as tl, Timeline};
use crate::phases::postmortem::TimelineKind;
use crate::phases::{Declaration, Phase, PhaseProgress};
use crate::record;
use crate::store::Store;
use crate::vocabulary::Status;
use rusqlite::Connection;

/// Appends a line to an object's completion log (what was done to recover it).
pub fn log_recovery(store: &Store, actor: &Actor, key: &str, object: &str, note: &str) -> Result<RecoveryLogEntry> {
    let note = note.trim();
    if note.is_empty() {
        return Err(Error::invalid(
            "note",
            "Say what was done to recover the object (for example \"reverted invoice to v3 in the ERP\").",
        ));
    }
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let object = resolve(tx, &incident, object)?;
        let entry = RecoveryLogEntry {
            id: record::new_id(),
            incident: incident.uuid.clone(),
            object: object.id,
            note: note.to_string(),
            at: tx.at(),
            by: tx.actor().name.clone(),
        };
        RECOVERY_LOG.insert(tx, &entry)?;
        Ok(entry)
    })
}

/// An object's completion log, oldest first.
pub fn recovery_log(store: &Store, key: &str, object: &str) -> Result<Vec<RecoveryLogEntry>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let object = resolve(&conn, &incident, object)?;
    RECOVERY_LOG.select(
        &conn,
        "incident = ?1 AND object = ?2",
        &[&incident.row_key(), &serde_json::to_string(&object.id)?],
    )
}

/// Every object's completion log entries of one incident, oldest first (for reports).
pub fn incident_recovery_log(store: &Store, key: &str) -> Result<Vec<RecoveryLogEntry>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    RECOVERY_LOG.select(&conn, "incident = ?1", &[&incident.row_key()])
}

/// How many affected objects have no recovery action decided (the incident cannot move to monitoring while any do).
pub fn undecided_objects(conn: &Connection, incident: &Incident) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM affected_objects WHERE incident = ?1 AND recovery_action IS NULL",
        [incident.row_key()],
        |r| r.get(0),
    )?)
}

/// Objects that have a recovery action other than "none" and are not yet recovered (or found not to need it).
fn unrecovered_objects(conn: &Connection, incident: &Incident) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM affected_objects WHERE incident = ?1 AND recovery_action IS NOT NULL
           AND recovery_action <> '\"none\"' AND status NOT IN ('\"recovered\"', '\"not_needed\"')",
        [incident.row_key()],
        |r| r.get(0),
    )?)
}

/// Complete when every affected object has a recovery action and every one that needs recovering is recovered.
pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let undecided = undecided_objects(conn, incident)?;
    let unrecovered = unrecovered_objects(conn, incident)?;
    let mut missing = Vec::new();
    if undecided > 0 {
        missing.push(format!("{} no recovery action decided", objects_have(undecided)));
    }
    if unrecovered > 0 {
        let are = if unrecovered == 1 { "object is" } else { "objects are" };
        missing.push(format!("{unrecovered} {are} not recovered yet"));
    }
    let next = if undecided > 0 {
        Some("Choose a recovery action for each affected object (correct, roll back, …, or none).".to_string())
    } else if unrecovered > 0 {
        Some("Carry out the recoveries, log each completion and mark the objects recovered.".to_string())
    } else {
        None
    };
    Ok(PhaseProgress {
        phase: Phase::Recovery,
        label: Phase::Recovery.label().into(),
        complete: missing.is_empty(),
        missing,
        next,
    })
}

fn objects_have(n: u64) -> String {
    if n == 1 {
        "1 object has".to_string()
    } else {
        format!("{n} objects have")
    }
}

/// Recovery: its table is made by the side-effect audit's SQL (`affected::SCHEMA_V2`).
pub const PHASE: Declaration = Declaration {
    phase: Phase::Recovery,
    tables: &[&RECOVERY_LOG],
    schema: &[],
    progress,
    gates: &[Status::Monitoring],
    timeline,
};

fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    for entry in tl::rows::<RecoveryLogEntry>(conn, &RECOVERY_LOG, incident)? {
        let object = super::OBJECTS
            .get::<AffectedObject>(conn, &entry.object)?
            .map(|o| format!(" {} {} in {}", o.object_type, o.object_id, o.system))
            .unwrap_or_default();
        let text = format!("Recovery of{object}: {}{}", entry.note, tl::by(&entry.by));
        out.push(entry.at, TimelineKind::Recovery, text, tl::source(Entity::RecoveryLogEntry, &entry.id));
    }
    Ok(())
}
