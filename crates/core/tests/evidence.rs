//! Evidence: kind statuses, the content-addressed store, re-verification and the chain of custody.

mod common;

use common::*;
use firebreak_core::phases::evidence::{self, CustodyAction, EvidenceKind, EvidenceStatus, FileCheckStatus};
use firebreak_core::{verify, ErrorCode};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

fn source(db: &Db, name: &str, content: &[u8]) -> PathBuf {
    db.outside_file(name, content)
}

fn sha(content: &[u8]) -> String {
    Sha256::digest(content).iter().map(|b| format!("{b:02x}")).collect()
}

fn intact(db: &Db) {
    let report = verify::verify(&db.store).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

fn actions(db: &Db, key: &str) -> Vec<CustodyAction> {
    evidence::custody(&db.store, key).unwrap().into_iter().map(|e| e.action).collect()
}

#[test]
fn every_kind_starts_required_without_creating_rows() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let items = evidence::items(&db.store, &inc.id).unwrap();
    assert_eq!(items.len(), 10);
    assert!(items.iter().all(|i| i.status == EvidenceStatus::Required && i.item.is_none() && i.files == 0));
    let progress = evidence::progress(&db.store.connect().unwrap(), &inc).unwrap();
    assert!(!progress.complete);
    assert_eq!(progress.missing.len(), 10);
    assert!(progress.missing[0].contains("Run record"), "{:?}", progress.missing);
}

#[test]
fn not_applicable_needs_a_reason_and_nothing_is_written_without_one() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let before = firebreak_core::incident::history(&db.store, &inc.id).unwrap().len();
    for reason in ["", "   "] {
        let err = evidence::set_status(
            &db.store,
            &dana(),
            &inc.id,
            EvidenceKind::ConnectorLogs,
            EvidenceStatus::NotApplicable,
            reason,
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert_eq!(err.field(), Some("reason"));
    }
    assert!(evidence::items(&db.store, &inc.id).unwrap().iter().all(|i| i.item.is_none()));
    assert_eq!(firebreak_core::incident::history(&db.store, &inc.id).unwrap().len(), before);

    let item = evidence::set_status(
        &db.store,
        &dana(),
        &inc.id,
        EvidenceKind::ConnectorLogs,
        EvidenceStatus::NotApplicable,
        "The agent has no connectors",
    )
    .unwrap();
    assert_eq!(item.reason, "The agent has no connectors");
    // Setting it again updates the same row.
    evidence::set_status(&db.store, &dana(), &inc.id, EvidenceKind::ConnectorLogs, EvidenceStatus::Preserved, "")
        .unwrap();
    let items = evidence::items(&db.store, &inc.id).unwrap();
    let logs = items.iter().find(|i| i.kind == EvidenceKind::ConnectorLogs).unwrap();
    assert_eq!((logs.status, logs.item.as_deref()), (EvidenceStatus::Preserved, Some(item.id.as_str())));
    intact(&db);
}

#[test]
fn attach_hashes_copies_read_only_and_marks_the_kind_preserved() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let content = b"run 42: tool call send_email(to=all@customers)";
    let path = source(&db, "run-42.log", content);
    let file =
        evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::RunRecord, &path, "exported from the runner")
            .unwrap();
    assert_eq!(file.sha256, sha(content));
    assert_eq!(file.size, content.len() as u64);
    assert_eq!(file.original_name, "run-42.log");
    assert_eq!(file.collected_by, "Dana Reyes");
    assert_eq!(file.note, "exported from the runner");

    let stored = evidence::stored_path(&db.store, &file.sha256);
    assert_eq!(stored, db.dir.path().join("evidence").join(&file.sha256));
    assert_eq!(std::fs::read(&stored).unwrap(), content);
    assert!(std::fs::metadata(&stored).unwrap().permissions().readonly());
    let leftovers: Vec<_> = std::fs::read_dir(db.dir.path().join("evidence")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");

    let items = evidence::items(&db.store, &inc.id).unwrap();
    let run = items.iter().find(|i| i.kind == EvidenceKind::RunRecord).unwrap();
    assert_eq!((run.status, run.files), (EvidenceStatus::Preserved, 1));
    assert_eq!(actions(&db, &inc.id), [CustodyAction::Attached]);
    intact(&db);
}

#[test]
fn the_same_content_is_stored_once() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let a = source(&db, "a.json", b"{\"same\": true}");
    let b = source(&db, "b.json", b"{\"same\": true}");
    let first = evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::OutputPayloads, &a, "").unwrap();
    let second = evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::ToolCallTrace, &b, "").unwrap();
    assert_eq!(first.sha256, second.sha256);
    assert_ne!(first.id, second.id);
    assert_eq!(std::fs::read_dir(db.dir.path().join("evidence")).unwrap().count(), 1);
    assert_eq!(evidence::files(&db.store, &inc.id).unwrap().len(), 2);
    intact(&db);
}

