//! PDF documents: generate one (with its progress), check a file against the ledger, the default classification,
//! and open or show a generated document with the system's viewer.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use firebreak_core::report::{self, DocumentCheck, GeneratedReport, ReportChoices, ReportRequest, ReportStep};
use firebreak_core::vocabulary::Classification;
use firebreak_core::{Error, Store};
use std::path::{Path, PathBuf};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

#[tauri::command(rename_all = "snake_case")]
pub async fn report_choices(state: State<'_, AppState>) -> Reply<ReportChoices> {
    blocking(state.store(), report::choices).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_default_classification(
    state: State<'_, AppState>,
    classification: Classification,
) -> Reply<Classification> {
    blocking(state.store(), move |s| report::set_default_classification(s, &actor(s)?, classification)).await
}

/// Writes the document to `dest` (chosen in the save dialog), telling `progress` where it stands.
#[tauri::command(rename_all = "snake_case")]
pub async fn generate_report(
    state: State<'_, AppState>,
    request: ReportRequest,
    dest: PathBuf,
    progress: Channel<ReportStep>,
) -> Reply<GeneratedReport> {
    blocking(state.store(), move |s| {
        // A closed window cannot take progress any more; the document is still written.
        report::generate(s, &actor(s)?, &request, &dest, &mut |step| drop(progress.send(step)))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn check_report(state: State<'_, AppState>, path: PathBuf) -> Reply<DocumentCheck> {
    blocking(state.store(), move |s| report::check(s, &path)).await
}

/// Opens a document with the system's PDF viewer. Only files this database generated are opened, so the window
/// cannot use this to launch anything else.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_report(state: State<'_, AppState>, app: AppHandle, path: PathBuf) -> Reply<()> {
    let path = blocking(state.store(), move |s| generated(s, &path)).await?;
    app.opener().open_path(path.display().to_string(), None::<&str>).map_err(|e| opener_failed(&path, e))
}

/// Shows a generated document in its folder.
#[tauri::command(rename_all = "snake_case")]
pub async fn reveal_report(state: State<'_, AppState>, app: AppHandle, path: PathBuf) -> Reply<()> {
    let path = blocking(state.store(), move |s| generated(s, &path)).await?;
    app.opener().reveal_item_in_dir(&path).map_err(|e| opener_failed(&path, e))
}

fn generated(store: &Store, path: &Path) -> Result<PathBuf, Error> {
    if report::check(store, path)?.known {
        Ok(path.to_path_buf())
    } else {
        Err(Error::invalid_input(format!(
            "{} is not a document Firebreak generated from this database (or it was changed since), so it is not opened.",
            path.display()
        )))
    }
}

fn opener_failed(path: &Path, e: tauri_plugin_opener::Error) -> firebreak_core::ApiError {
    Error::Io {
        message: format!(
            "The document was written to {}, but the system could not open it ({e}). Open it from your file manager.",
            path.display()
        ),
    }
    .to_api()
}
