//! The closing phases on the command line: communication, postmortem, remediation, re-enable.

mod common;

use common::{Cli, Env, Scratch};

const CLI: Cli = Cli { actor: "Dana Reyes" };

use serde_json::Value;
use std::path::Path;

/// A database with one incident that involves personal data and a customer, and an approver in the directory.
fn env() -> Env {
    let scratch = Scratch::new("closure.db");
    let db = scratch.db.clone();
    let id = CLI
        .ok(
            &db,
            &[
                "incident",
                "new",
                "--title",
                "Refund bot emailed the wrong customer",
                "--summary",
                "A refund confirmation went to the wrong customer.",
                "--commander",
                "Dana Reyes",
                "--set",
                "data_classes=personal_data",
                "--set",
                "customer_impact=One customer",
            ],
        )
        .trim()
        .to_string();
    CLI.ok(&db, &["people", "add", "--name", "Priya Nair", "--role", "Legal"]);
    Env { scratch, id }
}

fn audience<'a>(matrix: &'a Value, key: &str) -> &'a Value {
    matrix.as_array().unwrap().iter().find(|r| r["audience"] == key).unwrap()
}

fn verify_intact(db: &Path) {
    CLI.ok(db, &["audit", "verify"]);
}

#[test]
fn a_message_is_drafted_approved_by_a_named_person_then_sent() {
    let e = env();
    let matrix = CLI.json(&e.db, &["comms", "list", &e.id]);
    assert_eq!(matrix.as_array().unwrap().len(), 11);
    assert_eq!(audience(&matrix, "security")["required"], true);
    assert_eq!(audience(&matrix, "customers")["required"], true);
    assert_eq!(audience(&matrix, "vendors")["required"], false);
    assert!(audience(&matrix, "security")["required_because"].as_str().unwrap().contains("personal data"));

    let err = CLI.fails(&e.db, &["comms", "sent", &e.id, "security", "--via", "email"]);
    assert!(err.contains("approve it first (by a named person)"), "{err}");

    let draft = CLI.ok(&e.db, &["comms", "draft", &e.id, "security"]);
    assert!(draft.contains(&e.id) && draft.contains("Refund bot emailed the wrong customer"), "{draft}");
    let err = CLI.fails(&e.db, &["comms", "sent", &e.id, "security", "--via", "email"]);
    assert!(err.contains("approve it first"), "{err}");

    let err = CLI.fails(&e.db, &["comms", "approve", &e.id, "security", "--approver", "Someone Unknown"]);
    assert!(err.contains("not in the people directory"), "{err}");
    let err = CLI.fails(&e.db, &["comms", "approve", &e.id, "martians", "--approver", "Priya Nair"]);
    assert!(err.contains("is not an audience"), "{err}");
    CLI.ok(&e.db, &["comms", "approve", &e.id, "security", "--approver", "Priya Nair"]);

    let err = CLI.fails(&e.db, &["comms", "sent", &e.id, "security", "--via", "email", "--at", "yesterday"]);
    assert!(err.contains("RFC 3339"), "{err}");
    let err = CLI.fails(&e.db, &["comms", "sent", &e.id, "security", "--via", "email", "--at", "2999-01-01T00:00:00Z"]);
    assert!(err.contains("in the future"), "{err}");
    CLI.ok(&e.db, &["comms", "sent", &e.id, "security", "--via", "email"]);

    let row = audience(&CLI.json(&e.db, &["comms", "list", &e.id]), "security").clone();
    assert_eq!(row["communication"]["status"], "sent");
    assert_eq!(row["communication"]["approved_by"], "Priya Nair");
    assert_eq!(row["communication"]["sent_via"], "email");
    verify_intact(&e.db);
}

