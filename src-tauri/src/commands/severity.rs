//! Severity: the rubric, assessments and their history.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use firebreak_core::phases::severity::{self, SeverityAssessment, SeverityQuestion, SeveritySuggestion};
use firebreak_core::vocabulary::Severity;
use std::collections::BTreeMap;
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub fn severity_questions() -> Vec<SeverityQuestion> {
    severity::questions()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn severity_history(state: State<'_, AppState>, id: String) -> Reply<Vec<SeverityAssessment>> {
    blocking(state.store(), move |s| severity::history(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn assess_severity(
    state: State<'_, AppState>,
    id: String,
    answers: BTreeMap<String, bool>,
    chosen: Option<Severity>,
    reason: Option<String>,
) -> Reply<SeverityAssessment> {
    blocking(state.store(), move |s| severity::assess(s, &actor(s)?, &id, answers, chosen, reason)).await
}

/// The live suggestion while answers change; pure and instant, so it needs no database.
#[tauri::command(rename_all = "snake_case")]
pub fn suggest_severity(answers: std::collections::BTreeMap<String, bool>) -> SeveritySuggestion {
    severity::suggestion(&answers)
}
