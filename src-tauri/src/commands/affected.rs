//! Side-effect audit and recovery: the affected-object table (paged, filtered, counted), adding and importing rows,
//! recovery fields and completion logs, and the audit questions.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use firebreak_core::phases::affected::{
    self, AffectedChoices, AffectedObject, AuditAnswer, AuditQuestion, ImportReport, NewAffectedObject, ObjectChanges,
    ObjectCounts, ObjectPage, ObjectQuery, QuestionAnswer, RecoveryLogEntry,
};
use std::path::PathBuf;
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub fn affected_choices() -> AffectedChoices {
    affected::choices()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn affected_list(state: State<'_, AppState>, id: String, query: ObjectQuery) -> Reply<ObjectPage> {
    blocking(state.store(), move |s| affected::list(s, &id, &query)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn affected_counts(state: State<'_, AppState>, id: String) -> Reply<ObjectCounts> {
    blocking(state.store(), move |s| affected::counts(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn affected_add(state: State<'_, AppState>, id: String, object: NewAffectedObject) -> Reply<AffectedObject> {
    blocking(state.store(), move |s| affected::add(s, &actor(s)?, &id, object)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn affected_update(
    state: State<'_, AppState>,
    id: String,
    object: String,
    changes: ObjectChanges,
) -> Reply<AffectedObject> {
    blocking(state.store(), move |s| affected::update(s, &actor(s)?, &id, &object, &changes)).await
}

/// Tab-separated text with a header row, as a spreadsheet puts it on the clipboard.
#[tauri::command(rename_all = "snake_case")]
pub async fn affected_import_tsv(state: State<'_, AppState>, id: String, text: String) -> Reply<ImportReport> {
    blocking(state.store(), move |s| affected::import_tsv(s, &actor(s)?, &id, text.as_bytes())).await
}

/// A CSV file the user picked.
#[tauri::command(rename_all = "snake_case")]
pub async fn affected_import_csv(state: State<'_, AppState>, id: String, path: PathBuf) -> Reply<ImportReport> {
    blocking(state.store(), move |s| {
        let opened = firebreak_core::input::open_regular(&path, "the import")?;
        affected::import_csv(s, &actor(s)?, &id, std::io::BufReader::new(opened.file))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recovery_log(state: State<'_, AppState>, id: String, object: String) -> Reply<Vec<RecoveryLogEntry>> {
    blocking(state.store(), move |s| affected::recovery_log(s, &id, &object)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recovery_log_add(
    state: State<'_, AppState>,
    id: String,
    object: String,
    note: String,
) -> Reply<RecoveryLogEntry> {
    blocking(state.store(), move |s| affected::log_recovery(s, &actor(s)?, &id, &object, &note)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn audit_answers(state: State<'_, AppState>, id: String) -> Reply<Vec<QuestionAnswer>> {
    blocking(state.store(), move |s| affected::answers(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn audit_answer(
    state: State<'_, AppState>,
    id: String,
    question: AuditQuestion,
    answer: String,
) -> Reply<AuditAnswer> {
    blocking(state.store(), move |s| affected::answer(s, &actor(s)?, &id, question, &answer)).await
}
