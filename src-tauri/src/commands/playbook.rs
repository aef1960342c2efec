//! Containment playbooks for the incident's types, and ticking their steps.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use firebreak_core::phases::playbook::{self, PlaybookStepState, PlaybookView};
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub async fn list_playbooks(state: State<'_, AppState>, id: String) -> Reply<Vec<PlaybookView>> {
    blocking(state.store(), move |s| playbook::playbooks_for(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn tick_playbook_step(
    state: State<'_, AppState>,
    id: String,
    playbook: String,
    step: String,
    done: bool,
    note: Option<String>,
) -> Reply<PlaybookStepState> {
    blocking(state.store(), move |s| playbook::tick(s, &actor(s)?, &id, &playbook, &step, done, note.as_deref())).await
}
