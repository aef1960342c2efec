//! Evidence: the ten kinds, attached files (content-addressed), export, re-verification and chain of custody.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use firebreak_core::phases::evidence::{
    self, CustodyEvent, EvidenceChoices, EvidenceFile, EvidenceItem, EvidenceKind, EvidenceKindState, EvidenceStatus,
    FileCheck,
};
use std::path::PathBuf;
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub fn evidence_choices() -> EvidenceChoices {
    evidence::choices()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_items(state: State<'_, AppState>, id: String) -> Reply<Vec<EvidenceKindState>> {
    blocking(state.store(), move |s| evidence::items(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_files(state: State<'_, AppState>, id: String) -> Reply<Vec<EvidenceFile>> {
    blocking(state.store(), move |s| evidence::files(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_custody(state: State<'_, AppState>, id: String) -> Reply<Vec<CustodyEvent>> {
    blocking(state.store(), move |s| evidence::custody(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_set_status(
    state: State<'_, AppState>,
    id: String,
    kind: EvidenceKind,
    status: EvidenceStatus,
    reason: String,
) -> Reply<EvidenceItem> {
    blocking(state.store(), move |s| evidence::set_status(s, &actor(s)?, &id, kind, status, &reason)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_attach(
    state: State<'_, AppState>,
    id: String,
    kind: EvidenceKind,
    path: PathBuf,
    note: String,
) -> Reply<EvidenceFile> {
    blocking(state.store(), move |s| evidence::attach(s, &actor(s)?, &id, kind, &path, &note)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_export(state: State<'_, AppState>, id: String, file_id: String, dest: PathBuf) -> Reply<String> {
    blocking(state.store(), move |s| {
        evidence::export(s, &actor(s)?, &id, &file_id, &dest).map(|p| p.display().to_string())
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_reverify(state: State<'_, AppState>, id: String) -> Reply<Vec<FileCheck>> {
    blocking(state.store(), move |s| evidence::reverify(s, &actor(s)?, &id)).await
}