#[test]
fn set_decides_audiences_and_an_edited_approved_message_goes_back_to_drafted() {
    let e = env();
    let err = CLI.fails(&e.db, &["comms", "set", &e.id, "customers", "--required", "no"]);
    assert!(err.contains("Say why"), "{err}");
    let err = CLI.fails(&e.db, &["comms", "set", &e.id, "customers", "--required", "maybe"]);
    assert!(err.contains("yes or no"), "{err}");
    CLI.ok(&e.db, &["comms", "set", &e.id, "customers", "--required", "no", "--because", "Told by phone"]);
    let row = audience(&CLI.json(&e.db, &["comms", "list", &e.id]), "customers").clone();
    assert_eq!((row["required"].clone(), row["decided"].clone()), (Value::Bool(false), Value::Bool(true)));

    CLI.ok(&e.db, &["comms", "draft", &e.id, "business_owner"]);
    CLI.ok(&e.db, &["comms", "approve", &e.id, "business_owner", "--approver", "Priya Nair"]);
    let file = e.dir.path().join("message.txt");
    std::fs::write(&file, "Reworded message.").unwrap();
    let out = CLI.ok(&e.db, &["comms", "set", &e.id, "business_owner", "--message-file", file.to_str().unwrap()]);
    assert!(out.contains("back to drafted"), "{out}");
    let row = audience(&CLI.json(&e.db, &["comms", "list", &e.id]), "business_owner").clone();
    assert_eq!(row["communication"]["status"], "drafted");
    assert_eq!(row["communication"]["approved_by"], Value::Null);
    assert_eq!(row["communication"]["message"], "Reworded message.");
    verify_intact(&e.db);
}

#[test]
fn a_postmortem_is_completed_only_with_its_required_parts() {
    let e = env();
    let err = CLI.fails(&e.db, &["postmortem", "complete", &e.id]);
    assert!(err.contains("a summary") && err.contains("at least one remediation item"), "{err}");
    let err = CLI.fails(&e.db, &["postmortem", "set", &e.id, "five_whys=1|2|3|4|5|6"]);
    assert!(err.contains("keep to five"), "{err}");
    let err = CLI.fails(&e.db, &["postmortem", "set", &e.id, "impact_records=-4"]);
    assert!(err.contains("negative"), "{err}");
    CLI.ok(
        &e.db,
        &[
            "postmortem",
            "set",
            &e.id,
            "summary=Wrong recipient after a stale lookup",
            "root_cause=The customer cache was stale",
            "root_cause_layers=retrieval_data,orchestration_state",
            "contributing_factors=stale_data",
            "five_whys=Wrong address|Stale cache|No freshness check",
            "impact_customers=1",
        ],
    );
    let pm = CLI.json(&e.db, &["postmortem", "show", &e.id]);
    assert_eq!(pm["five_whys"].as_array().unwrap().len(), 3);
    assert_eq!(pm["root_cause_layers"], serde_json::json!(["retrieval_data", "orchestration_state"]));
    assert_eq!(pm["impact_customers"], 1);

    let err = CLI.fails(&e.db, &["postmortem", "complete", &e.id]);
    assert!(err.contains("remediation item") && !err.contains("summary"), "{err}");
    let err =
        CLI.fails(&e.db, &["remediation", "add", &e.id, "--control", "vibes", "--description", "x", "--owner", "Lee"]);
    assert!(err.contains("not a control type"), "{err}");
    let item = CLI.ok(
        &e.db,
        &["remediation", "add", &e.id, "--control", "prompt_change", "--description", "Be careful", "--owner", "Lee"],
    );
    assert!(CLI.ok(&e.db, &["postmortem", "show", &e.id]).contains("probably shallow"));
    CLI.ok(&e.db, &["remediation", "set", &e.id, item.trim(), "--status", "done"]);
    CLI.ok(
        &e.db,
        &[
            "remediation",
            "add",
            &e.id,
            "--control",
            "input_freshness",
            "--description",
            "Reject lookups older than an hour",
            "--owner",
            "Lee",
            "--due",
            "2030-06-30",
        ],
    );
    let items = CLI.json(&e.db, &["remediation", "list", &e.id]);
    assert_eq!(items.as_array().unwrap().len(), 2);
    assert_eq!(items[0]["status"], "done");
    assert_eq!(items[1]["due_date"], "2030-06-30");
    CLI.ok(&e.db, &["postmortem", "complete", &e.id]);
    assert_eq!(CLI.json(&e.db, &["postmortem", "show", &e.id])["completed"], true);
    verify_intact(&e.db);
}

