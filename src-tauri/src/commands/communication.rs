//! The communication matrix: who must be told, the message, its approval and its sending.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use chrono::{DateTime, Utc};
use firebreak_core::phases::communication::{
    self, Audience, Communication, CommunicationEdit, CommunicationView, EditCommunication,
};
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub async fn comms_matrix(state: State<'_, AppState>, id: String) -> Reply<Vec<CommunicationView>> {
    blocking(state.store(), move |s| communication::matrix(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn comms_draft(state: State<'_, AppState>, id: String, audience: Audience) -> Reply<Communication> {
    blocking(state.store(), move |s| communication::draft(s, &actor(s)?, &id, audience)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn comms_edit(
    state: State<'_, AppState>,
    id: String,
    audience: Audience,
    changes: EditCommunication,
) -> Reply<CommunicationEdit> {
    blocking(state.store(), move |s| communication::edit(s, &actor(s)?, &id, audience, changes)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn comms_approve(
    state: State<'_, AppState>,
    id: String,
    audience: Audience,
    approver: String,
) -> Reply<Communication> {
    blocking(state.store(), move |s| communication::approve(s, &actor(s)?, &id, audience, &approver)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn comms_mark_sent(
    state: State<'_, AppState>,
    id: String,
    audience: Audience,
    sent_at: DateTime<Utc>,
    via: String,
) -> Reply<Communication> {
    blocking(state.store(), move |s| communication::mark_sent(s, &actor(s)?, &id, audience, sent_at, &via)).await
}
