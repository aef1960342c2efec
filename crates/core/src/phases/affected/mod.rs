//! Side-effect audit and recovery: the affected-object table (what the agent read, changed, sent, created, deleted,
//! approved or triggered), each object's recovery action and completion log, and the audit questions.

mod import;
mod query;
mod questions;
pub mod recovery;

pub use import::{import_csv, import_delimited, import_tsv, ImportReport};
pub(crate) use query::total;
pub use query::{counts, list, ObjectCounts, ObjectPage, ObjectQuery, ObjectSort, SortDirection};
pub use questions::{answer, answers, progress, QuestionAnswer};
pub use recovery::{incident_recovery_log, log_recovery, recovery_log, undecided_objects};

use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::phases::postmortem::timeline::{self as tl, Timeline};
use crate::phases::postmortem::TimelineKind;
use crate::phases::{Declaration, Phase};
use crate::record::{self, Table};
use crate::store::{Store, Tx};
use crate::vocabulary::Choice;
use crate::vocabulary::Status;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize, Serializer};
use ts_rs::TS;

crate::choices!(
    AgentAction, "AgentAction.ts" {
        Read => ("read", "Read"),
        Created => ("created", "Created"),
        Changed => ("changed", "Changed"),
        Sent => ("sent", "Sent"),
        Deleted => ("deleted", "Deleted"),
        Approved => ("approved", "Approved"),
        Triggered => ("triggered", "Triggered"),
    }
);

crate::choices!(
    RecoveryAction, "RecoveryAction.ts" {
        Correct => ("correct", "Correct"),
        RollBack => ("roll_back", "Roll back"),
        Merge => ("merge", "Merge"),
        Delete => ("delete", "Delete"),
        MarkInvalid => ("mark_invalid", "Mark invalid"),
        Regenerate => ("regenerate", "Regenerate"),
        Notify => ("notify", "Notify"),
        NoAction => ("none", "None needed"),
    }
);

crate::choices!(
    ObjectStatus, "ObjectStatus.ts" {
        Open => ("open", "Open"),
        InProgress => ("in_progress", "In progress"),
        Recovered => ("recovered", "Recovered"),
        NotNeeded => ("not_needed", "Not needed"),
    }
);

crate::choices!(
    /// The side-effect audit questions, answered as a checklist.
    AuditQuestion, "AuditQuestion.ts" {
        Trigger => ("trigger", "What triggered the run?"),
        Inputs => ("inputs", "Which inputs did it use?"),
        Freshness => ("freshness", "Were the inputs fresh?"),
        Prompts => ("prompts", "Which prompts and policies were in force?"),
        ModelCalls => ("model_calls", "Which model calls were made?"),
        Tools => ("tools", "Which tools did it call?"),
        Writes => ("writes", "What did it write?"),
        Sends => ("sends", "What did it send?"),
        Approvals => ("approvals", "Which approvals were given or skipped?"),
        Retries => ("retries", "Which retries happened?"),
        Downstream => ("downstream", "Which downstream automations ran?"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE affected_objects (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    system TEXT,
    object_type TEXT,
    object_id TEXT,
    action TEXT,
    occurred_at TEXT,
    evidence TEXT,
    recovery_action TEXT,
    recovery_owner TEXT,
    status TEXT,
    verified_by TEXT,
    verified_at TEXT
);
CREATE INDEX affected_objects_system ON affected_objects (incident, system);
CREATE INDEX affected_objects_action ON affected_objects (incident, action);
CREATE INDEX affected_objects_status ON affected_objects (incident, status);
CREATE INDEX affected_objects_recovery ON affected_objects (incident, recovery_action);
CREATE INDEX affected_objects_object_id ON affected_objects (incident, object_id);
CREATE INDEX affected_objects_occurred ON affected_objects (incident, occurred_at);
CREATE TABLE recovery_log (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    object TEXT,
    note TEXT,
    at TEXT,
    by TEXT
);
CREATE INDEX recovery_log_object ON recovery_log (incident, object);
CREATE TABLE audit_answers (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    question TEXT,
    answer TEXT
);
CREATE UNIQUE INDEX audit_answers_question ON audit_answers (incident, question);
";

pub(crate) const OBJECTS: Table = Table {
    entity: Entity::AffectedObject,
    name: "affected_objects",
    fields: &[
        "incident",
        "system",
        "object_type",
        "object_id",
        "action",
        "occurred_at",
        "evidence",
        "recovery_action",
        "recovery_owner",
        "status",
        "verified_by",
        "verified_at",
    ],
};

pub(crate) const RECOVERY_LOG: Table = Table {
    entity: Entity::RecoveryLogEntry,
    name: "recovery_log",
    fields: &["incident", "object", "note", "at", "by"],
};

pub(crate) const QUESTIONS: Table =
    Table { entity: Entity::AuditAnswer, name: "audit_answers", fields: &["incident", "question", "answer"] };

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "AffectedObject.ts")]
pub struct AffectedObject {
    pub id: String,
    pub incident: String,
    pub system: String,
    pub object_type: String,
    pub object_id: String,
    pub action: AgentAction,
    // Stored with a fixed number of digits, so the column sorts in time order.
    #[serde(serialize_with = "fixed_instant")]
    pub occurred_at: Option<DateTime<Utc>>,
    /// A reference to the evidence (file ID, log line, URL as text).
    #[serde(default)]
    pub evidence: String,
    pub recovery_action: Option<RecoveryAction>,
    #[serde(default)]
    pub recovery_owner: String,
    pub status: ObjectStatus,
    pub verified_by: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
}

/// One completion-log line of an object's recovery (append-only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "RecoveryLogEntry.ts")]
pub struct RecoveryLogEntry {
    pub id: String,
    pub incident: String,
    /// The affected object's ID.
    pub object: String,
    pub note: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "AuditAnswer.ts")]
