//! The guided-response commands through the built binary: severity, pause, playbook, contain.

mod common;

use common::Cli;

const CLI: Cli = Cli { actor: "Sam Ortiz" };

use serde_json::Value;
use std::path::{Path, PathBuf};

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    Env { dir, db }
}

fn incident(db: &Path, types: &str) -> String {
    CLI.ok(db, &["incident", "new", "--title", "Refund bot", "--set", &format!("incident_types={types}")])
        .trim()
        .to_string()
}

fn intact(db: &Path) {
    CLI.ok(db, &["audit", "verify"]);
}

#[test]
fn severity_assess_prints_the_suggestion_and_sets_the_incident_severity() {
    let e = env();
    let id = incident(&e.db, "external_send");
    let text = CLI.ok(
        &e.db,
        &[
            "severity",
            "assess",
            &id,
            "--answer",
            "external_communication_wrong=yes",
            "--answer",
            "material_harm=no",
            "--answer",
            "still_running=yes",
        ],
    );
    assert!(text.starts_with("Suggested sev1 (triggered by: external_communication_wrong); chosen sev1."), "{text}");
    assert!(text.contains("still running and nothing is paused"), "{text}");
    let a = CLI.json(
        &e.db,
        &["severity", "assess", &id, "--answer", "internal_records_wrong=yes", "--answer", "irreversible=yes"],
    );
    assert_eq!(a["suggested"], "sev1");
    assert_eq!(a["chosen"], "sev1");
    assert_eq!(a["triggered_by"], serde_json::json!(["internal_records_wrong", "irreversible"]));
    assert_eq!(CLI.json(&e.db, &["incident", "show", &id])["severity"], "sev1");
    let history = CLI.json(&e.db, &["severity", "history", &id]);
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[0]["answers"]["material_harm"], false);
    intact(&e.db);
}

#[test]
fn choosing_lower_needs_a_reason_which_is_logged() {
    let e = env();
    let id = incident(&e.db, "bad_writeback");
    let err = CLI.fails(
        &e.db,
        &["severity", "assess", &id, "--answer", "unauthorized_production_write=yes", "--choose", "sev2"],
    );
    assert!(err.contains("written reason is required"), "{err}");
    assert_eq!(CLI.json(&e.db, &["severity", "history", &id]), serde_json::json!([]), "nothing written");
    assert_eq!(CLI.json(&e.db, &["incident", "show", &id])["severity"], Value::Null);
    let a = CLI.json(
        &e.db,
        &[
            "severity",
            "assess",
            &id,
            "--answer",
            "unauthorized_production_write=yes",
            "--choose",
            "SEV2",
            "--reason",
            "Sandbox tenant only",
        ],
    );
    assert_eq!((a["suggested"].as_str(), a["chosen"].as_str()), (Some("sev1"), Some("sev2")));
    assert_eq!(a["reason"], "Sandbox tenant only");
    let text = CLI.ok(&e.db, &["severity", "history", &id]);
    assert!(text.contains("suggested sev1") && text.contains("chosen sev2") && text.contains("Sandbox tenant only"));
    intact(&e.db);
}

#[test]
fn bad_severity_input_is_refused_in_one_line() {
    let e = env();
    let id = incident(&e.db, "bad_writeback");
    for (args, words) in [
        (vec!["--answer", "materal_harm=yes"], "\"materal_harm\" is not a severity question"),
        (vec!["--answer", "material_harm=maybe"], "answer yes or no"),
        (vec!["--answer", "material_harm"], "KEY=yes"),
        (vec!["--answer", "material_harm=yes", "--answer", "material_harm=no"], "both yes and no"),
        (vec!["--choose", "sev9"], "Levels: sev0, sev1, sev2, sev3"),
    ] {
        let mut full = vec!["severity", "assess", id.as_str()];
        full.extend(args);
        let err = CLI.fails(&e.db, &full);
        assert!(err.contains(words), "{words}: {err}");
    }
    assert!(CLI.fails(&e.db, &["severity", "assess", "AI-INC-1999-0101-001"]).contains("No incident"));
    assert_eq!(CLI.json(&e.db, &["severity", "history", &id]), serde_json::json!([]));
    assert_eq!(CLI.json(&e.db, &["severity", "questions"]).as_array().unwrap().len(), 14);
}