#[test]
fn attach_refuses_a_missing_file_or_a_folder_and_writes_nothing() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let missing = db.dir.path().join("nowhere.log");
    let err = evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::RunRecord, &missing, "").unwrap_err();
    assert_eq!(err.code(), ErrorCode::Io);
    assert!(err.to_string().contains("nowhere.log") && err.to_string().contains("no such file"), "{err}");

    let folder = db.dir.path().join("logs");
    std::fs::create_dir(&folder).unwrap();
    let err = evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::RunRecord, &folder, "").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("is a folder"), "{err}");

    let path = source(&db, "x.log", b"x");
    let err =
        evidence::attach(&db.store, &dana(), "AI-INC-2000-0101-001", EvidenceKind::RunRecord, &path, "").unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);

    assert!(evidence::files(&db.store, &inc.id).unwrap().is_empty());
    assert!(evidence::custody(&db.store, &inc.id).unwrap().is_empty());
    assert!(
        !db.dir.path().join("evidence").exists()
            || std::fs::read_dir(db.dir.path().join("evidence")).unwrap().count() == 0
    );
    intact(&db);
}

#[test]
fn reverify_flags_a_file_changed_on_disk_and_one_deleted() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let kept =
        evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::RunRecord, &source(&db, "kept.log", b"kept"), "")
            .unwrap();
    let changed = evidence::attach(
        &db.store,
        &dana(),
        &inc.id,
        EvidenceKind::ModelVersion,
        &source(&db, "model.txt", b"gpt-x 1.2"),
        "",
    )
    .unwrap();
    let deleted = evidence::attach(
        &db.store,
        &dana(),
        &inc.id,
        EvidenceKind::AlertsAndChats,
        &source(&db, "chat.txt", b"slack thread"),
        "",
    )
    .unwrap();

    let checks = evidence::reverify(&db.store, &dana(), &inc.id).unwrap();
    assert!(checks.iter().all(|c| c.status == FileCheckStatus::Unchanged));

    // Someone edits one stored copy and deletes another behind Firebreak's back.
    let target = evidence::stored_path(&db.store, &changed.sha256);
    let mut perms = std::fs::metadata(&target).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&target, perms).unwrap();
    std::fs::write(&target, b"gpt-x 9.9").unwrap();
    std::fs::remove_file(evidence::stored_path(&db.store, &deleted.sha256)).unwrap();

    let checks = evidence::reverify(&db.store, &dana(), &inc.id).unwrap();
    let status = |id: &str| checks.iter().find(|c| c.file.id == id).unwrap().clone();
    assert_eq!(status(&kept.id).status, FileCheckStatus::Unchanged);
    assert_eq!(status(&changed.id).status, FileCheckStatus::Changed);
    assert_eq!(status(&changed.id).found_sha256, Some(sha(b"gpt-x 9.9")));
    assert_eq!(status(&deleted.id).status, FileCheckStatus::Missing);
    assert_eq!(status(&deleted.id).found_sha256, None);

    let events = evidence::custody(&db.store, &inc.id).unwrap();
    let last: Vec<(String, CustodyAction)> = events.iter().rev().take(3).map(|e| (e.file.clone(), e.action)).collect();
    assert!(last.contains(&(changed.id.clone(), CustodyAction::Changed)));
    assert!(last.contains(&(deleted.id.clone(), CustodyAction::Missing)));
    assert!(last.contains(&(kept.id.clone(), CustodyAction::Verified)));
    // Opening or exporting a vanished copy is refused.
    let err = evidence::open_copy(&db.store, &dana(), &inc.id, &deleted.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Io);
    let err = evidence::export(&db.store, &dana(), &inc.id, &changed.id, &db.dir.path().join("out.txt")).unwrap_err();
    assert!(err.to_string().contains("no longer matches"), "{err}");
    assert!(!db.dir.path().join("out.txt").exists(), "a copy that fails its hash is not exported");
    intact(&db);
}

#[test]
fn open_and_export_are_logged_and_export_never_overwrites() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let content = b"approval queue snapshot";
    let file = evidence::attach(
        &db.store,
        &dana(),
        &inc.id,
        EvidenceKind::ApprovalState,
        &source(&db, "queue.csv", content),
        "",
    )
    .unwrap();

    let opened = evidence::open_copy(&db.store, &dana(), &inc.id, &file.id).unwrap();
    assert_eq!(std::fs::read(&opened).unwrap(), content);

    let dest = db.dir.path().join("export.csv");
    let written = evidence::export(&db.store, &dana(), &inc.id, &file.id, &dest).unwrap();
    assert_eq!(written, dest);
    assert_eq!(std::fs::read(&dest).unwrap(), content);

    std::fs::write(&dest, b"someone else's file").unwrap();
    let err = evidence::export(&db.store, &dana(), &inc.id, &file.id, &dest).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(err.field(), Some("destination"));
    assert_eq!(std::fs::read(&dest).unwrap(), b"someone else's file");

    // A folder as destination takes the original name.
    let folder = db.dir.path().join("handover");
    std::fs::create_dir(&folder).unwrap();
    let written = evidence::export(&db.store, &dana(), &inc.id, &file.id, &folder).unwrap();
    assert_eq!(written, folder.join("queue.csv"));

    evidence::reverify(&db.store, &dana(), &inc.id).unwrap();
    assert_eq!(
        actions(&db, &inc.id),
        [
            CustodyAction::Attached,
            CustodyAction::Opened,
            CustodyAction::Exported,
            CustodyAction::Exported,
            CustodyAction::Verified
        ]
    );
    let events = evidence::custody(&db.store, &inc.id).unwrap();
    assert_eq!(events[2].detail, dest.display().to_string());
    assert!(events.iter().all(|e| e.by == "Dana Reyes" && e.file == file.id));

    let other = open_incident(&db, "Another incident");
    let err = evidence::open_copy(&db.store, &dana(), &other.id, &file.id).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "a file is only reachable through its own incident");
    intact(&db);
}