pub struct AuditAnswer {
    pub id: String,
    pub incident: String,
    pub question: AuditQuestion,
    #[serde(default)]
    pub answer: String,
}

/// An affected object as entered by hand or read from an import. `status` defaults to open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "NewAffectedObject.ts")]
pub struct NewAffectedObject {
    pub system: String,
    pub object_type: String,
    pub object_id: String,
    pub action: AgentAction,
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub recovery_action: Option<RecoveryAction>,
    #[serde(default)]
    pub recovery_owner: String,
    #[serde(default)]
    pub status: Option<ObjectStatus>,
}

impl NewAffectedObject {
    pub fn new(system: &str, object_type: &str, object_id: &str, action: AgentAction) -> Self {
        NewAffectedObject {
            system: system.into(),
            object_type: object_type.into(),
            object_id: object_id.into(),
            action,
            occurred_at: None,
            evidence: String::new(),
            recovery_action: None,
            recovery_owner: String::new(),
            status: None,
        }
    }
}

/// The changes a person makes to an affected object while recovering it; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ObjectChanges.ts")]
pub struct ObjectChanges {
    #[serde(default)]
    pub recovery_action: Option<RecoveryAction>,
    /// An empty name clears the owner.
    #[serde(default)]
    pub recovery_owner: Option<String>,
    #[serde(default)]
    pub status: Option<ObjectStatus>,
    /// `true` records that the actor verified the object now; `false` withdraws the verification.
    #[serde(default)]
    pub verified: Option<bool>,
}

/// How far in the future a time may lie: clocks of different machines disagree a little.
const CLOCK_SKEW: Duration = Duration::minutes(5);

fn fixed_instant<S: Serializer>(value: &Option<DateTime<Utc>>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match value {
        Some(t) => s.serialize_str(&audit::format_instant(*t)),
        None => s.serialize_none(),
    }
}

/// The side-effect audit and recovery screens' choice lists with their labels.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "AffectedChoices.ts")]
pub struct AffectedChoices {
    pub actions: Vec<Choice>,
    pub recovery_actions: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub questions: Vec<Choice>,
    pub sorts: Vec<Choice>,
}

pub fn choices() -> AffectedChoices {
    AffectedChoices {
        actions: AgentAction::options(),
        recovery_actions: RecoveryAction::options(),
        statuses: ObjectStatus::options(),
        questions: AuditQuestion::options(),
        sorts: ObjectSort::options(),
    }
}

