//! Regulatory notification from a script, without the app: the questions, decisions, triggers, deadlines, a draft
//! through approval to submission, the follow-up clock, the breach register and the calendar export.

mod common;

use chrono::{Duration, SecondsFormat, Utc};
use common::{Cli, Env, Scratch};
use serde_json::Value;
use std::path::Path;

const CLI: Cli = Cli { actor: "Dana Reyes" };
const LEGAL: &str = "Lena Vogel";

fn env() -> Env {
    let scratch = Scratch::new("notify.db");
    let db = scratch.db.clone();
    let id = CLI
        .ok(
            &db,
            &[
                "incident",
                "new",
                "--title",
                "Support agent exported customer records to a public bucket",
                "--summary",
                "The agent copied 1,200 customer profiles to a public bucket.",
                "--commander",
                "Dana Reyes",
                "--set",
                "data_classes=personal_data",
                "--set",
                "customer_impact=Names and emails of 1,200 customers",
            ],
        )
        .trim()
        .to_string();
    CLI.ok(&db, &["people", "add", "--name", LEGAL, "--role", "Legal"]);
    Env { scratch, id }
}

fn ago(hours: i64) -> String {
    (Utc::now() - Duration::hours(hours)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn audit_entries(db: &Path) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0)).unwrap()
}

fn regime<'a>(deadlines: &'a Value, id: &str) -> Option<&'a Value> {
    deadlines["regimes"].as_array().unwrap().iter().find(|r| r["regime"] == id)
}

fn stage<'a>(deadlines: &'a Value, regime_id: &str, name: &str) -> &'a Value {
    let r = regime(deadlines, regime_id).unwrap_or_else(|| panic!("{regime_id} in {deadlines}"));
    r["stages"].as_array().unwrap().iter().find(|s| s["stage"] == name).unwrap()
}