#[test]
fn progress_is_complete_when_every_kind_is_preserved_or_not_applicable() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let kinds = EvidenceKind::ALL;
    evidence::attach(&db.store, &dana(), &inc.id, kinds[0], &source(&db, "run.log", b"run"), "").unwrap();
    for kind in &kinds[1..9] {
        evidence::set_status(&db.store, &dana(), &inc.id, *kind, EvidenceStatus::Preserved, "").unwrap();
    }
    let progress = evidence::progress(&db.store.connect().unwrap(), &inc).unwrap();
    assert!(!progress.complete);
    assert_eq!(progress.missing.len(), 1);
    assert!(progress.missing[0].starts_with("Alerts and chats"), "{:?}", progress.missing);
    evidence::set_status(&db.store, &dana(), &inc.id, kinds[9], EvidenceStatus::NotApplicable, "No alerts fired")
        .unwrap();
    let progress = evidence::progress(&db.store.connect().unwrap(), &inc).unwrap();
    assert!(progress.complete && progress.missing.is_empty() && progress.next.is_none());
    intact(&db);
}

#[test]
fn only_regular_files_become_evidence_and_never_past_the_limit() {
    let db = db();
    let inc = open_incident(&db, "Hostile files");
    let fifo = db.dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let entries = verify::verify(&db.store).unwrap().entries;
    for path in [
        std::path::Path::new("/dev/zero"),
        std::path::Path::new("/dev/urandom"),
        std::path::Path::new("/dev/null"),
        fifo.as_path(),
    ] {
        let err = evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::RunRecord, path, "").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{}: {err}", path.display());
    }
    let big = source(&db, "big.log", &vec![b'x'; 10_000]);
    let err =
        evidence::attach_at_most(&db.store, &dana(), &inc.id, EvidenceKind::RunRecord, &big, "", 4_096).unwrap_err();
    assert!(err.to_string().contains("--max-size"), "says how to allow more: {err}");
    assert_eq!(verify::verify(&db.store).unwrap().entries, entries, "nothing recorded");
    let stored = db.dir.path().join("evidence");
    assert!(!stored.exists() || std::fs::read_dir(&stored).unwrap().count() == 0, "nothing copied or left behind");
    // Within the limit it is kept.
    evidence::attach_at_most(&db.store, &dana(), &inc.id, EvidenceKind::RunRecord, &big, "", 10_000).unwrap();
}

#[test]
fn a_link_is_followed_and_where_it_led_is_in_the_custody_log() {
    let db = db();
    let inc = open_incident(&db, "Linked evidence");
    let real = source(&db, "run-record.json", b"{\"run\": 7}");
    let link = db.dir.path().join("latest-run.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let file = evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::RunRecord, &link, "").unwrap();
    assert_eq!(file.sha256, sha(b"{\"run\": 7}"));
    let custody = evidence::custody(&db.store, &inc.id).unwrap();
    let real = std::fs::canonicalize(&real).unwrap();
    assert!(custody[0].detail.contains(&format!("via a link to {}", real.display())), "{}", custody[0].detail);
}

#[test]
fn a_copy_abandoned_by_a_killed_attach_is_gone_after_the_next_start() {
    let db = db();
    let inc = open_incident(&db, "Killed attach");
    evidence::attach(&db.store, &dana(), &inc.id, EvidenceKind::RunRecord, &source(&db, "a.log", b"a"), "").unwrap();
    let folder = db.dir.path().join("evidence");
    let abandoned = folder.join(".incoming-99999999-0190a1b2");
    std::fs::write(&abandoned, b"half a file").unwrap();
    let live = folder.join(format!(".incoming-{}-0190a1b3", std::process::id()));
    std::fs::write(&live, b"still being copied").unwrap();
    firebreak_core::Store::open(db.store.path()).unwrap();
    assert!(!abandoned.exists(), "the dead process's copy is removed");
    assert!(live.exists(), "a copy a running process is making is left alone");
    std::fs::remove_file(live).unwrap();
    intact(&db);
}
