//! verify must find every kind of edit made to the database file outside Firebreak.

mod common;

use common::*;
use firebreak_core::incident::{self, FieldChange};
use firebreak_core::people::{self, PersonDetails};
use firebreak_core::phases::guidance;
use firebreak_core::profile::{self, Profile};
use firebreak_core::verify::{verify, ProblemKind, VerifyReport};
use serde_json::json;

/// A database with an incident, a person and a profile, edited a few times.
fn populated() -> (Db, String) {
    let db = db();
    profile::save(
        &db.store,
        Profile { name: "Dana Reyes".into(), role: "Commander".into(), timezone: "Europe/Berlin".into() },
    )
    .unwrap();
    let inc = open_incident(&db, "Refund bot emailed wrong amounts");
    people::add(
        &db.store,
        &dana(),
        PersonDetails { name: "Sam Ortiz".into(), email: "sam@example.com".into(), ..Default::default() },
    )
    .unwrap();
    guidance::update_incident(&db.store, &dana(), &inc.id, &[FieldChange::new("workflow", json!("Refunds"))], false)
        .unwrap();
    guidance::update_incident(
        &db.store,
        &dana(),
        &inc.id,
        &[FieldChange::new("summary", json!("Sent 40 wrong refunds"))],
        false,
    )
    .unwrap();
    let report = verify(&db.store).unwrap();
    assert!(report.intact, "fresh database must verify: {:?}", report.problems);
    (db, inc.id)
}

fn first(report: &VerifyReport) -> &firebreak_core::verify::Problem {
    assert!(!report.intact, "tampering was not detected");
    &report.problems[0]
}

#[test]
fn an_untouched_trail_is_intact_and_counts_its_entries() {
    let (db, _) = populated();
    let report = verify(&db.store).unwrap();
    assert!(report.intact);
    assert!(report.entries > 10);
    assert_eq!(report.head_hash.len(), 64);
    assert!(report.summary().starts_with("Record intact"));
}

#[test]
fn a_modified_entry_is_named() {
    let (db, _) = populated();
    outsider(&db).execute("UPDATE audit_log SET new_value = '\"Nothing happened\"' WHERE field = 'title'", []).unwrap();
    let report = verify(&db.store).unwrap();
    let p = first(&report);
    assert_eq!(p.kind, ProblemKind::EntryModified);
    assert_eq!(p.field.as_deref(), Some("title"));
    assert!(p.message.contains("altered"), "{}", p.message);
}

#[test]
fn a_deleted_entry_in_the_middle_is_found() {
    let (db, _) = populated();
    outsider(&db).execute("DELETE FROM audit_log WHERE seq = 3", []).unwrap();
    let p = first(&verify(&db.store).unwrap()).clone();
    assert_eq!(p.kind, ProblemKind::EntryMissing);
    assert!(p.message.contains("#3"), "{}", p.message);
}

#[test]
fn deleting_the_newest_entries_is_found() {
    let (db, _) = populated();
    let conn = outsider(&db);
    let last: i64 = conn.query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0)).unwrap();
    conn.execute("DELETE FROM audit_log WHERE seq >= ?1", [last - 1]).unwrap();
    let report = verify(&db.store).unwrap();
    assert!(report
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::EntryMissing && p.message.contains(&format!("#{last}"))));
}

#[test]
fn reordered_entries_are_found() {
    let (db, _) = populated();
    let conn = outsider(&db);
    // Swap the positions of entries 4 and 5 (renumbering them), keeping each one's content and hash.
    conn.execute_batch(
        "UPDATE audit_log SET seq = -4 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = -4;",
    )
    .unwrap();
    let p = first(&verify(&db.store).unwrap()).clone();
    assert!(matches!(p.kind, ProblemKind::EntryModified | ProblemKind::EntryOutOfOrder), "{p:?}");
    assert_eq!(p.seq, Some(4));
}

#[test]
fn an_inserted_entry_with_a_valid_hash_is_found() {
    let (db, id) = populated();
    let conn = outsider(&db);
    // A forger who knows the hashing scheme appends a well-formed entry claiming the title changed...
    let mut entry = incident::history(&db.store, &id).unwrap().pop().unwrap();
    entry.seq += 1;
    entry.field = "title".into();
    entry.old_value = None;
    entry.new_value = Some("\"A harmless test\"".into());
    entry.prev_hash = entry.hash.clone();
    entry.hash = entry.compute_hash();
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, actor_role, entity, entity_id, field, old_value, new_value, reason, prev_hash, hash)
         SELECT ?1, at, actor, actor_role, entity, entity_id, ?2, ?3, ?4, reason, ?5, ?6 FROM audit_log WHERE seq = ?7",
        rusqlite::params![entry.seq, entry.field, entry.old_value, entry.new_value, entry.prev_hash, entry.hash, entry.seq - 1],
    )
    .unwrap();
    // ...the trail's recorded head no longer matches, and neither does the title.
    let report = verify(&db.store).unwrap();
    assert_eq!(first(&report).kind, ProblemKind::EntryAdded);
    assert!(report
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::ValueMismatch && p.field.as_deref() == Some("title")));
}

