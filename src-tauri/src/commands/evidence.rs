//! Evidence: the ten kinds, attached files (content-addressed), export, re-verification and chain of custody.

use super::actor;
use super::declare::commands;
use firebreak_core::phases::evidence::{
    self, CustodyEvent, EvidenceChoices, EvidenceFile, EvidenceItem, EvidenceKind, EvidenceKindState, EvidenceStatus,
    FileCheck,
};
use std::path::PathBuf;

commands! {
    pure evidence_choices() -> EvidenceChoices => evidence::choices();
    store evidence_items(id: String) -> Vec<EvidenceKindState> => move |s| evidence::items(s, &id);
    store evidence_files(id: String) -> Vec<EvidenceFile> => move |s| evidence::files(s, &id);
    store evidence_custody(id: String) -> Vec<CustodyEvent> => move |s| evidence::custody(s, &id);
    store evidence_set_status(id: String, kind: EvidenceKind, status: EvidenceStatus, reason: String) -> EvidenceItem =>
        move |s| evidence::set_status(s, &actor(s)?, &id, kind, status, &reason);
    store evidence_attach(id: String, kind: EvidenceKind, path: PathBuf, note: String) -> EvidenceFile =>
        move |s| evidence::attach(s, &actor(s)?, &id, kind, &path, &note);
    /// Copies an evidence file to `dest` (logged in its custody trail); resolves to the path written.
    store evidence_export(id: String, file_id: String, dest: PathBuf) -> String => move |s| {
        evidence::export(s, &actor(s)?, &id, &file_id, &dest).map(|p| p.display().to_string())
    };
    store evidence_reverify(id: String) -> Vec<FileCheck> => move |s| evidence::reverify(s, &actor(s)?, &id);
}
