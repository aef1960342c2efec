//! Pause: pause actions, lifting them, first pauses suggested from the incident's types.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use chrono::{DateTime, Utc};
use firebreak_core::incident;
use firebreak_core::phases::pause::{self, PauseAction, PauseScope, PauseSuggestion};
use firebreak_core::vocabulary::Choice;
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub fn pause_scopes() -> Vec<Choice> {
    PauseScope::options()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_pauses(state: State<'_, AppState>, id: String) -> Reply<Vec<PauseAction>> {
    blocking(state.store(), move |s| pause::list(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn pause_suggestions(state: State<'_, AppState>, id: String) -> Reply<Vec<PauseSuggestion>> {
    blocking(state.store(), move |s| Ok(pause::suggestions(&incident::get(s, &id)?))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn pause_warning(state: State<'_, AppState>, id: String) -> Reply<bool> {
    blocking(state.store(), move |s| pause::needs_pause_warning(&s.connect()?, &incident::get(s, &id)?)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_pause(
    state: State<'_, AppState>,
    id: String,
    scope: PauseScope,
    target: String,
    approved_by: String,
    paused_at: Option<DateTime<Utc>>,
) -> Reply<PauseAction> {
    blocking(state.store(), move |s| pause::pause(s, &actor(s)?, &id, scope, &target, &approved_by, paused_at)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn lift_pause(
    state: State<'_, AppState>,
    id: String,
    pause_id: String,
    lifted_by: String,
    lifted_at: Option<DateTime<Utc>>,
) -> Reply<PauseAction> {
    blocking(state.store(), move |s| pause::lift(s, &actor(s)?, &id, &pause_id, &lifted_by, lifted_at)).await
}
