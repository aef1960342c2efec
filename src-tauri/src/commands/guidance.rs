//! Guidance and status gates of the incident page.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use firebreak_core::incident::Incident;
use firebreak_core::phases::guidance::{self, Guidance};
use firebreak_core::vocabulary::Status;
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub async fn guidance(state: State<'_, AppState>, id: String) -> Reply<Guidance> {
    blocking(state.store(), move |s| guidance::guidance(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_status(
    state: State<'_, AppState>,
    id: String,
    status: Status,
    override_reason: Option<String>,
) -> Reply<Incident> {
    blocking(state.store(), move |s| guidance::set_status(s, &actor(s)?, &id, status, override_reason.as_deref())).await
}
