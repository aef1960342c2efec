//! PDF documents: generate one (with its progress), check a file against the ledger, the default classification,
//! and open or show a generated document with the system's viewer.

use super::actor;
use super::declare::{commands, Progress};
use firebreak_core::report::{self, DocumentCheck, GeneratedReport, ReportChoices, ReportRequest, ReportStep};
use firebreak_core::vocabulary::Classification;
use firebreak_core::{Error, Store};
use std::path::{Path, PathBuf};
use tauri_plugin_opener::OpenerExt;

commands! {
    store report_choices() -> ReportChoices => report::choices;
    store set_default_classification(classification: Classification) -> Classification =>
        move |s| report::set_default_classification(s, &actor(s)?, classification);
    /// Writes the document to `dest` (chosen in the save dialog), telling `progress` where the generation stands
    /// (reading, laying out, writing, done).
    store generate_report(request: ReportRequest, dest: PathBuf, progress: Progress<ReportStep>) -> GeneratedReport =>
        move |s| report::generate(s, &actor(s)?, &request, &dest, &mut |step| progress.send(step));
    /// Whether the file at `path` is a document this database generated, and what changed since.
    store check_report(path: PathBuf) -> DocumentCheck => move |s| report::check(s, &path);
    /// Opens a document with the system's PDF viewer. Only files this database generated are opened, so the window
    /// cannot use this to launch anything else.
    app open_report(path: PathBuf) -> () => move |s, app| {
        let path = generated(s, &path)?;
        app.opener().open_path(path.display().to_string(), None::<&str>).map_err(|e| opener_failed(&path, e))
    };
    /// Shows a generated document in its folder.
    app reveal_report(path: PathBuf) -> () => move |s, app| {
        let path = generated(s, &path)?;
        app.opener().reveal_item_in_dir(&path).map_err(|e| opener_failed(&path, e))
    };
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

fn opener_failed(path: &Path, e: tauri_plugin_opener::Error) -> Error {
    Error::Io {
        message: format!(
            "The document was written to {}, but the system could not open it ({e}). Open it from your file manager.",
            path.display()
        ),
    }
}
