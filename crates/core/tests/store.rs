//! Opening databases: damaged, foreign, newer and locked files get clear messages and are never changed.

mod common;

use common::*;
use firebreak_core::incident::{self, FieldChange};
use firebreak_core::phases::guidance;
use firebreak_core::{ErrorCode, Store};
use serde_json::json;
use std::time::Duration;

fn bytes(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_new_database_is_created_with_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("firebreak.db");
    let store = Store::create(&path).unwrap();
    assert!(path.exists());
    assert_eq!(store.path(), path);
    // Reopening an up-to-date database changes nothing and works.
    Store::open(&path).unwrap();
    Store::create(&path).unwrap();
}

#[test]
fn opening_a_path_with_no_database_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("fierbreak").join("firebreak.db");
    let err = Store::open(&typo).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(
        err.to_string().contains(&typo.display().to_string()) && err.to_string().contains("firebreak init"),
        "{err}"
    );
    assert!(!typo.parent().unwrap().exists(), "no folder was created");
}

/// A copy that may not be written: every read works, every write is refused, and the file is untouched.
fn read_only_copy_works(copy: &std::path::Path) {
    let before = bytes(copy);
    let store = Store::open(copy).unwrap();
    assert!(store.is_read_only());
    let report = firebreak_core::verify::verify(&store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
    let listed = incident::list(&store, &Default::default()).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!incident::history(&store, &listed[0].id).unwrap().is_empty());
    let err =
        guidance::update_incident(&store, &dana(), &listed[0].id, &[FieldChange::new("workflow", json!("x"))], false)
            .unwrap_err();
    assert!(err.to_string().contains("read-only copy"), "{err}");
    assert_eq!(bytes(copy), before, "the copy is unchanged");
}

#[test]
fn a_read_only_copy_can_be_read_and_verified() {
    use std::os::unix::fs::PermissionsExt;
    let db = db();
    let inc = open_incident(&db, "Copied to read-only media");
    guidance::update_incident(
        &db.store,
        &dana(),
        &inc.id,
        &[FieldChange::new("summary", json!("Kept for the reviewer"))],
        false,
    )
    .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.db");
    // The file as a reviewer gets it: checkpointed, copied alone (a WAL database without its -wal and -shm).
    outsider(&db).query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    std::fs::copy(db.store.path(), &copy).unwrap();

    // A file without write permission, in a folder that may be written.
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o444)).unwrap();
    read_only_copy_works(&copy);

    // The folder read-only too (as on a CD or a read-only mount): no shared-memory file can be made beside it.
    std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    read_only_copy_works(&copy);
    let names: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(names.iter().all(|n| n.starts_with("copy.db")), "nothing else written into the folder: {names:?}");
}

#[test]
fn a_damaged_file_is_refused_by_name_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("firebreak.db");
    std::fs::write(&path, b"this is not sqlite, it is a shopping list: eggs, milk, bread, and more text".repeat(100))
        .unwrap();
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Storage);
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("not a Firebreak database or is damaged"), "{message}");
    assert_eq!(bytes(&path), before, "the damaged file must not be overwritten");
}

#[test]
fn another_programs_sqlite_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    rusqlite::Connection::open(&path).unwrap().execute_batch("CREATE TABLE recipes (name TEXT)").unwrap();
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(err.to_string().contains("another program"), "{err}");
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_database_from_a_newer_firebreak_is_refused_and_untouched() {
    let db = db();
    open_incident(&db, "Written by the current version");
    outsider(&db).pragma_update(None, "user_version", 999).unwrap();
    let before = bytes(db.store.path());
    let err = Store::open(db.store.path()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Storage);
    assert!(err.to_string().contains("newer Firebreak (schema 999"), "{err}");
    assert_eq!(bytes(db.store.path()), before);
}

#[test]
fn a_folder_given_as_database_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(err.to_string().contains("is a folder"), "{err}");
}

#[test]
fn a_writer_waits_for_a_lock_held_by_another_process_instead_of_failing() {
    let db = db();
    let inc = open_incident(&db, "Locked meanwhile");
    let blocker = outsider(&db);
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(700));
        blocker.execute_batch("COMMIT").unwrap();
    });
    let updated = guidance::update_incident(
        &db.store,
        &dana(),
        &inc.id,
        &[FieldChange::new("summary", json!("written after the wait"))],
        false,
    )
    .unwrap();
    holder.join().unwrap();
    assert_eq!(updated.fields.summary, "written after the wait");
}

#[test]
fn concurrent_writers_lose_no_edit_and_keep_the_chain_intact() {
    let db = db();
    let inc = open_incident(&db, "Two writers");
    let threads: Vec<_> = ["summary", "customer_impact", "vendor_impact"]
        .into_iter()
        .map(|field| {
            let store = db.store.clone();
            let id = inc.id.clone();
            std::thread::spawn(move || {
                for n in 0..15 {
                    let change = FieldChange::new(field, json!(format!("{field} edit {n}")));
                    guidance::update_incident(&store, &dana(), &id, &[change], false).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let after = incident::get(&db.store, &inc.id).unwrap();
    assert_eq!(after.fields.summary, "summary edit 14");
    assert_eq!(after.fields.customer_impact, "customer_impact edit 14");
    assert_eq!(after.fields.vendor_impact, "vendor_impact edit 14");
    let history = incident::history(&db.store, &inc.id).unwrap();
    assert_eq!(history.iter().filter(|e| e.field != "_created" && e.old_value.is_some()).count(), 42);
    assert!(firebreak_core::verify::verify(&db.store).unwrap().intact);
}

#[test]
fn an_older_database_is_backed_up_then_upgraded() {
    let db = db();
    let inc = open_incident(&db, "Kept across the upgrade");
    // Make it look like a schema-1 database: drop what later versions add.
    let conn = outsider(&db);
    let names = |sql: &str| -> Vec<String> {
        conn.prepare(sql).unwrap().query_map([], |r| r.get(0)).unwrap().map(|n| n.unwrap()).collect()
    };
    let later = names(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT IN ('audit_log', 'audit_head', 'settings', 'people', 'incidents')",
    );
    assert!(!later.is_empty());
    // Schema 1 had no triggers; dropping a full-text table drops its shadow tables with it.
    let triggers = names("SELECT name FROM sqlite_master WHERE type = 'trigger'");
    for trigger in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER {trigger}")).unwrap();
    }
    for table in &later {
        conn.execute_batch(&format!("DROP TABLE IF EXISTS {table}")).unwrap();
    }
    conn.pragma_update(None, "user_version", 1).unwrap();
    drop(conn);

    let store = Store::open(db.store.path()).unwrap();
    let backups: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("firebreak.db.schema1-backup-"))
        .collect();
    assert_eq!(backups.len(), 1, "one backup beside the database: {backups:?}");
    let backup = Store::open(db.dir.path().join(&backups[0]));
    // The backup is the old database as it was (opening it upgrades that copy, which is fine for a restore).
    assert!(backup.is_ok());
    assert_eq!(incident::get(&store, &inc.id).unwrap().fields.title, "Kept across the upgrade");
    let version: i64 = outsider(&db).query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, firebreak_core::schema::version());
    assert!(firebreak_core::verify::verify(&store).unwrap().intact);
}