#[test]
fn the_timeline_includes_manual_entries_in_order() {
    let e = env();
    CLI.ok(&e.db, &["postmortem", "add-entry", &e.id, "--at", "2020-01-01T09:00:00Z", "--text", "Customer called"]);
    let err = CLI.fails(&e.db, &["postmortem", "add-entry", &e.id, "--at", "2999-01-01T00:00:00Z", "--text", "Later"]);
    assert!(err.contains("in the future"), "{err}");
    let timeline = CLI.json(&e.db, &["postmortem", "timeline", &e.id]);
    let events = timeline.as_array().unwrap();
    assert_eq!(events[0]["kind"], "manual");
    assert_eq!(events[0]["text"], "Customer called");
    assert_eq!(events[1]["kind"], "opened");
    let text = CLI.ok(&e.db, &["postmortem", "timeline", &e.id]);
    assert!(text.lines().next().unwrap().contains("Customer called"), "{text}");
}

#[test]
fn reenable_answers_are_all_or_nothing_and_a_signoff_waits_for_them() {
    let e = env();
    let err = CLI.fails(&e.db, &["reenable", "answer", &e.id, "paused_or_narrowed=yes", "bogus_question=yes"]);
    assert!(err.contains("bogus_question"), "{err}");
    let err = CLI.fails(&e.db, &["reenable", "answer", &e.id, "paused_or_narrowed=yes", "evals_added=perhaps"]);
    assert!(err.contains("perhaps"), "{err}");
    let err = CLI.fails(&e.db, &["reenable", "answer", &e.id, "paused_or_narrowed=yes", "evals_added=exception"]);
    assert!(err.contains("note"), "{err}");
    let shown = CLI.json(&e.db, &["reenable", "show", &e.id]);
    assert!(shown["answers"].as_array().unwrap().iter().all(|a| a["answer"].is_null()), "nothing written");
    assert_eq!(shown["next_stage"], "read_only");

    let keys = [
        "paused_or_narrowed",
        "audit_complete",
        "records_corrected",
        "root_cause_identified",
        "control_patched",
        "permissions_reduced",
        "evals_added",
        "monitoring_updated",
        "runbook_updated",
        "business_owner_approves",
    ];
    let mut args: Vec<String> = vec!["reenable".into(), "answer".into(), e.id.clone()];
    args.extend(keys.iter().map(|k| format!("{k}=yes")));
    args[5] = "records_corrected=no".into();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    CLI.ok(&e.db, &args);

    let signoff =
        ["reenable", "signoff", &e.id, "--stage", "read_only", "--approver", "Priya Nair", "--statement", "OK"];
    let err = CLI.fails(&e.db, &signoff);
    assert!(err.contains("Are the affected records corrected? (answered no)"), "{err}");
    assert!(err.contains("Will a human monitor the first run? (not answered)"), "{err}");
    assert!(!err.contains("root cause"), "only the open questions: {err}");

    CLI.ok(
        &e.db,
        &[
            "reenable",
            "answer",
            &e.id,
            "records_corrected=exception",
            "first_run_monitored=yes",
            "--note",
            "Priya Nair accepts two records corrected next week",
        ],
    );
    let err = CLI.fails(
        &e.db,
        &["reenable", "signoff", &e.id, "--stage", "normal", "--approver", "Priya Nair", "--statement", "OK"],
    );
    assert!(err.contains("next stage to sign is read-only"), "{err}");
    let signed: Value = serde_json::from_str(&CLI.ok(&e.db, &[&signoff[..], &["--json"]].concat())).unwrap();
    assert_eq!(signed["stage"], "read_only");
    assert_eq!(signed["state_hash"].as_str().unwrap().len(), 64);
    let err = CLI.fails(&e.db, &signoff);
    assert!(err.contains("already signed"), "{err}");

    let now = chrono::Utc::now().to_rfc3339();
    CLI.ok(&e.db, &["reenable", "first-run", &e.id, "--stage", "read_only", "--at", &now]);
    let err = CLI.fails(&e.db, &["reenable", "first-run", &e.id, "--stage", "draft_only", "--at", &now]);
    assert!(err.contains("not signed off yet"), "{err}");
    let shown = CLI.json(&e.db, &["reenable", "show", &e.id]);
    assert_eq!(shown["next_stage"], "draft_only");
    assert!(!shown["signoffs"][0]["first_run_at"].is_null());
    verify_intact(&e.db);
}
