//! Files that could hurt: /dev/zero, /dev/urandom, /dev/null and a FIFO given as an import, evidence or a message
//! file are refused at once with one line, and nothing is imported, copied or recorded.

mod common;

use common::Cli;
use std::path::Path;

const CLI: Cli = Cli { actor: "Reviewer" };

fn entries(db: &Path) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

#[test]
fn devices_and_fifos_are_refused_at_once_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hostile.db");
    let id = CLI.ok(&db, &["incident", "new", "--title", "Hostile files"]).trim().to_string();
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let fifo = fifo.display().to_string();
    let before = entries(&db);
    for file in ["/dev/zero", "/dev/urandom", "/dev/null", fifo.as_str()] {
        for args in [
            vec!["affected", "import", &id, file],
            vec!["evidence", "attach", &id, "run_record", file],
            vec!["comms", "set", &id, "customers", "--message-file", file],
        ] {
            let err = CLI.fails(&db, &args);
            assert!(err.contains("not a regular file"), "{args:?}: {err}");
        }
    }
    assert_eq!(entries(&db), before, "nothing recorded");
    let evidence = dir.path().join("evidence");
    assert!(!evidence.exists() || std::fs::read_dir(&evidence).unwrap().count() == 0, "nothing copied");
}

#[test]
fn an_evidence_file_over_the_limit_is_refused_until_the_user_allows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("limit.db");
    let id = CLI.ok(&db, &["incident", "new", "--title", "Big trace"]).trim().to_string();
    let trace = dir.path().join("trace.jsonl");
    std::fs::write(&trace, vec![b'{'; 3 * 1024 * 1024]).unwrap();
    let trace = trace.display().to_string();
    let err = CLI.fails(&db, &["evidence", "attach", &id, "tool_call_trace", &trace, "--max-size", "1MiB"]);
    assert!(err.contains("larger than the 1 MiB") && err.contains("--max-size"), "{err}");
    CLI.ok(&db, &["evidence", "attach", &id, "tool_call_trace", &trace, "--max-size", "4MiB"]);
    let err = CLI.fails(&db, &["evidence", "attach", &id, "tool_call_trace", &trace, "--max-size", "lots"]);
    assert!(err.contains("is not a size"), "{err}");
}
