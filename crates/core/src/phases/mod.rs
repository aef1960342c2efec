//! The response phases of an incident (docs/ARCHITECTURE.md, "The incident, phase by phase"): each module holds
//! one phase's tables, row types, rules and its completeness for the guidance and the status gates.
//!
//! Every table here is an audited [`Table`]: rows change only through it, inside `Store::write`.

pub mod affected;
pub mod communication;
pub mod containment;
pub mod evidence;
pub mod guidance;
pub mod notification;
pub mod overrides;
pub mod pause;
pub mod playbook;
pub mod postmortem;
pub mod reenable;
pub mod severity;

use crate::record::Table;

/// Every audited table of the phases, for migrations and `verify`.
pub(crate) const TABLES: &[&Table] = &[
    &severity::TABLE,
    &overrides::TABLE,
    &pause::TABLE,
    &playbook::TABLE,
    &containment::TABLE,
    &evidence::ITEMS,
    &evidence::FILES,
    &evidence::CUSTODY,
    &affected::OBJECTS,
    &affected::RECOVERY_LOG,
    &affected::QUESTIONS,
    &communication::TABLE,
    &postmortem::TABLE,
    &postmortem::TIMELINE,
    &postmortem::REMEDIATION,
    &reenable::ANSWERS,
    &reenable::SIGNOFFS,
    &notification::ANSWERS,
    &notification::DECISIONS,
    &notification::TRIGGERS,
    &notification::OVERRIDES,
    &notification::NOTIFICATIONS,
];

/// Schema version 2: each phase module's literal table SQL (append-only, like every migration step).
pub(crate) const SCHEMA_V2: &[&str] = &[
    severity::SCHEMA_V2,
    overrides::SCHEMA_V2,
    pause::SCHEMA_V2,
    playbook::SCHEMA_V2,
    containment::SCHEMA_V2,
    evidence::SCHEMA_V2,
    affected::SCHEMA_V2,
    communication::SCHEMA_V2,
    postmortem::SCHEMA_V2,
    reenable::SCHEMA_V2,
];

/// Schema version 3: regulatory notification.
pub(crate) const SCHEMA_V3: &[&str] = &[notification::SCHEMA_V3];

/// How complete a phase is, for the incident page and the status gates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export_to = "PhaseProgress.ts")]
pub struct PhaseProgress {
    pub phase: String,
    pub label: String,
    pub complete: bool,
    /// What is still missing, in plain words; empty when complete.
    pub missing: Vec<String>,
    /// The next thing to do in this phase, if any.
    pub next: Option<String>,
}
