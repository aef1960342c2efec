//! `firebreak clock`: the JSON contract, bare triggers, chained stages and errors. No database is needed.

mod common;

use common::Cli;
use serde_json::json;

const CLI: Cli = Cli { actor: "Test" };

fn db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never-created").join("firebreak.db");
    (dir, db)
}

#[test]
fn json_shape_with_a_bare_trigger_and_no_database() {
    let (_dir, db) = db();
    let out = CLI.json(&db, &["clock", "gdpr-art33", "--trigger", "2026-11-20T09:00:00Z", "--tz", "Europe/Brussels"]);
    assert_eq!(
        out,
        json!({"regime": "gdpr-art33", "stages": [{
            "stage": "notification",
            "due": "2026-11-23T09:00:00Z",
            "due_date": "2026-11-23",
            "waits_for": null,
            "rule": "72 hours after awareness (2026-11-20 09:00 UTC)"
        }]})
    );
    assert!(!db.exists() && !db.parent().unwrap().exists(), "clock must not create a database");
}

#[test]
fn chained_stages_wait_then_start_from_the_submission() {
    let (_dir, db) = db();
    let args = ["clock", "nis2", "--trigger", "awareness=2026-01-28T10:00:00+01:00", "--tz", "Europe/Brussels"];
    let out = CLI.json(&db, &args);
    let stages = out["stages"].as_array().unwrap();
    let names: Vec<&str> = stages.iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(names, ["early-warning", "notification", "final-report"]);
    assert_eq!(stages[0]["due"], "2026-01-29T09:00:00Z");
    assert_eq!(stages[2]["due"], json!(null));
    assert_eq!(stages[2]["waits_for"], "notification submitted");

    let mut submitted = args.to_vec();
    submitted.extend(["--submitted", "notification=2026-01-31T10:00:00Z"]);
    let out = CLI.json(&db, &submitted);
    assert_eq!(out["stages"][2]["due"], "2026-02-28T22:59:59Z");
    assert_eq!(out["stages"][2]["due_date"], "2026-02-28");
    assert_eq!(out["stages"][2]["waits_for"], json!(null));
}

#[test]
fn variants_sec_and_text_output() {
    let (_dir, db) = db();
    let out = CLI.json(
        &db,
        &[
            "clock",
            "eu-ai-act-art73",
            "--variant",
            "death",
            "--trigger",
            "2026-03-20T10:00:00Z",
            "--tz",
            "Europe/Brussels",
        ],
    );
    assert_eq!(out["stages"][0]["due"], "2026-03-30T21:59:59Z");
    // SEC counts in New York whatever --tz says.
    let out = CLI.json(&db, &["clock", "sec-8k-105", "--trigger", "2026-11-25T15:00:00Z", "--tz", "Asia/Tokyo"]);
    assert_eq!(out["stages"][0]["due"], "2026-12-02T22:30:00Z");
    let text = CLI.ok(
        &db,
        &[
            "clock",
            "dora",
            "--trigger",
            "classification=2026-06-01T12:00:00Z",
            "--trigger",
            "awareness=2026-06-01T08:00:00Z",
            "--tz",
            "UTC",
        ],
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    // DORA's facts were seen only in secondary sources: the heading says so.
    assert!(lines[0].starts_with("dora") && lines[0].contains("UNVERIFIED"), "{text}");
    assert!(lines[1].starts_with("initial") && lines[1].contains("2026-06-01 16:00:00 UTC"), "{text}");
    assert!(lines[2].contains("waits for initial submitted"), "{text}");
    let text = CLI.ok(&db, &["clock", "gdpr-art34", "--trigger", "2026-06-01T08:00:00Z", "--tz", "UTC"]);
    assert!(text.contains("no fixed deadline") && text.contains("elapsed"), "{text}");
}

#[test]
fn errors_are_one_clear_line() {
    let (_dir, db) = db();
    let t = "2026-11-20T09:00:00Z";
    let err = CLI.fails(&db, &["clock", "gdpr", "--trigger", t]);
    assert!(err.contains("gdpr-art33"), "{err}");
    let err = CLI.fails(&db, &["clock", "eu-ai-act-art73", "--trigger", t, "--tz", "UTC"]);
    assert!(err.contains("general, widespread, death"), "{err}");
    let err = CLI.fails(&db, &["clock", "eu-ai-act-art73", "--variant", "minor", "--trigger", t, "--tz", "UTC"]);
    assert!(err.contains("minor"), "{err}");
    let err = CLI.fails(&db, &["clock", "gdpr-art33", "--trigger", &format!("detected={t}"), "--tz", "UTC"]);
    assert!(err.contains("awareness"), "{err}");
    let err = CLI.fails(&db, &["clock", "nis2", "--trigger", t, "--submitted", &format!("final={t}"), "--tz", "UTC"]);
    assert!(err.contains("final-report"), "{err}");
    let err = CLI.fails(&db, &["clock", "nis2", "--trigger", t, "--submitted", t, "--tz", "UTC"]);
    assert!(err.contains("STAGE=RFC3339"), "{err}");
    let err = CLI.fails(&db, &["clock", "gdpr-art33", "--trigger", "2026-11-20 09:00", "--tz", "UTC"]);
    assert!(err.contains("RFC 3339"), "{err}");
    let err = CLI.fails(&db, &["clock", "gdpr-art33", "--trigger", t, "--tz", "Mars/Olympus"]);
    assert!(err.contains("Mars/Olympus"), "{err}");
}

#[test]
fn a_malformed_regime_beside_the_database_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let regimes = dir.path().join("templates").join("regimes");
    std::fs::create_dir_all(&regimes).unwrap();
    std::fs::write(regimes.join("us-ny.toml"), "id = ").unwrap();
    let err = CLI.fails(&dir.path().join("firebreak.db"), &["clock", "us-ny", "--trigger", "2026-11-20T09:00:00Z"]);
    assert!(err.contains("us-ny.toml"), "{err}");
}

#[test]
fn a_leap_second_counts_as_the_second_it_ends_at() {
    let (_dir, db) = db();
    let out = CLI.json(&db, &["clock", "gdpr-art33", "--trigger", "2016-12-31T23:59:60Z"]);
    assert_eq!(out["stages"][0]["due"], "2017-01-04T00:00:00Z", "72 hours after the leap second, not a second early");
}

#[test]
fn a_year_no_deadline_could_be_written_in_is_refused() {
    let (_dir, db) = db();
    let err = CLI.fails(&db, &["clock", "gdpr-art33", "--trigger", "9999-12-31T23:00:00Z"]);
    assert!(err.contains("years up to 9000"), "{err}");
    let out = CLI.ok(&db, &["clock", "dora", "--trigger", "9000-12-31T23:00:00Z"]);
    assert!(!out.contains("+10000"), "{out}");
}