#[test]
fn pauses_are_added_listed_and_lifted_once() {
    let e = env();
    let id = incident(&e.db, "external_send");
    let listed = CLI.ok(&e.db, &["pause", "list", &id]);
    assert!(listed.contains("Nothing paused.") && listed.contains("send tool"), "suggestions shown: {listed}");
    let p = CLI.json(
        &e.db,
        &[
            "pause",
            "add",
            &id,
            "--scope",
            "tool",
            "--target",
            "refund-sender",
            "--approved-by",
            "Dana Reyes",
            "--at",
            "2026-01-05T09:00:00+01:00",
        ],
    );
    assert_eq!(p["paused_at"], "2026-01-05T08:00:00Z");
    assert_eq!(p["approved_by"], "Dana Reyes");
    let pause_id = p["id"].as_str().unwrap();
    let err = CLI.fails(&e.db, &["pause", "add", &id, "--scope", "toolz", "--target", "x", "--approved-by", "Dana"]);
    assert!(err.contains("Scopes: workflow"), "{err}");
    let err = CLI.fails(&e.db, &["pause", "add", &id, "--scope", "tool", "--target", "x", "--approved-by", " "]);
    assert!(err.contains("Approved by is empty"), "{err}");
    let err = CLI.fails(
        &e.db,
        &["pause", "add", &id, "--scope", "tool", "--target", "x", "--approved-by", "D", "--at", "yesterday"],
    );
    assert!(err.contains("RFC 3339"), "{err}");

    let text = CLI.ok(&e.db, &["pause", "lift", &id, pause_id, "--by", "Lee Chen"]);
    assert!(text.starts_with("Lifted the pause of refund-sender"), "{text}");
    let err = CLI.fails(&e.db, &["pause", "lift", &id, pause_id, "--by", "Lee Chen"]);
    assert!(err.contains("already lifted"), "{err}");
    let other = incident(&e.db, "external_send");
    assert!(CLI.fails(&e.db, &["pause", "lift", &other, pause_id, "--by", "Lee"]).contains("has no pause"));

    let pauses = CLI.json(&e.db, &["pause", "list", &id]);
    assert_eq!(pauses.as_array().unwrap().len(), 1);
    assert_eq!(pauses[0]["lifted_by"], "Lee Chen");
    intact(&e.db);
}

#[test]
fn playbook_steps_are_shown_and_ticked() {
    let e = env();
    let id = incident(&e.db, "cost_runaway");
    let shown = CLI.ok(&e.db, &["playbook", "show", &id]);
    assert!(shown.starts_with("cost_runaway — Runaway agent / cost explosion"), "{shown}");
    assert!(shown.contains("[ ] stop_runs"));
    let state =
        CLI.json(&e.db, &["playbook", "tick", &id, "cost_runaway", "stop_runs", "--note", "killed via console"]);
    assert_eq!((state["done"].as_bool(), state["done_by"].as_str()), (Some(true), Some("Sam Ortiz")));
    assert!(CLI.ok(&e.db, &["playbook", "show", &id]).contains("[x] stop_runs"));
    let views = CLI.json(&e.db, &["playbook", "show", &id]);
    assert_eq!(views[0]["steps"][0]["state"]["note"], "killed via console");
    let text = CLI.ok(&e.db, &["playbook", "tick", &id, "cost_runaway", "stop_runs", "--undo"]);
    assert_eq!(text.trim(), "cost_runaway: step stop_runs marked not done.");
    assert!(CLI.fails(&e.db, &["playbook", "tick", &id, "cost_runaway", "nope"]).contains("Its steps: stop_runs"));
    assert!(CLI.fails(&e.db, &["playbook", "tick", &id, "nope", "stop_runs"]).contains("There is no playbook"));
    intact(&e.db);
}