/// Adds one affected object.
pub fn add(store: &Store, actor: &Actor, key: &str, new: NewAffectedObject) -> Result<AffectedObject> {
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        insert_new(tx, &incident, new)
    })
}

/// Checks and inserts one object in a write under way (an accepted side-effect proposal, say).
pub(crate) fn insert_new(tx: &mut Tx<'_>, incident: &Incident, new: NewAffectedObject) -> Result<AffectedObject> {
    let object = build(incident, new, tx.at()).map_err(as_sentence)?;
    OBJECTS.insert(tx, &object)?;
    Ok(object)
}

/// Row messages are phrased to follow "line 17: " in an import; on their own they read as a sentence.
fn as_sentence(e: Error) -> Error {
    match e {
        Error::InvalidInput { field, message } => {
            // "object_type is empty; …" → "Object type is empty; …."
            let (word, rest) = message.split_once(' ').unwrap_or((&message, ""));
            let word = word.replace('_', " ");
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
            Error::InvalidInput { field, message: format!("{first}{} {rest}.", chars.as_str()) }
        }
        other => other,
    }
}

/// Checks a new object and makes its row. Messages name the field and say what to do, so an import can prefix
/// them with the line number.
fn build(incident: &Incident, new: NewAffectedObject, now: DateTime<Utc>) -> Result<AffectedObject> {
    check(&new, now)?;
    Ok(AffectedObject {
        id: record::new_id(),
        incident: incident.uuid.clone(),
        system: new.system.trim().to_string(),
        object_type: new.object_type.trim().to_string(),
        object_id: new.object_id.trim().to_string(),
        action: new.action,
        occurred_at: new.occurred_at.map(|t| t.trunc_subsecs(6)),
        evidence: new.evidence.trim().to_string(),
        recovery_action: new.recovery_action,
        recovery_owner: new.recovery_owner.trim().to_string(),
        status: new.status.unwrap_or(ObjectStatus::Open),
        verified_by: None,
        verified_at: None,
    })
}

/// The longest system, type, ID, evidence reference and owner an object may have.
const MAX_NAME: usize = 1_000;
const MAX_EVIDENCE: usize = 4_000;

fn check(new: &NewAffectedObject, now: DateTime<Utc>) -> Result<()> {
    for (field, value, max) in [
        ("system", &new.system, MAX_NAME),
        ("object_type", &new.object_type, MAX_NAME),
        ("object_id", &new.object_id, MAX_NAME),
        ("recovery_owner", &new.recovery_owner, MAX_NAME),
        ("evidence", &new.evidence, MAX_EVIDENCE),
    ] {
        let n = value.chars().count();
        if n > max {
            return Err(Error::invalid(field, format!("{field} is {n} characters long; at most {max} fit")));
        }
    }
    let required = [
        ("system", &new.system, "the system it lives in (e.g. Salesforce)"),
        ("object_type", &new.object_type, "what kind of object it is (e.g. invoice)"),
        ("object_id", &new.object_id, "the object's ID in that system"),
    ];
    for (field, value, what) in required {
        if value.trim().is_empty() {
            return Err(Error::invalid(field, format!("{field} is empty; give {what}")));
        }
    }
    if let Some(t) = new.occurred_at.filter(|t| *t > now + CLOCK_SKEW) {
        return Err(Error::invalid(
            "occurred_at",
            format!("occurred_at {} is in the future; give the time the agent acted", audit::format_instant(t)),
        ));
    }
    check_recovery(new.recovery_action, new.status.unwrap_or(ObjectStatus::Open))
}

/// Recovery work cannot be under way or done before anyone decided what the recovery is.
fn check_recovery(action: Option<RecoveryAction>, status: ObjectStatus) -> Result<()> {
    if action.is_none() && matches!(status, ObjectStatus::InProgress | ObjectStatus::Recovered) {
        return Err(Error::invalid(
            "recovery_action",
            format!("status {} needs a recovery action; choose one (correct, roll_back, …) first", status.key()),
        ));
    }
    Ok(())
}

