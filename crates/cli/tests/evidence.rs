//! The evidence, affected-object and audit-question commands, through the built `firebreak` binary.

mod common;

use common::Cli;

const CLI: Cli = Cli { actor: "Dana Reyes" };

use serde_json::Value;
use std::path::PathBuf;

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db").join("cli.db");
    Env { dir, db }
}

fn incident(e: &Env) -> String {
    CLI.ok(&e.db, &["incident", "new", "--title", "Refund bot emailed every customer"]).trim().to_string()
}

fn write(e: &Env, name: &str, content: &str) -> String {
    let path = e.dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

fn intact(e: &Env) {
    CLI.ok(&e.db, &["audit", "verify"]);
}

#[test]
fn evidence_is_attached_listed_exported_and_its_custody_shown() {
    let e = env();
    let id = incident(&e);
    let log = write(&e, "run-42.log", "run 42 transcript");
    let attached = CLI.json(&e.db, &["evidence", "attach", &id, "run_record", &log, "--note", "from the runner"]);
    let file_id = attached["id"].as_str().unwrap().to_string();
    assert_eq!(attached["original_name"], "run-42.log");
    assert_eq!(attached["size"], 17);
    assert_eq!(attached["collected_by"], "Dana Reyes");

    let text = CLI.ok(&e.db, &["evidence", "attach", &id, "model_version", &log]);
    assert!(text.starts_with("Attached run-42.log (17 bytes, sha256 "), "{text}");

    let err = CLI.fails(&e.db, &["evidence", "status", &id, "connector_logs", "not_applicable"]);
    assert!(err.contains("not applicable"), "{err}");
    CLI.ok(&e.db, &["evidence", "status", &id, "connector_logs", "not_applicable", "--reason", "No connectors"]);
    let err = CLI.fails(&e.db, &["evidence", "status", &id, "chat_logs", "preserved"]);
    assert!(err.contains("is not an evidence kind"), "{err}");

    let list = CLI.json(&e.db, &["evidence", "list", &id]);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 10);
    assert_eq!(items[0]["status"], "preserved");
    assert_eq!(items[7]["status"], "not_applicable");
    assert_eq!(items[7]["reason"], "No connectors");
    assert_eq!(list["files"].as_array().unwrap().len(), 2);

    let dest = e.dir.path().join("handover.log");
    let dest_text = dest.display().to_string();
    assert_eq!(CLI.ok(&e.db, &["evidence", "export", &id, &file_id, &dest_text]).trim(), dest_text);
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), "run 42 transcript");
    let err = CLI.fails(&e.db, &["evidence", "export", &id, &file_id, &dest_text]);
    assert!(err.contains("already exists"), "{err}");

    let custody = CLI.json(&e.db, &["evidence", "custody", &id]);
    let actions: Vec<&str> = custody.as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["attached", "attached", "exported"]);
    assert_eq!(custody[2]["detail"], dest_text.as_str());
    intact(&e);
}

