//! Regulatory notification: which regimes apply (a short questionnaire suggests them, a person decides each one),
//! each regime's trigger instants with who decided them, the resulting clocks with their state, legal overrides
//! of a computed due time, and the notifications themselves (draft → approved by a named person → submitted,
//! with the submitted text frozen and hashed; supplements after the first submission).
//!
//! The counting itself is [`crate::deadlines`]; this module supplies it with what was recorded for one incident.

mod alerts;
mod applicability;
mod clocks;
mod content;
mod decisions;
mod drafts;
mod ics;
mod register;

pub use alerts::{Alert, Reminders};
pub use applicability::{
    answer, choices, questions, record_mentions_personal_data, suggest, Answer, ApplicabilityAnswers,
    NotificationChoices, Question, Region, Suggestion,
};
pub use clocks::StageView;
pub use clocks::{alert_level, clocks, open_clocks, AlertLevel, ClockState, IncidentClocks, OpenClock, RegimeClocks};
pub use content::{builtin_templates, missing, override_path, NOT_AVAILABLE};
pub use decisions::{decide, override_due, set_trigger, set_zone, DecisionInput, RegimeDecision};
pub use drafts::{
    approve, edit, first_open_stage, missing_items, open_draft, regime_clocks, start, submit, text_hash,
    NotificationChanges, NotificationEdit, SubmitInput,
};
pub use ics::{all_deadlines_ics, deadlines_ics, incident_deadlines_ics};
pub use register::{breach_register, breach_register_csv, BreachEffects, BreachEntry, BreachRegime, BreachSubmission};

use super::{Declaration, Phase, PhaseProgress};
use crate::audit::Entity;
use crate::deadlines::{self, Catalog};
use crate::error::Result;
use crate::incident::Incident;
use crate::record::Table;
use crate::store::Store;
use crate::vocabulary::Status;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use ts_rs::TS;

crate::choices!(
    Decision, "RegimeDecisionKind.ts" {
        Applies => ("applies", "Applies"),
        NotApplicable => ("not_applicable", "Does not apply"),
    }
);

crate::choices!(
    NotificationStatus, "NotificationStatus.ts" {
        Draft => ("draft", "Draft"),
        Approved => ("approved", "Approved"),
        Submitted => ("submitted", "Submitted"),
    }
);

pub(crate) const SCHEMA_V3: &str = "
CREATE TABLE applicability (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL UNIQUE,
    personal_data TEXT,
    risk TEXT,
    high_risk TEXT,
    locations TEXT,
    nis2 TEXT,
    dora TEXT,
    ai_act TEXT,
    sec TEXT,
    hipaa TEXT,
    nydfs TEXT,
    certin TEXT
);
CREATE TABLE regime_decisions (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    regime TEXT NOT NULL,
    decision TEXT,
    reason TEXT,
    decided_by TEXT,
    decided_at TEXT,
    variant TEXT,
    zone TEXT,
    calendar TEXT
);
CREATE UNIQUE INDEX regime_decisions_incident_regime ON regime_decisions (incident, regime);
CREATE TABLE regime_triggers (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    regime TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT,
    decided_by TEXT,
    note TEXT
);
CREATE UNIQUE INDEX regime_triggers_incident_regime_kind ON regime_triggers (incident, regime, kind);
CREATE TABLE due_overrides (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    regime TEXT NOT NULL,
    stage TEXT NOT NULL,
    due TEXT,
    reason TEXT,
    decided_by TEXT,
    decided_at TEXT
);
CREATE UNIQUE INDEX due_overrides_incident_regime_stage ON due_overrides (incident, regime, stage);
CREATE TABLE notifications (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    regime TEXT NOT NULL,
    stage TEXT NOT NULL,
    sequence TEXT NOT NULL,
    content TEXT,
    delay_reasons TEXT,
    text TEXT,
    status TEXT,
    approved_by TEXT,
    approved_at TEXT,
    submitted_at TEXT,
    submitted_by TEXT,
    channel TEXT,
    reference TEXT,
    text_hash TEXT
);
CREATE UNIQUE INDEX notifications_incident_regime_stage_sequence ON notifications (incident, regime, stage, sequence);
";

pub(crate) const ANSWERS: Table = Table {
    entity: Entity::ApplicabilityAnswers,
    name: "applicability",
    fields: &[
        "incident",
        "personal_data",
        "risk",
        "high_risk",
        "locations",
        "nis2",
        "dora",
        "ai_act",
        "sec",
        "hipaa",
        "nydfs",
        "certin",
    ],
};

pub(crate) const DECISIONS: Table = Table {
    entity: Entity::RegimeDecision,
    name: "regime_decisions",
    fields: &["incident", "regime", "decision", "reason", "decided_by", "decided_at", "variant", "zone", "calendar"],
};

