//! Containment checklist.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use firebreak_core::phases::containment::{self, ContainmentArea, ContainmentItem, ContainmentLine, ContainmentStatus};
use firebreak_core::vocabulary::Choice;
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub fn containment_statuses() -> Vec<Choice> {
    ContainmentStatus::options()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_containment(state: State<'_, AppState>, id: String) -> Reply<Vec<ContainmentLine>> {
    blocking(state.store(), move |s| containment::list(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_containment(
    state: State<'_, AppState>,
    id: String,
    area: ContainmentArea,
    status: ContainmentStatus,
    note: Option<String>,
) -> Reply<ContainmentItem> {
    blocking(state.store(), move |s| containment::set(s, &actor(s)?, &id, area, status, note.as_deref())).await
}
