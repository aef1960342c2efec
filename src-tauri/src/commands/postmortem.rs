//! The postmortem: its fields, the timeline and the remediation items.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use chrono::{DateTime, NaiveDate, Utc};
use firebreak_core::phases::postmortem::{
    self, ControlType, Postmortem, PostmortemView, RemediationItem, RemediationUpdate, TimelineEntry,
};
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub async fn postmortem_view(state: State<'_, AppState>, id: String) -> Reply<PostmortemView> {
    blocking(state.store(), move |s| postmortem::view(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn postmortem_save(state: State<'_, AppState>, id: String, postmortem: Postmortem) -> Reply<Postmortem> {
    blocking(state.store(), move |s| postmortem::save(s, &actor(s)?, &id, postmortem)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn timeline_add(
    state: State<'_, AppState>,
    id: String,
    at: DateTime<Utc>,
    text: String,
) -> Reply<TimelineEntry> {
    blocking(state.store(), move |s| postmortem::add_timeline_entry(s, &actor(s)?, &id, at, &text)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remediation_add(
    state: State<'_, AppState>,
    id: String,
    control_type: ControlType,
    description: String,
    owner: String,
    due_date: Option<NaiveDate>,
) -> Reply<RemediationItem> {
    blocking(state.store(), move |s| {
        postmortem::add_remediation(s, &actor(s)?, &id, control_type, &description, &owner, due_date)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remediation_update(
    state: State<'_, AppState>,
    id: String,
    item_id: String,
    update: RemediationUpdate,
) -> Reply<RemediationItem> {
    blocking(state.store(), move |s| postmortem::update_remediation(s, &actor(s)?, &id, &item_id, update)).await
}
