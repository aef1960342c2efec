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

use crate::error::Result;
use crate::incident::Incident;
use crate::record::Table;
use crate::vocabulary::Status;
use postmortem::timeline::Timeline;
use rusqlite::Connection;

crate::choices!(
    /// The response phases, in the order of the incident page's tabs, the guidance panel and the timeline.
    Phase, "Phase.ts" {
        Severity => ("severity", "Severity"),
        Pause => ("pause", "Pause"),
        Evidence => ("evidence", "Evidence"),
        Containment => ("containment", "Containment"),
        Playbooks => ("playbooks", "Playbooks"),
        SideEffectAudit => ("side_effect_audit", "Side-effect audit"),
        Recovery => ("recovery", "Recovery"),
        Communication => ("communication", "Communication"),
        Notification => ("notification", "Regulatory notification"),
        Postmortem => ("postmortem", "Postmortem"),
        Reenable => ("reenable", "Re-enable"),
    }
);

/// A phase as the rest of the core sees it, declared once beside its rules (`<phase>::PHASE`): the schema, verify,
/// the re-enable state, the guidance, the gates and the postmortem timeline are all made from [`PHASES`].
pub struct Declaration {
    pub phase: Phase,
    /// Its audited tables: verified, and part of the state a re-enable sign-off attests to.
    pub tables: &'static [&'static Table],
    /// The SQL that makes its tables, by schema version (append only, like every migration step).
    pub schema: &'static [(usize, &'static str)],
    pub progress: fn(&Connection, &Incident) -> Result<PhaseProgress>,
    /// The statuses an incident may move to only once this phase is complete.
    pub gates: &'static [Status],
    /// What it adds to the postmortem timeline.
    pub timeline: fn(&Connection, &Incident, &mut Timeline) -> Result<()>,
}

/// Every phase, in [`Phase`] order.
pub const PHASES: &[&Declaration] = &[
    &severity::PHASE,
    &pause::PHASE,
    &evidence::PHASE,
    &containment::PHASE,
    &playbook::PHASE,
    &affected::PHASE,
    &affected::recovery::PHASE,
    &communication::PHASE,
    &notification::PHASE,
    &postmortem::PHASE,
    &reenable::PHASE,
];

/// Tables of no one phase: the overrides of suggestions and gates.
const SHARED: &[&Table] = &[&overrides::TABLE];

/// Every audited table of the phases, for `verify` and the re-enable state.
pub(crate) fn tables() -> impl Iterator<Item = &'static Table> {
    SHARED.iter().copied().chain(PHASES.iter().flat_map(|p| p.tables.iter().copied()))
}

/// The phases' SQL of schema `version`: what the migration to it runs.
pub(crate) fn schema(version: usize) -> Vec<&'static str> {
    let shared = (version == 2).then_some(overrides::SCHEMA_V2);
    shared
        .into_iter()
        .chain(PHASES.iter().flat_map(|p| p.schema.iter().filter(|(v, _)| *v == version).map(|(_, sql)| *sql)))
        .collect()
}

/// How complete a phase is, for the incident page and the status gates.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export_to = "PhaseProgress.ts")]
pub struct PhaseProgress {
    pub phase: Phase,
    /// The phase's label, for readers of the JSON.
    pub label: String,
    pub complete: bool,
    /// What is still missing, in plain words; empty when complete.
    pub missing: Vec<String>,
    /// The next thing to do in this phase, if any.
    pub next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::{Phase, PHASES};

    #[test]
    fn every_phase_is_declared_once_in_the_order_of_the_response() {
        let declared: Vec<Phase> = PHASES.iter().map(|d| d.phase).collect();
        assert_eq!(declared, Phase::ALL, "PHASES must list each Phase once, in Phase order");
    }
}