#[test]
fn a_broken_user_playbook_is_named_and_a_valid_one_is_used() {
    let e = env();
    let id = incident(&e.db, "tool_misuse");
    let dir = e.dir.path().join("playbooks");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tool_misuse.toml"), "id = \"tool_misuse\"\nsteps = [[[\n").unwrap();
    let err = CLI.fails(&e.db, &["playbook", "show", &id]);
    assert!(err.contains("tool_misuse.toml cannot be used: line 3, column 1"), "{err}");
    std::fs::write(
        dir.join("tool_misuse.toml"),
        "id = \"tool_misuse\"\ntitle = \"Ours\"\napplies_to = [\"tool_misuse\"]\n[[steps]]\nkey = \"one\"\ntext = \"Do one thing\"\n",
    )
    .unwrap();
    assert!(CLI.ok(&e.db, &["playbook", "show", &id]).starts_with("tool_misuse — Ours (your copy)"));
}

#[test]
fn the_containment_checklist_is_set_and_listed() {
    let e = env();
    let id = incident(&e.db, "sensitive_data_exposure");
    let lines = CLI.json(&e.db, &["contain", "list", &id]);
    assert_eq!(lines.as_array().unwrap().len(), 9);
    assert!(lines.as_array().unwrap().iter().all(|l| l["status"] == "to_do"));
    assert_eq!(
        CLI.ok(&e.db, &["contain", "set", &id, "oauth-grants", "done", "--note", "revoked"]).trim(),
        "OAuth grants: done."
    );
    let item = CLI.json(&e.db, &["contain", "set", &id, "webhooks", "not_needed"]);
    assert_eq!((item["area"].as_str(), item["status"].as_str()), (Some("webhooks"), Some("not_needed")));
    let listed = CLI.ok(&e.db, &["contain", "list", &id]);
    assert!(listed.contains("oauth_grants") && listed.contains("Sam Ortiz") && listed.contains("revoked"), "{listed}");
    assert!(CLI.fails(&e.db, &["contain", "set", &id, "tokens", "done"]).contains("Choose one of: tokens_secrets"));
    assert!(CLI.fails(&e.db, &["contain", "set", &id, "queues", "finished"]).contains("not_needed, to_do, done"));
    intact(&e.db);
}

#[test]
fn affected_objects_are_listed_a_page_at_a_time_and_found_by_search() {
    let e = env();
    let id = incident(&e.db, "bad_writeback");
    let mut csv = String::from("system,object_type,object_id,action\n");
    for i in 0..25 {
        csv.push_str(&format!("{},record,OBJ-{i:03},changed\n", if i % 5 == 0 { "Zendesk" } else { "Gmail" }));
    }
    let file = e.dir.path().join("objects.csv");
    std::fs::write(&file, csv).unwrap();
    CLI.ok(&e.db, &["affected", "import", &id, file.to_str().unwrap()]);

    let page = CLI.ok(&e.db, &["affected", "list", &id, "--limit", "10", "--offset", "10"]);
    let rows: Vec<&str> = page.lines().filter(|l| l.contains("OBJ-")).collect();
    assert_eq!(rows.len(), 10, "{page}");
    assert!(rows[0].contains("OBJ-010") && rows[9].contains("OBJ-019"), "{page}");
    assert!(page.contains("Rows 11–20 of 25 matching; the next page: --offset 20."), "{page}");
    let last = CLI.ok(&e.db, &["affected", "list", &id, "--limit", "10", "--offset", "20"]);
    assert!(last.contains("Rows 21–25 of 25 matching.") && !last.contains("next page"), "{last}");

    let found = CLI.ok(&e.db, &["affected", "list", &id, "--search", "obj-02"]);
    let rows: Vec<&str> = found.lines().filter(|l| l.contains("OBJ-")).collect();
    assert_eq!(rows.len(), 5, "OBJ-020 … OBJ-024: {found}");
    let json = CLI.json(&e.db, &["affected", "list", &id, "--search", "zendesk", "--limit", "2"]);
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["system"] == "Zendesk"), "{json}");
    let past = CLI
        .ok(&e.db, &["affected", "list", &id, "--limit", "18446744073709551615", "--offset", "18446744073709551615"]);
    assert!(past.contains("No affected objects on this page.") && past.contains("Rows none of 25 matching."), "{past}");
    let all = CLI.ok(&e.db, &["affected", "list", &id]);
    assert_eq!(all.lines().filter(|l| l.contains("OBJ-")).count(), 25);
    assert!(!all.contains("Rows "), "a whole listing says nothing of pages: {all}");
}
