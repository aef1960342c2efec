//! Investigation: agent traces imported as evidence and read into runs and steps, and the steps read back a page
//! at a time for the Investigation tab.

use super::actor;
use super::declare::commands;
use firebreak_core::investigation::{
    self, ImportOptions, StepFacets, StepFilter, StepOriginal, StepPage, StoredStep, TraceChoices, TraceImport, TraceOverview,
};
use firebreak_core::investigation::findings::{self, FindingDismissal, FindingRules, Findings};
use firebreak_core::investigation::side_effects::{
    self, AcceptedSideEffects, Acceptance, CallClass, SideEffectProposals, ToolClass,
};
use firebreak_core::phases::affected::AgentAction;
use firebreak_core::trace::Format;
use std::path::PathBuf;

commands! {
    pure trace_choices() -> TraceChoices => investigation::choices();
    /// Attaches `path` as tool-call-trace evidence and reads it into runs and steps, all or nothing.
    store trace_import(id: String, path: PathBuf, format: Option<Format>, skip_invalid: bool) -> TraceImport =>
        move |s| investigation::import_file(s, &actor(s)?, &id, &path, &ImportOptions { format, skip_invalid });
    /// Reads an evidence file already attached to the incident as a trace.
    store trace_import_evidence(id: String, file_id: String, format: Option<Format>, skip_invalid: bool) -> TraceImport =>
        move |s| investigation::import_evidence(s, &actor(s)?, &id, &file_id, &ImportOptions { format, skip_invalid });
    store trace_overview(id: String) -> TraceOverview =>
        move |s| investigation::overview(s, &id);
    store trace_facets(id: String) -> StepFacets => move |s| investigation::facets(s, &id);
    store trace_steps(id: String, filter: StepFilter) -> StepPage => move |s| investigation::steps(s, &id, &filter);
    /// One step whole. Its number is a `u32` on the wire, which TypeScript holds exactly (an `i64` would be a bigint).
    store trace_step(id: String, step: u32) -> StoredStep => move |s| investigation::step(s, &id, i64::from(step));
    /// The step as its evidence file holds it (its line, at most 64 KiB), read from the preserved copy.
    store trace_original(id: String, step: u32) -> StepOriginal =>
        move |s| investigation::original(s, &id, i64::from(step));
    /// The findings, computed now from the steps and the incident's rules.
    store trace_findings(id: String) -> Findings => move |s| findings::findings(s, &id);
    /// Steps by number, their texts cut as in a page: the steps behind a finding, which the finding already names,
    /// so they are read without judging the findings again.
    store trace_steps_by_id(id: String, steps: Vec<u32>) -> Vec<StoredStep> =>
        move |s| investigation::steps_by_id(s, &id, &steps.iter().map(|n| i64::from(*n)).collect::<Vec<_>>());
    store set_finding_rules(id: String, rules: FindingRules) -> FindingRules =>
        move |s| findings::set_rules(s, &actor(s)?, &id, &rules);
    store dismiss_finding(id: String, finding: String, reason: String) -> FindingDismissal =>
        move |s| findings::dismiss(s, &actor(s)?, &id, &finding, &reason);
    store restore_finding(id: String, finding: String) -> FindingDismissal =>
        move |s| findings::restore(s, &actor(s)?, &id, &finding);
    /// The write calls proposed as affected objects, and how each tool was classed.
    store side_effect_proposals(id: String) -> SideEffectProposals => move |s| side_effects::proposals(s, &id);
    /// Enters proposals in the side-effect audit, all or nothing.
    store accept_side_effects(id: String, choice: Acceptance) -> AcceptedSideEffects =>
        move |s| side_effects::accept(s, &actor(s)?, &id, &choice);
    /// Classes a tool for every incident; no class gives it back to the automatic judgement.
    store set_tool_class(tool: String, chosen: Option<CallClass>, action: Option<AgentAction>) -> ToolClass =>
        move |s| side_effects::set_tool_class(s, &actor(s)?, &tool, chosen, action);
}