/// Changes an object's recovery fields. `object` is the row ID, or the object's ID when that is unique in the
/// incident.
pub fn update(
    store: &Store,
    actor: &Actor,
    key: &str,
    object: &str,
    changes: &ObjectChanges,
) -> Result<AffectedObject> {
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let before = resolve(tx, &incident, object)?;
        let mut after = before.clone();
        if let Some(action) = changes.recovery_action {
            after.recovery_action = Some(action);
        }
        if let Some(owner) = &changes.recovery_owner {
            after.recovery_owner = owner.trim().to_string();
        }
        if let Some(status) = changes.status {
            after.status = status;
        }
        match changes.verified {
            Some(true) => {
                after.verified_by = Some(tx.actor().name.clone());
                after.verified_at = Some(tx.at());
            }
            Some(false) => {
                after.verified_by = None;
                after.verified_at = None;
            }
            None => {}
        }
        check_recovery(after.recovery_action, after.status).map_err(as_sentence)?;
        OBJECTS.update(tx, &before, &after, None)?;
        Ok(after)
    })
}

/// Finds an object of the incident by row ID or by its object ID (refused when several objects share it).
pub(crate) fn resolve(conn: &Connection, incident: &Incident, reference: &str) -> Result<AffectedObject> {
    let reference = reference.trim();
    if let Some(object) = OBJECTS.get::<AffectedObject>(conn, reference)?.filter(|o| o.incident == incident.uuid) {
        return Ok(object);
    }
    let mut found: Vec<AffectedObject> = OBJECTS.select(
        conn,
        "incident = ?1 AND object_id = ?2",
        &[&incident.row_key(), &serde_json::to_string(reference)?],
    )?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Error::not_found(format!(
            "No affected object {reference} on {}. `firebreak affected list {}` shows them.",
            incident.id, incident.id
        ))),
        n => {
            let systems: Vec<&str> = found.iter().map(|o| o.system.as_str()).collect();
            Err(Error::invalid(
                "object_id",
                format!(
                    "{n} affected objects have the ID {reference} (in {}). Use the row ID from \
                     `firebreak affected list {} --json` instead.",
                    systems.join(", "),
                    incident.id
                ),
            ))
        }
    }
}

/// The side-effect audit. The module's SQL makes the recovery phase's table too.
pub const PHASE: Declaration = Declaration {
    phase: Phase::SideEffectAudit,
    tables: &[&OBJECTS, &QUESTIONS],
    schema: &[(2, SCHEMA_V2)],
    progress,
    gates: &[Status::Monitoring],
    timeline,
};

/// The side-effect table can hold many thousands of rows: the timeline shows when they began and ended, not each.
fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    let key = incident.row_key();
    let count = query::total(conn, incident)?;
    let edge = |order: &str| -> Result<Option<AffectedObject>> {
        let condition = format!(
            "uuid = (SELECT uuid FROM affected_objects WHERE incident = ?1 AND occurred_at IS NOT NULL \
             ORDER BY occurred_at {order}, rowid LIMIT 1)"
        );
        Ok(OBJECTS.select(conn, &condition, &[&key])?.pop())
    };
    let (first, last) = (edge("ASC")?, edge("DESC")?);
    let (first, last) = (first.as_ref(), last.as_ref());
    let describe = |o: &AffectedObject| {
        format!("the agent {} {} {} in {}", o.action.label().to_lowercase(), o.object_type, o.object_id, o.system)
    };
    if let Some(o) = first {
        let text = format!("First recorded side effect: {} ({count} affected objects recorded)", describe(o));
        out.push(
            o.occurred_at.unwrap_or_default(),
            TimelineKind::Affected,
            text,
            tl::source(Entity::AffectedObject, &o.id),
        );
    }
    if let Some(o) = last.filter(|l| Some(l.id.as_str()) != first.map(|f| f.id.as_str())) {
        let text = format!("Last recorded side effect: {}", describe(o));
        out.push(
            o.occurred_at.unwrap_or_default(),
            TimelineKind::Affected,
            text,
            tl::source(Entity::AffectedObject, &o.id),
        );
    }
    Ok(())
}