#[test]
fn a_script_goes_from_the_questions_to_a_submission_and_the_follow_up_clock() {
    let e = env();
    let (db, id) = (&e.db, e.id.as_str());
    for (q, a) in [("personal_data", "yes"), ("locations", "eu_eea"), ("risk", "yes"), ("high_risk", "no")] {
        CLI.ok(db, &["notify", "answer", id, q, a]);
    }
    let answers = CLI.json(db, &["notify", "answer", id, "nis2", "yes"]);
    assert_eq!((answers["nis2"].as_str(), answers["locations"][0].as_str()), (Some("yes"), Some("eu_eea")));
    assert_eq!(CLI.json(db, &["notify", "questions"]).as_array().unwrap().len(), 11);

    let regimes = CLI.json(db, &["notify", "regimes", id]);
    let find = |key: &str| regimes.as_array().unwrap().iter().find(|r| r["regime"] == key).unwrap().clone();
    assert_eq!(find("nis2")["suggested"], true);
    assert_eq!(find("gdpr-art33")["suggested"], true);
    assert!(find("gdpr-art33")["reasons"].as_array().unwrap().iter().any(|r| r == "People in EU / EEA: yes"));
    assert_eq!(find("dora")["suggested"], false);
    let text = CLI.ok(db, &["notify", "regimes", id]);
    assert!(text.contains("why: NIS2 entity with a significant incident: yes"), "{text}");

    let why_not = "Names and emails only, encrypted at rest; the bucket link was never shared";
    CLI.ok(db, &["notify", "decide", id, "gdpr-art33", "not_applicable", "--by", LEGAL, "--reason", why_not]);
    let said = CLI.ok(db, &["notify", "decide", id, "nis2", "applies", "--by", LEGAL]);
    assert!(said.starts_with("NIS2 Art. 23 applies to"), "{said}");
    CLI.ok(db, &["notify", "zone", id, "nis2", "--tz", "Europe/Berlin"]);
    let zone = CLI.json(db, &["notify", "zone", id, "nis2", "--calendar", "eu_de"]);
    assert_eq!((zone["zone"].as_str(), zone["calendar"].as_str()), (Some("Europe/Berlin"), Some("eu_de")));

    let aware = ago(3);
    let t = CLI.json(db, &["notify", "trigger", id, "nis2", "awareness", "--at", &aware, "--by", LEGAL]);
    assert_eq!(t["decided_by"], LEGAL);

    let d = CLI.json(db, &["deadlines", id]);
    assert!(regime(&d, "gdpr-art33").is_none(), "a regime decided not to apply has no clock");
    assert_eq!(regime(&d, "nis2").unwrap()["confirmed"], true);
    assert_eq!(regime(&d, "nis2").unwrap()["zone"], "Europe/Berlin");
    let early = stage(&d, "nis2", "early-warning");
    let aware_at = chrono::DateTime::parse_from_rfc3339(&aware).unwrap().to_utc();
    assert_eq!(early["due"], (aware_at + Duration::hours(24)).to_rfc3339_opts(SecondsFormat::Secs, true));
    assert_eq!(early["state"], "due_24h");
    assert!(early["due_authority"].as_str().unwrap().ends_with("(Europe/Berlin)"), "{early}");
    assert!(early["due_user"].is_string());
    let keys: Vec<&str> = early["content"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["malicious", "cross_border", "contact"], "what `notify set` can fill in");
    let final_report = stage(&d, "nis2", "final-report");
    assert_eq!((final_report["state"].as_str(), final_report["due"].as_null()), (Some("waiting"), Some(())));
    assert_eq!(final_report["waits_for"], "notification submitted");
    let text = CLI.ok(db, &["deadlines", id]);
    assert!(text.contains("early-warning") && text.contains("waits for notification submitted"), "{text}");

    // Draft: the first stage not submitted yet, written to a file, with what is still missing.
    let out = e.file("early-warning.md");
    let said = CLI.ok(db, &["notify", "draft", id, "nis2", "--out", out.to_str().unwrap()]);
    assert!(said.contains("early-warning") && said.contains("Missing: malicious"), "{said}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("Early warning of a significant incident") && text.contains(id), "{text}");

    let before = audit_entries(db);
    let err = CLI.fails(db, &["notify", "submit", id, "nis2", "--stage", "early-warning", "--at", &ago(0)]);
    assert!(err.contains("is not approved"), "{err}");
    assert_eq!(audit_entries(db), before, "a refused submission writes nothing");
    let err = CLI.fails(db, &["notify", "approve", id, "nis2", "--stage", "early-warning", "--by", LEGAL]);
    assert!(err.contains("cannot be approved yet"), "{err}");

    CLI.ok(
        db,
        &[
            "notify",
            "set",
            id,
            "nis2",
            "--stage",
            "early-warning",
            "malicious=Not suspected",
            "cross_border=Unlikely: customers in Germany only",
        ],
    );
    CLI.ok(db, &["notify", "approve", id, "nis2", "--stage", "early-warning", "--by", LEGAL]);
    let sent = CLI.json(
        db,
        &[
            "notify",
            "submit",
            id,
            "nis2",
            "--stage",
            "early-warning",
            "--at",
            &ago(0),
            "--reference",
            "CSIRT-2026-17",
            "--channel",
            "BSI portal",
        ],
    );
    assert_eq!((sent["status"].as_str(), sent["reference"].as_str()), (Some("submitted"), Some("CSIRT-2026-17")));
    assert_eq!(sent["channel"], "BSI portal");
    assert_eq!(sent["text_hash"].as_str().unwrap().len(), 64);

    // A legal override stands beside the computed time.
    let extended = (Utc::now() + Duration::days(4)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let why = "The CSIRT agreed an extension, ref. 2026-118";
    CLI.ok(
        db,
        &[
            "notify",
            "override",
            id,
            "nis2",
            "--stage",
            "notification",
            "--due",
            &extended,
            "--reason",
            why,
            "--by",
            LEGAL,
        ],
    );
    let d = CLI.json(db, &["deadlines", id]);
    let notification = stage(&d, "nis2", "notification");
    assert_eq!(notification["due"], extended);
    assert_eq!(notification["due_override"]["reason"], why);
    assert_ne!(notification["computed_due"], notification["due"]);
    assert_eq!(stage(&d, "nis2", "early-warning")["state"], "submitted_on_time");

    // The default stage is now the notification; printed rather than written.
    let text = CLI.ok(db, &["notify", "draft", id, "nis2"]);
    assert!(text.starts_with("Incident notification of a significant incident"), "{text}");
    CLI.ok(
        db,
        &[
            "notify",
            "set",
            id,
            "nis2",
            "--stage",
            "notification",
            "update=Bucket closed; no further access",
            "severity_impact=High: customer data exposed",
        ],
    );
    CLI.ok(db, &["notify", "approve", id, "nis2", "--stage", "notification", "--by", LEGAL]);
    let said = CLI.ok(
        db,
        &["notify", "submit", id, "nis2", "--stage", "notification", "--at", &ago(0), "--reference", "CSIRT-2026-18"],
    );
    assert!(said.contains("Next: final-report due"), "the chained clock started: {said}");
    let d = CLI.json(db, &["deadlines", id]);
    let final_report = stage(&d, "nis2", "final-report");
    assert_eq!(final_report["state"], "upcoming");
    assert!(final_report["due"].is_string() && final_report["waits_for"].is_null(), "{final_report}");

    // The breach register shows the reasoning of what was not notified and the references of what was.
    let csv_path = e.file("register.csv");
    let said = CLI.ok(db, &["register", "export", "--csv", csv_path.to_str().unwrap()]);
    assert!(said.contains("(1 incident)"), "{said}");
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.starts_with("incident,title,") && csv.contains("\r\n"), "{csv}");
    assert!(csv.contains(why_not) && csv.contains("CSIRT-2026-17") && csv.contains("CSIRT-2026-18"), "{csv}");
    let entries = CLI.json(db, &["register", "export"]);
    assert_eq!(entries[0]["incident"], id);
    assert_eq!(entries[0]["notified"], true);

    // The calendar reminds of the open deadline only; the submitted stages are marked submitted.
    let ics_path = e.file("deadlines.ics");
    let said = CLI.json(db, &["deadlines", id, "--ics", ics_path.to_str().unwrap()]);
    assert_eq!(said["events"], 3);
    let ics = std::fs::read_to_string(&ics_path).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
    assert!(ics.contains(&format!("UID:{id}.nis2.final-report@firebreak")), "{ics}");
    assert_eq!(ics.matches("BEGIN:VALARM").count(), 3, "reminders for the final report only: {ics}");
    assert!(ics.contains(&format!("NIS2 Art. 23 early-warning submitted — {id}")), "{ics}");
    let all_path = e.file("all.ics");
    CLI.ok(db, &["deadlines", "--all", "--ics", all_path.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&all_path).unwrap().contains("final-report"));
    let open = CLI.json(db, &["deadlines", "--all"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["stage"], "final-report");
    CLI.ok(db, &["audit", "verify"]);
}

#[test]
fn refusals_are_one_line_and_write_nothing() {
    let e = env();
    let (db, id) = (&e.db, e.id.as_str());
    CLI.ok(db, &["notify", "decide", id, "gdpr-art33", "applies", "--by", LEGAL]);
    let before = audit_entries(db);

    let err = CLI.fails(db, &["notify", "decide", id, "gdpr-art99", "applies", "--by", LEGAL]);
    assert!(err.contains("\"gdpr-art99\" is not a known regime. Regimes: gdpr-art33"), "{err}");
    let draft_file = e.file("draft.md");
    let err = CLI.fails(db, &["notify", "draft", id, "martian", "--out", draft_file.to_str().unwrap()]);
    assert!(err.contains("is not a known regime"), "{err}");
    assert!(!draft_file.exists(), "no file for a refused draft");
    let err = CLI.fails(db, &["notify", "trigger", id, "mars", "awareness", "--at", &ago(1), "--by", LEGAL]);
    assert!(err.contains("is not a known regime"), "{err}");

    let err = CLI.fails(db, &["notify", "decide", id, "nis2", "maybe", "--by", LEGAL]);
    assert!(err.contains("use applies or not_applicable"), "{err}");
    let err = CLI.fails(db, &["notify", "decide", id, "nis2", "not_applicable", "--by", LEGAL]);
    assert!(err.contains("Say why NIS2 Art. 23 does not apply"), "{err}");
    let err = CLI.fails(db, &["notify", "answer", id, "personal_data", "perhaps"]);
    assert!(err.contains("answer yes, no or unsure"), "{err}");
    let err = CLI.fails(db, &["notify", "trigger", id, "gdpr-art33", "awareness", "--at", "yesterday", "--by", LEGAL]);
    assert!(err.contains("RFC 3339"), "{err}");
    let future = (Utc::now() + Duration::days(1)).to_rfc3339();
    let err = CLI.fails(db, &["notify", "trigger", id, "gdpr-art33", "awareness", "--at", &future, "--by", LEGAL]);
    assert!(err.contains("in the future"), "{err}");
    let err = CLI.fails(db, &["notify", "approve", id, "gdpr-art33", "--stage", "notification", "--by", LEGAL]);
    assert!(err.contains("There is no draft") && err.contains("firebreak notification draft"), "{err}");
    let err = CLI.fails(db, &["notify", "set", id, "gdpr-art33", "--stage", "notification"]);
    assert!(err.contains("Nothing to set"), "{err}");
    let err = CLI.fails(db, &["notify", "submit", id, "gdpr-art33", "--stage", "filing", "--at", &ago(0)]);
    assert!(err.contains("Its stages: notification"), "{err}");
    let err = CLI.fails(
        db,
        &[
            "notify",
            "override",
            id,
            "gdpr-art33",
            "--stage",
            "notification",
            "--due",
            "soon",
            "--reason",
            "x",
            "--by",
            LEGAL,
        ],
    );
    assert!(err.contains("RFC 3339"), "{err}");
    let err = CLI.fails(db, &["notify", "zone", id, "gdpr-art33", "--tz", "Mars/Olympus"]);
    assert!(err.contains("not an IANA time zone"), "{err}");
    let err = CLI.fails(db, &["deadlines", "AI-INC-1999-0101-001"]);
    assert!(err.contains("No incident"), "{err}");

    // A file that cannot be written refuses the command before anything is stored.
    let nowhere = e.file("missing-folder/draft.md");
    let err = CLI.fails(db, &["notify", "draft", id, "gdpr-art33", "--out", nowhere.to_str().unwrap()]);
    assert!(err.contains("Cannot write"), "{err}");
    let err = CLI.fails(db, &["register", "export", "--csv", e.dir.path().to_str().unwrap()]);
    assert!(err.contains("it is a folder"), "{err}");
    let missing_ics = e.file("missing-folder/x.ics");
    CLI.fails(db, &["deadlines", id, "--ics", missing_ics.to_str().unwrap()]);
    let stray: Vec<_> = std::fs::read_dir(e.dir.path())
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "no temporary files left: {stray:?}");

    assert_eq!(audit_entries(db), before, "nothing written by any refusal");
    let d = CLI.json(db, &["deadlines", id]);
    assert_eq!(stage(&d, "gdpr-art33", "notification")["notification"], Value::Null, "no draft was stored");
    CLI.ok(db, &["audit", "verify"]);
}
