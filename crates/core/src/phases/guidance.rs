//! Guidance and gates: how complete each phase is, what to do next, and which status changes the record does not
//! yet support. A refused change lists what is missing; an owner may override with a written reason, which is
//! logged as an override.

use super::{affected, overrides, pause, postmortem, severity, PhaseProgress, PHASES};
use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::incident::{self, FieldChange, Incident, IncidentFields};
use crate::store::Store;
use crate::vocabulary::Status;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// The incident page's guidance: every phase's progress, the next thing to do, and warnings to show at the top.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "Guidance.ts")]
pub struct Guidance {
    pub phases: Vec<PhaseProgress>,
    /// The next step of the first phase that is not complete.
    pub next: Option<String>,
    pub warnings: Vec<String>,
}

pub fn guidance(store: &Store, key: &str) -> Result<Guidance> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let phases = phases(&conn, &incident)?;
    let next = phases.iter().find(|p| !p.complete).and_then(|p| p.next.clone().or_else(|| p.missing.first().cloned()));
    let mut warnings = Vec::new();
    if pause::needs_pause_warning(&conn, &incident)? {
        warnings.push(
            "The agent may still be running and nothing is paused. Pause it at the smallest safe scope first.".into(),
        );
    }
    if let Some(w) = postmortem::shallow_warning(&conn, &incident)? {
        warnings.push(w);
    }
    Ok(Guidance { phases, next, warnings })
}

fn phases(conn: &Connection, incident: &Incident) -> Result<Vec<PhaseProgress>> {
    PHASES.iter().map(|phase| (phase.progress)(conn, incident)).collect()
}

/// What is missing before `incident` may move to `to`; empty when the move is allowed. Moving back (reopening) is
/// always allowed.
pub(crate) fn blockers(conn: &Connection, incident: &Incident, to: Status) -> Result<Vec<String>> {
    if to <= incident.fields.status {
        return Ok(Vec::new());
    }
    let mut missing = Vec::new();
    if to >= Status::Monitoring {
        // Named on its own because the issue makes it the condition for monitoring, whatever else is missing.
        let undecided = affected::undecided_objects(conn, incident)?;
        if undecided == 1 {
            missing.push("Recovery: 1 affected object has no decided recovery action".to_string());
        } else if undecided > 1 {
            missing.push(format!("Recovery: {undecided} affected objects have no decided recovery action"));
        }
    }
    for (declared, phase) in PHASES.iter().zip(phases(conn, incident)?) {
        if declared.gates.contains(&to) && !phase.complete {
            missing.extend(phase.missing.iter().map(|m| format!("{}: {m}", phase.label)));
        }
    }
    Ok(missing)
}

/// Applies field changes to an incident, each with its audit entry; unchanged values write nothing. A status
/// change must pass the gates (`set_status` overrides them with a reason); the severity cannot go below the latest
/// assessment.
pub fn update_incident(
    store: &Store,
    actor: &Actor,
    key: &str,
    changes: &[FieldChange],
    confirm_early_awareness: bool,
) -> Result<Incident> {
    store.write(actor, |tx| {
        incident::apply_checked(tx, key, changes, confirm_early_awareness, &|conn, before, after| {
            change_rules(conn, before, after, None)
        })
    })
}

/// Moves an incident to `to`. Refused with the list of what is missing when the record does not support it,
/// unless `override_reason` is given: then the move is made and logged as an override.
pub fn set_status(
    store: &Store,
    actor: &Actor,
    key: &str,
    to: Status,
    override_reason: Option<&str>,
) -> Result<Incident> {
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    store.write(actor, |tx| {
        let before = incident::find(tx, key)?;
        let missing = blockers(tx, &before, to)?;
        let overridden = if missing.is_empty() {
            None
        } else {
            let Some(reason) = reason else {
                return Err(gate_error(&before, to, missing));
            };
            overrides::record(
                tx,
                &before.uuid,
                &format!("gate:{}", to.key()),
                reason,
                missing,
                &format!("status set to {}", to.key()),
            )?;
            Some(reason)
        };
        let change = [FieldChange::new("status", serde_json::json!(to.key()))];
        incident::apply_checked(tx, key, &change, false, &|conn, before, after| {
            change_rules(conn, before, after, overridden)
        })
    })
}

/// The rules of every change to an incident that the record alone cannot judge: the severity floor, and the gates
/// of a status change unless an owner `overridden` them with this reason (kept with the status's audit entry).
fn change_rules(
    conn: &Connection,
    before: &Incident,
    after: &IncidentFields,
    overridden: Option<&str>,
) -> Result<Option<String>> {
    refuse_severity_below_assessment(conn, before, after)?;
    if after.status == before.fields.status {
        return Ok(None);
    }
    if let Some(reason) = overridden {
        return Ok(Some(format!("gate overridden: {reason}")));
    }
    let missing = blockers(conn, before, after.status)?;
    if !missing.is_empty() {
        return Err(gate_error(before, after.status, missing));
    }
    Ok(None)
}

/// Once severity has been assessed, the record cannot quietly go below the assessed level: a lower level is a new
/// assessment (with its written reason, logged as an override). Raising it is always allowed.
fn refuse_severity_below_assessment(conn: &Connection, before: &Incident, after: &IncidentFields) -> Result<()> {
    let Some(new) = after.severity.filter(|_| after.severity != before.fields.severity) else { return Ok(()) };
    let Some(assessed) = severity::latest(conn, before)?.map(|a| a.chosen) else { return Ok(()) };
    if new > assessed {
        return Err(Error::invalid(
            "severity",
            format!(
                "The severity assessment chose {assessed}. Choosing a lower level is a new assessment with a written \
                 reason (logged as an override): use the Severity tab, or `firebreak severity assess`."
            ),
        ));
    }
    Ok(())
}

fn gate_error(incident: &Incident, to: Status, missing: Vec<String>) -> Error {
    Error::GateBlocked {
        message: format!(
            "{} cannot move to {} yet: {} thing{} missing. Finish {}, or override with a written reason.",
            incident.id,
            to.label(),
            missing.len(),
            if missing.len() == 1 { " is" } else { "s are" },
            if missing.len() == 1 { "it" } else { "them" },
        ),
        missing,
    }
}
