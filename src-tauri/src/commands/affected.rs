//! Side-effect audit and recovery: the affected-object table (paged, filtered, counted), adding and importing rows,
//! recovery fields and completion logs, and the audit questions.

use super::actor;
use super::declare::commands;
use firebreak_core::phases::affected::{
    self, AffectedChoices, AffectedObject, AuditAnswer, AuditQuestion, ImportReport, NewAffectedObject, ObjectChanges,
    ObjectCounts, ObjectPage, ObjectQuery, QuestionAnswer, RecoveryLogEntry,
};
use std::path::PathBuf;

commands! {
    pure affected_choices() -> AffectedChoices => affected::choices();
    store affected_list(id: String, query: ObjectQuery) -> ObjectPage => move |s| affected::list(s, &id, &query);
    store affected_counts(id: String) -> ObjectCounts => move |s| affected::counts(s, &id);
    store affected_add(id: String, object: NewAffectedObject) -> AffectedObject =>
        move |s| affected::add(s, &actor(s)?, &id, object);
    store affected_update(id: String, object: String, changes: ObjectChanges) -> AffectedObject =>
        move |s| affected::update(s, &actor(s)?, &id, &object, &changes);
    /// Tab-separated text with a header row, as a spreadsheet puts it on the clipboard.
    store affected_import_tsv(id: String, text: String) -> ImportReport =>
        move |s| affected::import_tsv(s, &actor(s)?, &id, text.as_bytes());
    /// A CSV file the user picked.
    store affected_import_csv(id: String, path: PathBuf) -> ImportReport => move |s| {
        let opened = firebreak_core::input::open_regular(&path, "the import")?;
        affected::import_csv(s, &actor(s)?, &id, std::io::BufReader::new(opened.file))
    };
    store recovery_log(id: String, object: String) -> Vec<RecoveryLogEntry> =>
        move |s| affected::recovery_log(s, &id, &object);
    store recovery_log_add(id: String, object: String, note: String) -> RecoveryLogEntry =>
        move |s| affected::log_recovery(s, &actor(s)?, &id, &object, &note);
    store side_effect_answers(id: String) -> Vec<QuestionAnswer> => move |s| affected::answers(s, &id);
    store side_effect_answer(id: String, question: AuditQuestion, answer: String) -> AuditAnswer =>
        move |s| affected::answer(s, &actor(s)?, &id, question, &answer);
}