pub(crate) const TRIGGERS: Table = Table {
    entity: Entity::RegimeTrigger,
    name: "regime_triggers",
    fields: &["incident", "regime", "kind", "at", "decided_by", "note"],
};

pub(crate) const OVERRIDES: Table = Table {
    entity: Entity::DueOverride,
    name: "due_overrides",
    fields: &["incident", "regime", "stage", "due", "reason", "decided_by", "decided_at"],
};

pub(crate) const NOTIFICATIONS: Table = Table {
    entity: Entity::Notification,
    name: "notifications",
    fields: &[
        "incident",
        "regime",
        "stage",
        "sequence",
        "content",
        "delay_reasons",
        "text",
        "status",
        "approved_by",
        "approved_at",
        "submitted_at",
        "submitted_by",
        "channel",
        "reference",
        "text_hash",
    ],
};

/// One regime's trigger instant for one incident, with who decided it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "RegimeTrigger.ts")]
pub struct RegimeTrigger {
    pub id: String,
    pub incident: String,
    pub regime: String,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub decided_by: String,
    #[serde(default)]
    pub note: String,
}

/// A legal reviewer's due time for one stage, replacing the computed one (which stays shown beside it). `due` is
/// absent when the override was withdrawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "DueOverride.ts")]
pub struct DueOverride {
    pub id: String,
    pub incident: String,
    pub regime: String,
    pub stage: String,
    pub due: Option<DateTime<Utc>>,
    pub reason: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

/// One notification to an authority (or the people concerned) for one stage. Sequence 1 is the stage's
/// notification; later sequences are supplements (information provided in phases).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Notification.ts")]
pub struct Notification {
    pub id: String,
    pub incident: String,
    pub regime: String,
    pub stage: String,
    pub sequence: u32,
    /// The content items by key (see the stage's `content` list).
    #[ts(type = "Record<string, string>")]
    pub content: BTreeMap<String, String>,
    #[serde(default)]
    pub delay_reasons: String,
    /// The rendered text; frozen once submitted.
    pub text: String,
    pub status: NotificationStatus,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
    /// How it was submitted (portal, email, letter…).
    pub channel: Option<String>,
    /// The authority's reference for the submission.
    pub reference: Option<String>,
    /// SHA-256 of the submitted text, so anyone can check that the text kept is the text sent.
    pub text_hash: Option<String>,
}

impl Notification {
    pub fn is_supplement(&self) -> bool {
        self.sequence > 1
    }
}

/// The regimes and calendars of this database: built-in, with the user's files beside the database.
pub fn catalog(store: &Store) -> Result<Catalog> {
    catalog_beside(store.path())
}

fn catalog_beside(db: &Path) -> Result<Catalog> {
    let templates = db.parent().map(|d| d.join("templates"));
    deadlines::load(templates.as_deref())
}

/// The catalog for an open connection (the guidance and gates have no `Store`).
pub(crate) fn catalog_of(conn: &Connection) -> Result<Catalog> {
    match conn.path().filter(|p| !p.is_empty()) {
        Some(path) => catalog_beside(Path::new(path)),
        None => deadlines::load(None),
    }
}

/// Complete when the questionnaire is answered, every suggested regime has a decision, and every applicable
/// regime's stages with a started clock are submitted.
pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let catalog = &catalog_of(conn)?;
    let mut missing = Vec::new();
    let answers = applicability::stored(conn, incident)?;
    let unanswered = applicability::unanswered(answers.as_ref());
    if !unanswered.is_empty() {
        missing.push(format!("Answer the applicability questions ({} open)", unanswered.len()));
    }
    let now = Utc::now();
    let view = clocks::compute(conn, catalog, incident, now)?;
    for regime in &view.regimes {
        match regime.decision.as_ref().and_then(|d| d.decision) {
            None if regime.suggestion.suggested => {
                missing.push(format!("Confirm whether {} applies, or record why not", regime.name))
            }
            Some(Decision::Applies) => {
                for stage in &regime.stages {
                    if stage.submitted_at.is_none() && stage.due.is_some() {
                        missing.push(format!("Submit the {} {} ({})", regime.name, stage.stage, stage.state.label()));
                    }
                    if let Some(w) = &stage.waits_for {
                        if !w.ends_with("submitted") {
                            missing.push(format!("{}: record the {w} time and who decided it", regime.name));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    missing.dedup();
    Ok(PhaseProgress {
        phase: Phase::Notification,
        label: Phase::Notification.label().into(),
        complete: missing.is_empty(),
        next: missing.first().cloned(),
        missing,
    })
}

pub const PHASE: Declaration = Declaration {
    phase: Phase::Notification,
    tables: &[&ANSWERS, &DECISIONS, &TRIGGERS, &OVERRIDES, &NOTIFICATIONS],
    schema: &[(3, SCHEMA_V3)],
    progress,
    gates: &[Status::Closed],
    // Its deadlines are shown by the clocks, not the timeline.
    timeline: |_, _, _| Ok(()),
};