#[test]
fn reverify_exits_1_naming_a_changed_or_missing_file() {
    let e = env();
    let id = incident(&e);
    let a = write(&e, "model.txt", "model v1");
    let b = write(&e, "chat.txt", "thread");
    let first = CLI.json(&e.db, &["evidence", "attach", &id, "model_version", &a]);
    let second = CLI.json(&e.db, &["evidence", "attach", &id, "alerts_and_chats", &b]);
    let text = CLI.ok(&e.db, &["evidence", "reverify", &id]);
    assert!(text.contains("All 2 evidence file(s) match"), "{text}");

    let stored = e.db.parent().unwrap().join("evidence");
    std::fs::remove_file(stored.join(first["sha256"].as_str().unwrap())).unwrap();
    let err = CLI.fails(&e.db, &["evidence", "reverify", &id]);
    assert!(err.contains("model.txt") && err.contains("missing") && !err.contains("chat.txt"), "{err}");

    let out = CLI.run(&e.db, &["evidence", "reverify", &id, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let checks: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(checks[0]["status"], "missing");
    assert_eq!(checks[1]["status"], "unchanged");
    assert_eq!(checks[1]["file"]["id"], second["id"]);
    intact(&e);
}

#[test]
fn affected_objects_are_imported_listed_and_recovered() {
    let e = env();
    let id = incident(&e);
    let csv = write(
        &e,
        "objects.csv",
        "system,object_type,object_id,action,occurred_at\n\
         Gmail,email,msg-1,sent,2026-03-01T10:00:00Z\n\
         Gmail,email,msg-2,sent,2026-03-01T10:01:00Z\n\
         ERP,invoice,INV-7,changed,\n",
    );
    assert_eq!(CLI.ok(&e.db, &["affected", "import", &id, &csv]).trim(), "Imported 3 affected objects");

    let added = CLI.ok(
        &e.db,
        &[
            "affected",
            "add",
            &id,
            "--system",
            "CRM",
            "--type",
            "contact",
            "--object-id",
            "C-9",
            "--action",
            "deleted",
            "--at",
            "2026-03-01T09:00:00Z",
            "--evidence",
            "run-7",
        ],
    );
    assert!(added.starts_with("Added CRM contact C-9"), "{added}");

    let rows = CLI.json(&e.db, &["affected", "list", &id]);
    assert_eq!(rows.as_array().unwrap().len(), 4, "the whole list, not a page");
    let gmail =
        CLI.json(&e.db, &["affected", "list", &id, "--system", "Gmail", "--action", "sent", "--status", "open"]);
    assert_eq!(gmail.as_array().unwrap().len(), 2);
    let err = CLI.fails(&e.db, &["affected", "list", &id, "--action", "edited"]);
    assert!(err.contains("action \"edited\" is not one of"), "{err}");

    let err = CLI.fails(&e.db, &["affected", "set", &id, "INV-7", "status=recovered"]);
    assert!(err.contains("recovery action"), "{err}");
    let set = CLI.json(
        &e.db,
        &[
            "affected",
            "set",
            &id,
            "INV-7",
            "recovery_action=roll_back",
            "recovery_owner=Priya",
            "status=recovered",
            "--verified",
        ],
    );
    assert_eq!(set["recovery_action"], "roll_back");
    assert_eq!(set["verified_by"], "Dana Reyes");
    let err = CLI.fails(&e.db, &["affected", "set", &id, "INV-7", "colour=red"]);
    assert!(err.contains("cannot be set"), "{err}");

    let logged = CLI.json(&e.db, &["affected", "log", &id, "INV-7", "--note", "Rolled back to v3"]);
    assert_eq!(logged["note"], "Rolled back to v3");
    let err = CLI.fails(&e.db, &["affected", "log", &id, "INV-7", "--note", " "]);
    assert!(err.contains("Say what was done"), "{err}");
    intact(&e);
}

#[test]
fn a_bad_import_exits_1_with_the_line_and_adds_nothing() {
    let e = env();
    let id = incident(&e);
    let csv =
        write(&e, "bad.csv", "system,object_type,object_id,action\nGmail,email,msg-1,sent\nGmail,email,msg-2,edited\n");
    let err = CLI.fails(&e.db, &["affected", "import", &id, &csv]);
    assert!(err.contains("line 3: action \"edited\" is not one of: read, created"), "{err}");
    assert_eq!(CLI.json(&e.db, &["affected", "list", &id]), Value::Array(vec![]));

    let err = CLI.fails(&e.db, &["affected", "import", &id, &e.dir.path().join("none.csv").display().to_string()]);
    assert!(err.contains("none.csv"), "{err}");

    let tsv = write(&e, "paste.tsv", "system\tobject_type\tobject_id\taction\nHR\temployee\tE-1\tread\n");
    assert_eq!(CLI.ok(&e.db, &["affected", "import", &id, &tsv]).trim(), "Imported 1 affected objects");
    intact(&e);
}

#[test]
fn audit_questions_are_answered_and_listed() {
    let e = env();
    let id = incident(&e);
    CLI.ok(&e.db, &["audit-questions", "answer", &id, "trigger", "The nightly schedule"]);
    let err = CLI.fails(&e.db, &["audit-questions", "answer", &id, "mood", "fine"]);
    assert!(err.contains("question \"mood\" is not one of: trigger"), "{err}");
    let list = CLI.json(&e.db, &["audit-questions", "list", &id]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 11);
    assert_eq!(list[0]["question"], "trigger");
    assert_eq!(list[0]["answer"], "The nightly schedule");
    assert_eq!(list[1]["answer"], "");
    intact(&e);
}