#[test]
fn an_incident_value_changed_directly_is_named_with_record_and_field() {
    let (db, id) = populated();
    outsider(&db).execute("UPDATE incidents SET severity = 'sev3'", []).unwrap();
    let p = first(&verify(&db.store).unwrap()).clone();
    assert_eq!(p.kind, ProblemKind::ValueMismatch);
    assert_eq!(p.record.as_deref(), Some(id.as_str()));
    assert_eq!(p.field.as_deref(), Some("severity"));
}

#[test]
fn a_list_value_changed_directly_is_found() {
    let (db, _) = populated();
    outsider(&db).execute("UPDATE incidents SET data_classes = '[\"public\"]'", []).unwrap();
    let p = first(&verify(&db.store).unwrap()).clone();
    assert_eq!(p.field.as_deref(), Some("data_classes"));
}

#[test]
fn a_person_changed_directly_is_found() {
    let (db, _) = populated();
    outsider(&db).execute("UPDATE people SET email = 'attacker@example.net' WHERE name = 'Sam Ortiz'", []).unwrap();
    let p = first(&verify(&db.store).unwrap()).clone();
    assert_eq!(p.kind, ProblemKind::ValueMismatch);
    assert_eq!(p.record.as_deref(), Some("Sam Ortiz"));
    assert_eq!(p.field.as_deref(), Some("email"));
}

#[test]
fn a_setting_changed_directly_is_found() {
    let (db, _) = populated();
    outsider(&db).execute("UPDATE settings SET value = 'Someone Else' WHERE key = 'profile.name'", []).unwrap();
    let p = first(&verify(&db.store).unwrap()).clone();
    assert_eq!(p.field.as_deref(), Some("name"));
    assert!(p.message.contains("Someone Else"));
}

#[test]
fn a_row_added_directly_is_found() {
    let (db, _) = populated();
    outsider(&db)
        .execute(
            "INSERT INTO incidents (uuid, id, created_at, title, status) VALUES ('0190-fake', 'AI-INC-2026-0101-999', '2026-01-01T00:00:00Z', 'Planted', 'closed')",
            [],
        )
        .unwrap();
    let p = first(&verify(&db.store).unwrap()).clone();
    assert_eq!(p.kind, ProblemKind::UnauditedRecord);
    assert_eq!(p.record.as_deref(), Some("AI-INC-2026-0101-999"));
}

#[test]
fn a_row_deleted_directly_is_found() {
    let (db, _) = populated();
    outsider(&db).execute("DELETE FROM incidents", []).unwrap();
    let p = first(&verify(&db.store).unwrap()).clone();
    assert_eq!(p.kind, ProblemKind::MissingRecord);
}

fn entry_count(db: &Db) -> i64 {
    outsider(db).query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

#[test]
fn an_imported_row_is_one_audit_entry_and_an_edit_to_any_of_its_fields_is_named() {
    let (db, id) = populated();
    let before = entry_count(&db);
    let csv = "system,object_type,object_id,action,status,recovery_action\n\
               Salesforce,record,ACC-1,changed,open,roll_back\n\
               Gmail,message,MSG-2,sent,open,\n\
               Jira,ticket,JRA-3,changed,open,\n";
    firebreak_core::phases::affected::import_csv(&db.store, &dana(), &id, csv.as_bytes()).unwrap();
    assert_eq!(entry_count(&db) - before, 3, "one entry per created row, nothing else");
    assert!(verify(&db.store).unwrap().intact);

    outsider(&db)
        .execute("UPDATE affected_objects SET object_id = '\"ACC-9\"' WHERE object_id = '\"ACC-1\"'", [])
        .unwrap();
    let report = verify(&db.store).unwrap();
    let problem = first(&report);
    assert_eq!(problem.kind, ProblemKind::ValueMismatch);
    assert_eq!(problem.field.as_deref(), Some("object_id"));
    assert!(problem.message.contains("\"ACC-1\"") && problem.message.contains("\"ACC-9\""), "{}", problem.message);

    // A field the row was created without is named too when another program fills it in.
    outsider(&db)
        .execute("UPDATE affected_objects SET object_id = '\"ACC-1\"' WHERE object_id = '\"ACC-9\"'", [])
        .unwrap();
    outsider(&db)
        .execute("UPDATE affected_objects SET verified_by = '\"Mallory\"' WHERE object_id = '\"MSG-2\"'", [])
        .unwrap();
    let report = verify(&db.store).unwrap();
    let problem = first(&report);
    assert_eq!((problem.kind, problem.field.as_deref()), (ProblemKind::ValueMismatch, Some("verified_by")));
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
}

#[test]
fn verify_reports_its_progress_through_both_passes_and_ends_complete() {
    let (db, _) = populated();
    let mut heard = Vec::new();
    let report = firebreak_core::verify::verify_against(&db.store, &[], &mut |p| heard.push(p)).unwrap();
    let last = heard.last().expect("progress is reported");
    assert_eq!(last.total, 2 * report.entries as u64, "each entry is read twice: its chain, then its record");
    assert_eq!(last.done, last.total);
    assert!(heard.windows(2).all(|w| w[0].done <= w[1].done));
}
