//! Re-enable: the eleven questions, the staged sign-offs, the first monitored run, retiring the workflow.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use chrono::{DateTime, Utc};
use firebreak_core::phases::reenable::{
    self, ReenableAnswer, ReenableAnswerValue, ReenableQuestion, ReenableSignoff, ReenableStage, ReenableView,
};
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub async fn reenable_view(state: State<'_, AppState>, id: String) -> Reply<ReenableView> {
    blocking(state.store(), move |s| reenable::view(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reenable_answer(
    state: State<'_, AppState>,
    id: String,
    question: ReenableQuestion,
    answer: ReenableAnswerValue,
    note: String,
) -> Reply<ReenableAnswer> {
    blocking(state.store(), move |s| reenable::answer(s, &actor(s)?, &id, question, answer, &note)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reenable_signoff(
    state: State<'_, AppState>,
    id: String,
    stage: ReenableStage,
    approver: String,
    statement: String,
) -> Reply<ReenableSignoff> {
    blocking(state.store(), move |s| reenable::signoff(s, &actor(s)?, &id, stage, &approver, &statement)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reenable_first_run(
    state: State<'_, AppState>,
    id: String,
    signoff_id: String,
    at: DateTime<Utc>,
) -> Reply<ReenableSignoff> {
    blocking(state.store(), move |s| reenable::record_first_run(s, &actor(s)?, &id, &signoff_id, at)).await
}
