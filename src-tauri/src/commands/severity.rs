//! Severity: the rubric, assessments and their history.

use super::actor;
use super::declare::commands;
use firebreak_core::phases::severity::{self, SeverityAssessment, SeverityQuestion, SeveritySuggestion};
use firebreak_core::vocabulary::Severity;
use std::collections::BTreeMap;

commands! {
    pure severity_questions() -> Vec<SeverityQuestion> => severity::questions();
    store severity_history(id: String) -> Vec<SeverityAssessment> => move |s| severity::history(s, &id);
    store assess_severity(
        id: String,
        answers: BTreeMap<String,
        bool>,
        chosen: Option<Severity>,
        reason: Option<String>,
    ) -> SeverityAssessment =>
        move |s| severity::assess(s, &actor(s)?, &id, answers, chosen, reason);
    /// The live suggestion while answers change; pure and instant, so it needs no database.
    pure suggest_severity(answers: std::collections::BTreeMap<String, bool>) -> SeveritySuggestion =>
        severity::suggestion(&answers);
}
