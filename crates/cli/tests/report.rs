//! `firebreak report` from a script: every document kind, the JSON contract, `report check` on a known, an altered
//! and a foreign file, and every refusal (one clear line, no file left behind, nothing in the audit trail).

mod common;

use chrono::{Duration, SecondsFormat, Utc};
use common::{Cli, Env, Scratch};
use std::path::Path;
use std::process::Command;

const CLI: Cli = Cli { actor: "Dana Reyes" };
const LEGAL: &str = "Lena Vogel";

fn ago(hours: i64) -> String {
    (Utc::now() - Duration::hours(hours)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An incident with personal data and a submitted GDPR notification.
fn env() -> Env {
    let scratch = Scratch::new("report.db");
    let db = scratch.db.clone();
    CLI.ok(&db, &["people", "add", "--name", LEGAL, "--role", "Legal"]);
    CLI.ok(
        &db,
        &["people", "add", "--name", "Zoë Łukasiewicz-Øster", "--role", "Business owner", "--email", "zoe@example.com"],
    );
    let id = CLI
        .ok(
            &db,
            &[
                "incident",
                "new",
                "--title",
                "Ελένη's agent emailed <b>wrong</b> refunds",
                "--commander",
                "Dana Reyes",
                "--business-owner",
                "Zoë Łukasiewicz-Øster",
                "--detected-at",
                &ago(30),
                "--aware-at",
                &ago(29),
                "--set",
                "data_classes=personal_data",
            ],
        )
        .trim()
        .to_string();
    for (q, a) in [("personal_data", "yes"), ("risk", "yes"), ("high_risk", "no"), ("locations", "eu_eea")] {
        CLI.ok(&db, &["notify", "answer", &id, q, a]);
    }
    for q in ["nis2", "dora", "ai_act", "sec", "hipaa", "nydfs", "certin"] {
        CLI.ok(&db, &["notify", "answer", &id, q, "no"]);
    }
    CLI.ok(&db, &["notify", "decide", &id, "gdpr-art33", "applies", "--by", LEGAL]);
    CLI.ok(&db, &["notify", "trigger", &id, "gdpr-art33", "awareness", "--at", &ago(29), "--by", LEGAL]);
    CLI.ok(&db, &["notify", "draft", &id, "gdpr-art33"]);
    let a = "affected.csv";
    std::fs::write(
        scratch.file(a),
        "system,object_type,object_id,action\nERP,invoice,INV-1,changed\nMail,email,M-7,sent\n",
    )
    .unwrap();
    CLI.ok(&db, &["affected", "import", &id, &scratch.path(a)]);
    Env { scratch, id }
}

fn audit_entries(db: &Path) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

fn text(pdf: &Path) -> String {
    let out = Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_kind_is_written_and_described_in_json() {
    let e = env();
    for kind in ["full", "summary", "postmortem"] {
        let out = e.path(&format!("{kind}.pdf"));
        let g = CLI.json(&e.db, &["report", &e.id, "--kind", kind, "--out", &out]);
        assert_eq!(g["path"], out.as_str());
        assert_eq!(g["kind"], kind);
        assert_eq!(g["incident"], e.id.as_str());
        assert!(g["pages"].as_u64().unwrap() >= 1);
        assert_eq!(g["sha256"].as_str().unwrap().len(), 64);
        assert!(text(Path::new(&out)).contains("Ελένη's agent emailed <b>wrong</b> refunds"), "{kind}");
    }
    let g = CLI.json(&e.db, &["report", &e.id, "--kind", "summary", "--out", &e.path("s.pdf")]);
    assert_eq!(g["pages"], 1);

    let out = e.path("gdpr.pdf");
    let g = CLI.json(
        &e.db,
        &[
            "report",
            &e.id,
            "--kind",
            "notification",
            "--regime",
            "gdpr-art33",
            "--stage",
            "notification",
            "--classification",
            "privileged",
            "--out",
            &out,
        ],
    );
    assert_eq!(g["kind"], "notification");
    let t = text(Path::new(&out));
    assert!(t.contains("Privileged & Confidential") && t.contains("DRAFT") || t.contains("Draft."), "{t}");

    let today = Utc::now().date_naive();
    let out = e.path("register.pdf");
    let g = CLI.json(
        &e.db,
        &[
            "report",
            "register",
            "--from",
            &(today - Duration::days(3)).to_string(),
            "--to",
            &today.to_string(),
            "--out",
            &out,
        ],
    );
    assert_eq!((g["kind"].as_str(), g["incident"].is_null()), (Some("register"), true));
    assert!(text(Path::new(&out)).contains(&e.id));

    let out = e.path("external.pdf");
    CLI.ok(&e.db, &["report", &e.id, "--kind", "full", "--external", "--out", &out]);
    let t = text(Path::new(&out));
    assert!(t.contains("External copy") && !t.contains("Zoë Łukasiewicz-Øster") && !t.contains("INV-1"));

    // Text output: one line naming what was written, one with the hash.
    let plain = CLI.ok(&e.db, &["report", &e.id, "--kind", "full", "--out", &e.path("plain.pdf")]);
    assert!(plain.starts_with(&format!("{}: Full incident report, ", e.id)), "{plain}");
    assert!(plain.lines().nth(1).unwrap().starts_with("SHA-256 "));
}

#[test]
fn report_check_knows_its_own_files_exactly() {
    let e = env();
    let out = e.path("full.pdf");
    CLI.ok(&e.db, &["report", &e.id, "--kind", "full", "--out", &out]);
    let known = CLI.json(&e.db, &["report", "check", &out]);
    assert_eq!(known["known"], true);
    assert_eq!(known["incident_id"], e.id.as_str());
    assert_eq!(known["document"]["generated_by"], "Dana Reyes");
    assert_eq!(known["entries_since"], 0);
    let line = CLI.ok(&e.db, &["report", "check", &out]);
    assert!(line.starts_with("Known: Full incident report"), "{line}");

    CLI.ok(&e.db, &["incident", "set", &e.id, "vendor_impact=One vendor"]);
    let changed = CLI.json(&e.db, &["report", "check", &out]);
    assert_eq!(changed["entries_since"], 1);

    let mut bytes = std::fs::read(&out).unwrap();
    let n = bytes.len() - 100;
    bytes[n] ^= 0x20;
    let altered = e.path("altered.pdf");
    std::fs::write(&altered, bytes).unwrap();
    let out_altered = CLI.run(&e.db, &["report", "check", &altered]);
    assert_eq!(out_altered.status.code(), Some(1), "unknown exits 1");
    assert!(String::from_utf8_lossy(&out_altered.stdout).starts_with("Unknown:"));

    let foreign = e.dir.path().join("other.db");
    CLI.ok(&foreign, &["init"]);
    assert_eq!(CLI.run(&foreign, &["report", "check", &out]).status.code(), Some(1));
    let msg = CLI.fails(&e.db, &["report", "check", "/dev/zero"]);
    assert!(msg.contains("not a regular file"), "{msg}");
    assert_eq!(CLI.run(&e.db, &["report", "check", "/dev/zero"]).status.code(), Some(2), "unreadable is not unknown");
}

#[test]
fn what_the_terminal_shows_cannot_be_spoofed() {
    let e = env();
    let sneaky = Cli { actor: "Eve\u{1b}[2J\u{1b}[31m\nStatus closed" };
    let out = e.path("sneaky.pdf");
    sneaky.ok(&e.db, &["report", &e.id, "--kind", "summary", "--out", &out]);
    let line = CLI.ok(&e.db, &["report", "check", &out]);
    assert!(!line.contains('\u{1b}') && line.contains("\\x1B[2J"), "{line:?}");
    assert_eq!(line.trim_end().lines().count(), 1, "one line, the newline shown: {line:?}");
    let json = CLI.json(&e.db, &["report", "check", &out]);
    assert_eq!(json["document"]["generated_by"], "Eve\u{1b}[2J\u{1b}[31m\nStatus closed", "JSON keeps the exact value");
}

#[test]
fn refusals_are_one_line_and_leave_nothing_behind() {
    let e = env();
    let before = audit_entries(&e.db);
    let out = e.path("refused.pdf");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["report".into(), e.id.clone(), "--kind".into(), "poster".into(), "--out".into(), out.clone()],
            "is not a document kind",
        ),
        (
            vec!["report".into(), e.id.clone(), "--kind".into(), "notification".into(), "--out".into(), out.clone()],
            "regime and stage",
        ),
        (
            vec![
                "report".into(),
                e.id.clone(),
                "--kind".into(),
                "notification".into(),
                "--regime".into(),
                "nis2".into(),
                "--stage".into(),
                "early-warning".into(),
                "--out".into(),
                out.clone(),
            ],
            "does not apply",
        ),
        (
            vec![
                "report".into(),
                "AI-INC-2020-0101-001".into(),
                "--kind".into(),
                "full".into(),
                "--out".into(),
                out.clone(),
            ],
            "No incident",
        ),
        (
            vec![
                "report".into(),
                e.id.clone(),
                "--kind".into(),
                "full".into(),
                "--classification".into(),
                "secret".into(),
                "--out".into(),
                out.clone(),
            ],
            "is not a classification",
        ),
        (
            vec![
                "report".into(),
                e.id.clone(),
                "--kind".into(),
                "full".into(),
                "--out".into(),
                e.path("missing/folder/r.pdf"),
            ],
            "Cannot write",
        ),
        (
            vec![
                "report".into(),
                "register".into(),
                "--from".into(),
                "2026-13-01".into(),
                "--to".into(),
                "2026-12-31".into(),
                "--out".into(),
                out.clone(),
            ],
            "is not a date",
        ),
    ];
    for (args, says) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = CLI.fails(&e.db, &args);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!Path::new(&out).exists(), "{args:?} left a file");
    }
    // A folder nobody may create files in, root included.
    let err = CLI.fails(&e.db, &["report", &e.id, "--kind", "full", "--out", "/proc/firebreak-report.pdf"]);
    assert!(err.contains("Cannot write /proc/firebreak-report.pdf"), "{err}");
    assert_eq!(audit_entries(&e.db), before, "no refusal wrote to the audit trail");
    let leftovers: Vec<_> = std::fs::read_dir(e.dir.path())
        .unwrap()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}
