//! The CLI contract, exercised through the built `firebreak` binary.

mod common;

use common::Cli;

const CLI: Cli = Cli { actor: "Alert Pipeline" };

use firebreak_core::incident::{self, FieldChange};
use firebreak_core::phases::guidance;
use firebreak_core::{Actor, Store};
use serde_json::{json, Value};
use std::path::PathBuf;

struct Env {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    Env { _dir: dir, db }
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn init_creates_the_database_and_prints_its_path() {
    let e = env();
    assert_eq!(CLI.ok(&e.db, &["init"]).trim(), e.db.display().to_string());
    assert!(e.db.exists());
}

#[test]
fn new_prints_the_id_or_the_whole_record() {
    let e = env();
    let id = CLI.ok(&e.db, &["incident", "new", "--title", "Invoice agent paid twice", "--detected-by", "alert"]);
    let id = id.trim();
    assert!(id.starts_with("AI-INC-") && id.ends_with("-001"), "{id}");
    let record = json_of(&CLI.ok(
        &e.db,
        &[
            "incident",
            "new",
            "--title",
            "Second",
            "--workflow",
            "Payables",
            "--detected-at",
            "2026-11-20T10:00:00Z",
            "--aware-at",
            "2026-11-20T12:30:00+01:00",
            "--business-owner",
            "Sam Ortiz",
            "--technical-owner",
            "Lee Chen",
            "--commander",
            "Dana Reyes",
            "--summary",
            "Paid twice",
            "--set",
            "severity=sev1",
            "--json",
        ],
    ));
    assert!(record["id"].as_str().unwrap().ends_with("-002"));
    assert_eq!(record["workflow"], "Payables");
    assert_eq!(record["aware_at"], "2026-11-20T11:30:00Z");
    assert_eq!(record["business_owner"], "Sam Ortiz");
    assert_eq!(record["severity"], "sev1");
    assert_eq!(record["status"], "investigating");
}

#[test]
fn list_show_set_and_history_agree() {
    let e = env();
    let id = CLI.ok(&e.db, &["incident", "new", "--title", "Refund bot"]).trim().to_string();
    let other = CLI.ok(&e.db, &["incident", "new", "--title", "Other"]).trim().to_string();
    CLI.ok(
        &e.db,
        &["incident", "set", &id, "workflow=Refunds", "data_classes=personal_data,credentials", "summary=Two lines"],
    );
    CLI.ok(
        &e.db,
        &["incident", "status", &id, "contained", "--override-reason", "Contained by the vendor before we knew"],
    );
    let shown = json_of(&CLI.ok(&e.db, &["incident", "show", &id.to_lowercase(), "--json"]));
    assert_eq!(shown["status"], "contained");
    assert_eq!(shown["workflow"], "Refunds");
    assert_eq!(shown["data_classes"], json!(["personal_data", "credentials"]));

    let listed = json_of(&CLI.ok(&e.db, &["incident", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let contained = json_of(&CLI.ok(&e.db, &["incident", "list", "--status", "contained", "--json"]));
    assert_eq!(contained.as_array().unwrap().iter().map(|i| i["id"].clone()).collect::<Vec<_>>(), vec![json!(id)]);
    assert!(CLI.ok(&e.db, &["incident", "list"]).contains(&other));

    let history = json_of(&CLI.ok(&e.db, &["incident", "history", &id, "--json"]));
    let status = history.as_array().unwrap().iter().rev().find(|h| h["field"] == "status").unwrap();
    assert_eq!(status["actor"], "Alert Pipeline");
    assert_eq!(status["old_value"], "\"investigating\"");
    assert_eq!(status["new_value"], "\"contained\"");
    assert!(status["reason"].as_str().unwrap().contains("Contained by the vendor"));
    assert!(CLI.ok(&e.db, &["incident", "history", &id]).contains("status: investigating → contained"));
}

#[test]
fn bad_input_gets_one_clear_line_and_writes_nothing() {
    let e = env();
    let id = CLI.ok(&e.db, &["incident", "new", "--title", "Valid"]).trim().to_string();
    let before = CLI.ok(&e.db, &["incident", "history", &id, "--json"]);
    assert!(CLI.fails(&e.db, &["incident", "new", "--title", "  "]).contains("Title is required"));
    assert!(CLI.fails(&e.db, &["incident", "new", "--title", "x", "--detected-at", "2026-13-45"]).contains("RFC 3339"));
    assert!(CLI
        .fails(&e.db, &["incident", "new", "--title", "x", "--detected-at", "2999-01-01T00:00:00Z"])
        .contains("future"));
    assert!(CLI
        .fails(&e.db, &["incident", "new", "--title", "x", "--detected-by", "psychic"])
        .contains("not one of the choices"));
    assert!(CLI.fails(&e.db, &["incident", "set", &id, "colour=red"]).contains("Unknown field \"colour\""));
    assert!(CLI.fails(&e.db, &["incident", "set", &id, "status"]).contains("FIELD=VALUE"));
    // One bad assignment among good ones changes nothing at all.
    CLI.fails(&e.db, &["incident", "set", &id, "summary=fine", "status=done"]);
    CLI.fails(&e.db, &["incident", "set", &id, "summary=fine", "severity=sev9"]);
    assert!(CLI.fails(&e.db, &["incident", "show", "AI-INC-1999-0101-001"]).contains("No incident"));
    assert!(CLI.fails(&e.db, &["incident", "list", "--status", "done"]).contains("not a status"));
    assert_eq!(CLI.ok(&e.db, &["incident", "history", &id, "--json"]), before);
    assert_eq!(json_of(&CLI.ok(&e.db, &["incident", "list", "--json"])).as_array().unwrap().len(), 1);
}

#[test]
fn early_awareness_needs_the_confirmation_flag() {
    let e = env();
    let args = [
        "incident",
        "new",
        "--title",
        "x",
        "--detected-at",
        "2026-11-20T10:00:00Z",
        "--aware-at",
        "2026-11-20T08:00:00Z",
    ];
    assert!(CLI.fails(&e.db, &args).contains("--confirm-early-awareness"));
    let mut confirmed = args.to_vec();
    confirmed.push("--confirm-early-awareness");
    CLI.ok(&e.db, &confirmed);
}

#[test]
fn verify_exits_zero_when_intact_and_one_naming_the_problem_when_not() {
    let e = env();
    let id = CLI.ok(&e.db, &["incident", "new", "--title", "Audited"]).trim().to_string();
    assert!(CLI.ok(&e.db, &["audit", "verify"]).contains("Record intact"));
    assert_eq!(json_of(&CLI.ok(&e.db, &["audit", "verify", "--json"]))["intact"], true);

    rusqlite::Connection::open(&e.db).unwrap().execute("UPDATE incidents SET title = 'Rewritten'", []).unwrap();
    let out = CLI.run(&e.db, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&id) && err.contains("\"title\"") && err.contains("Rewritten"), "{err}");
    let out = CLI.run(&e.db, &["audit", "verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json_of(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(report["problems"][0]["field"], "title");
}

#[test]
fn a_damaged_database_is_named_and_not_overwritten() {
    let e = env();
    std::fs::write(&e.db, vec![0x42u8; 8192]).unwrap();
    let err = CLI.fails(&e.db, &["incident", "list"]);
    assert!(err.contains(&e.db.display().to_string()) && err.contains("damaged"), "{err}");
    assert_eq!(std::fs::read(&e.db).unwrap(), vec![0x42u8; 8192]);
}

#[test]
fn the_cli_and_the_app_writing_at_once_lose_no_edit() {
    let e = env();
    let id = CLI.ok(&e.db, &["incident", "new", "--title", "Shared"]).trim().to_string();
    let store = Store::open(&e.db).unwrap();
    // The "app" edits one field in-process while CLI processes edit another.
    let app = {
        let (store, id) = (store.clone(), id.clone());
        std::thread::spawn(move || {
            let actor = Actor::new("Desktop User", Some("Business owner".into()));
            for n in 0..20 {
                guidance::update_incident(
                    &store,
                    &actor,
                    &id,
                    &[FieldChange::new("summary", json!(format!("app {n}")))],
                    false,
                )
                .unwrap();
            }
        })
    };
    for n in 0..10 {
        CLI.ok(&e.db, &["incident", "set", &id, &format!("customer_impact=cli {n}")]);
    }
    app.join().unwrap();
    let after = incident::get(&store, &id).unwrap();
    assert_eq!(after.fields.summary, "app 19");
    assert_eq!(after.fields.customer_impact, "cli 9");
    let history = incident::history(&store, &id).unwrap();
    assert_eq!(history.iter().filter(|h| h.field == "summary").count(), 20);
    assert_eq!(history.iter().filter(|h| h.field == "customer_impact").count(), 10);
    assert!(CLI.ok(&e.db, &["audit", "verify"]).contains("Record intact"));
}

#[test]
fn a_status_change_the_record_does_not_support_is_refused_with_the_missing_items() {
    let e = env();
    let id = CLI.ok(&e.db, &["incident", "new", "--title", "Gated"]).trim().to_string();
    let out = CLI.run(&e.db, &["incident", "status", &id, "contained"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot move to Contained"), "{err}");
    assert!(err.lines().any(|l| l.starts_with("  - Severity:")), "{err}");
    assert_eq!(json_of(&CLI.ok(&e.db, &["incident", "show", &id, "--json"]))["status"], "investigating");

    let gates = json_of(&CLI.ok(&e.db, &["gates", &id, "--json"]));
    let severity = gates["phases"].as_array().unwrap().iter().find(|p| p["phase"] == "severity").unwrap();
    assert_eq!(severity["complete"], false);
    assert!(!severity["missing"].as_array().unwrap().is_empty());
    assert!(CLI.ok(&e.db, &["gates", &id]).contains("Next:"));

    CLI.ok(&e.db, &["severity", "assess", &id, "--answer", "single_failed_run=yes", "--answer", "still_running=no"]);
    CLI.ok(&e.db, &["incident", "status", &id, "contained"]);
    assert_eq!(json_of(&CLI.ok(&e.db, &["incident", "show", &id, "--json"]))["status"], "contained");
}

#[test]
fn a_mistyped_db_is_an_error_naming_it_and_creates_nothing() {
    let e = env();
    CLI.ok(&e.db, &["incident", "new", "--title", "In the real register"]);
    let typo = e._dir.path().join("fierbreak").join("cli.db");
    let out = CLI.raw(&typo, &["incident", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&typo.display().to_string()) && err.contains("firebreak init"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!typo.parent().unwrap().exists(), "no folder or database was created");
    // init is the one command that creates it.
    assert_eq!(CLI.raw(&typo, &["init"]).status.code(), Some(0));
    assert!(typo.exists());
}

#[test]
fn a_read_only_copy_is_read_verified_and_checked_but_never_changed() {
    use std::os::unix::fs::PermissionsExt;
    let e = env();
    let id = CLI.ok(&e.db, &["incident", "new", "--title", "Handed to the reviewer"]).trim().to_string();
    let report = e._dir.path().join("summary.pdf");
    CLI.ok(&e.db, &["report", &id, "--kind", "summary", "--out", &report.display().to_string()]);
    rusqlite::Connection::open(&e.db).unwrap().query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    let media = tempfile::tempdir().unwrap();
    let copy = media.path().join("copy.db");
    std::fs::copy(&e.db, &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(media.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = std::fs::read(&copy).unwrap();

    for args in [
        vec!["audit", "verify"],
        vec!["incident", "list"],
        vec!["incident", "show", &id],
        vec!["incident", "history", &id],
        vec!["gates", &id],
        vec!["deadlines", &id],
    ] {
        let out = CLI.raw(&copy, &args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("read-only copy"), "{args:?} says so");
    }
    let check = CLI.raw(&copy, &["report", "check", &report.display().to_string()]);
    assert_eq!(check.status.code(), Some(0), "the document is known to the copy too");
    let refused = CLI.raw(&copy, &["incident", "set", &id, "workflow=Refunds"]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("read-only copy") && err.contains("nothing was"), "{err}");
    assert_eq!(std::fs::read(&copy).unwrap(), before, "the copy is unchanged");
    std::fs::set_permissions(media.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn commands_are_named_for_their_phase_and_the_earlier_names_still_work() {
    let e = env();
    CLI.ok(&e.db, &["init"]);
    let id =
        CLI.ok(&e.db, &["incident", "new", "--title", "Refund bot emailed wrong amounts", "--detected-by", "alert"]);
    let id = id.trim();
    for (name, earlier, args) in [
        ("notification", "notify", vec!["questions"]),
        ("communication", "comms", vec!["list", id]),
        ("containment", "contain", vec!["list", id]),
        ("side-effect-questions", "audit-questions", vec!["list", id]),
    ] {
        let by_name: Vec<&str> = [name].into_iter().chain(args.iter().copied()).collect();
        let by_earlier: Vec<&str> = [earlier].into_iter().chain(args.iter().copied()).collect();
        let shown = CLI.ok(&e.db, &by_name);
        assert!(!shown.trim().is_empty(), "`firebreak {}` printed nothing", by_name.join(" "));
        assert_eq!(CLI.ok(&e.db, &by_earlier), shown, "`{earlier}` is not the same command as `{name}`");
    }
    let help = CLI.ok(&e.db, &["--help"]);
    for name in ["notification", "communication", "containment", "side-effect-questions"] {
        assert!(help.contains(name), "--help does not list {name}:\n{help}");
    }
}
