//! Containment playbooks: built-in files, user copies that replace them, and ticking steps on an incident.

mod common;

use common::*;
use firebreak_core::incident::{FieldChange, Incident};
use firebreak_core::phases::guidance;
use firebreak_core::phases::playbook;
use firebreak_core::{verify, ErrorCode};
use serde_json::json;

fn typed(db: &Db, title: &str, types: &[&str]) -> Incident {
    let inc = open_incident(db, title);
    let tags: Vec<_> = types.iter().map(|t| json!({"kind": t})).collect();
    guidance::update_incident(&db.store, &dana(), &inc.id, &[FieldChange::new("incident_types", json!(tags))], false)
        .unwrap()
}

fn user_copy(db: &Db, id: &str, text: &str) {
    let dir = playbook::override_dir(&db.store).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{id}.toml")), text).unwrap();
}

const SHORT_INJECTION: &str = r#"
id = "prompt_injection"
title = "Our injection runbook"
applies_to = ["prompt_injection"]

[[steps]]
key = "call_security"
text = "Call the security on-call."
why = "They own injection cases here."

[[steps]]
key = "cut_sends"
text = "Disable outbound sends."
"#;

#[test]
fn the_playbooks_offered_follow_the_incident_types_in_order() {
    let db = db();
    let inc = typed(&db, "Injected and leaking", &["prompt_injection", "cross_tenant_leak", "prompt_injection"]);
    let views = playbook::playbooks_for(&db.store, &inc.id).unwrap();
    let ids: Vec<&str> = views.iter().map(|v| v.playbook.id.as_str()).collect();
    assert_eq!(ids, vec!["prompt_injection", "cross_tenant_leak"]);
    assert_eq!(views[0].playbook.title, "Prompt injection / exfiltration");
    assert!(!views[0].playbook.customized);
    assert!(views[0].steps.iter().all(|s| s.state.is_none()), "nothing ticked yet");
    assert!(playbook::playbooks_for(&db.store, &open_incident(&db, "untyped").id).unwrap().is_empty());
}

#[test]
fn ticking_records_who_and_when_and_unticking_clears_them() {
    let db = db();
    let inc = typed(&db, "Runaway", &["cost_runaway"]);
    let ticked =
        playbook::tick(&db.store, &dana(), &inc.id, "cost_runaway", "stop_runs", true, Some(" Stopped via console "))
            .unwrap();
    assert!(ticked.done);
    assert_eq!(ticked.done_by.as_deref(), Some("Dana Reyes"));
    assert!(ticked.done_at.is_some());
    assert_eq!(ticked.note, "Stopped via console");
    let again = playbook::tick(&db.store, &dana(), &inc.id, "cost_runaway", "stop_runs", true, None).unwrap();
    assert_eq!(again, ticked, "ticking again keeps the first tick and the note");

    let view = &playbook::playbooks_for(&db.store, &inc.id).unwrap()[0];
    let step = view.steps.iter().find(|s| s.step.key == "stop_runs").unwrap();
    assert_eq!(step.state.as_ref(), Some(&ticked));

    let unticked = playbook::tick(&db.store, &dana(), &inc.id, "cost_runaway", "stop_runs", false, None).unwrap();
    assert_eq!((unticked.done, unticked.done_by, unticked.done_at), (false, None, None));
    assert_eq!(unticked.id, ticked.id, "the same step row");
    assert_eq!(unticked.note, "Stopped via console");
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn an_unknown_playbook_or_step_is_refused_and_nothing_is_written() {
    let db = db();
    let inc = typed(&db, "Runaway", &["cost_runaway"]);
    let err = playbook::tick(&db.store, &dana(), &inc.id, "cost_runway", "stop_runs", true, None).unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("playbook")));
    assert!(err.to_string().contains("cost_runaway"), "lists the playbooks: {err}");
    let err = playbook::tick(&db.store, &dana(), &inc.id, "cost_runaway", "stop_everything", true, None).unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("step")));
    assert!(err.to_string().contains("cap_budget"), "lists the steps: {err}");
    let err = playbook::tick(&db.store, &dana(), "AI-INC-1999-0101-001", "cost_runaway", "stop_runs", true, None)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let view = &playbook::playbooks_for(&db.store, &inc.id).unwrap()[0];
    assert!(view.steps.iter().all(|s| s.state.is_none()));
}

#[test]
fn a_valid_user_copy_replaces_the_built_in_playbook() {
    let db = db();
    user_copy(&db, "prompt_injection", SHORT_INJECTION);
    let inc = typed(&db, "Injected", &["prompt_injection"]);
    let view = &playbook::playbooks_for(&db.store, &inc.id).unwrap()[0];
    assert_eq!(view.playbook.title, "Our injection runbook");
    assert!(view.playbook.customized);
    let keys: Vec<&str> = view.steps.iter().map(|s| s.step.key.as_str()).collect();
    assert_eq!(keys, vec!["call_security", "cut_sends"]);
    playbook::tick(&db.store, &dana(), &inc.id, "prompt_injection", "call_security", true, None).unwrap();
    let err =
        playbook::tick(&db.store, &dana(), &inc.id, "prompt_injection", "quarantine_source", true, None).unwrap_err();
    assert_eq!(err.field(), Some("step"), "steps come from the user's copy");
    // Other playbooks stay built-in.
    let all = playbook::load(playbook::override_dir(&db.store).as_deref()).unwrap();
    assert!(all.iter().filter(|p| p.customized).map(|p| p.id.as_str()).eq(["prompt_injection"]));
}

#[test]
fn a_malformed_user_copy_is_named_with_its_problem_and_the_built_in_still_loads() {
    let db = db();
    let inc = typed(&db, "Injected", &["prompt_injection"]);
    let dir = playbook::override_dir(&db.store).unwrap();
    let cases = [
        ("id = \"prompt_injection\"\ntitle = \"Broken\napplies_to = []\n", "line 2"),
        ("id = \"prompt_injection\"\ntitle = \"No steps\"\napplies_to = [\"prompt_injection\"]\n", "steps"),
        (&SHORT_INJECTION.replace("id = \"prompt_injection\"", "id = \"other\""), "must match"),
        (&SHORT_INJECTION.replace("\"prompt_injection\"]", "\"prompt_injectoin\"]"), "prompt_injectoin"),
        (&SHORT_INJECTION.replace("cut_sends", "call_security"), "appears twice"),
        (&SHORT_INJECTION.replace("why = \"They", "colour = \"red\"\nwhy = \"They"), "colour"),
    ];
    for (text, problem) in cases {
        user_copy(&db, "prompt_injection", text);
        for err in [
            playbook::playbooks_for(&db.store, &inc.id).unwrap_err(),
            playbook::tick(&db.store, &dana(), &inc.id, "prompt_injection", "cut_sends", true, None).unwrap_err(),
        ] {
            let message = err.to_string();
            assert_eq!(err.code(), ErrorCode::InvalidInput);
            assert!(message.contains(&dir.join("prompt_injection.toml").display().to_string()), "{message}");
            assert!(message.contains(problem), "{problem}: {message}");
            assert!(!message.contains('\n'), "one line: {message}");
        }
        let progress = playbook::progress(&db.store.connect().unwrap(), &inc).unwrap();
        assert!(!progress.complete && progress.missing[0].contains("prompt_injection.toml"));
        let built_in = playbook::built_in().unwrap();
        assert_eq!(
            built_in.iter().find(|p| p.id == "prompt_injection").unwrap().title,
            "Prompt injection / exfiltration"
        );
        assert!(playbook::load(None).unwrap().iter().all(|p| !p.customized));
    }
    std::fs::remove_file(dir.join("prompt_injection.toml")).unwrap();
    assert_eq!(
        playbook::playbooks_for(&db.store, &inc.id).unwrap()[0].playbook.title,
        "Prompt injection / exfiltration"
    );
}

#[test]
fn progress_counts_the_open_steps_of_every_offered_playbook() {
    let db = db();
    let conn = db.store.connect().unwrap();
    let untyped = open_incident(&db, "No types");
    assert!(playbook::progress(&conn, &untyped).unwrap().complete, "nothing offered, nothing missing");

    user_copy(&db, "prompt_injection", SHORT_INJECTION);
    let inc = typed(&db, "Injected", &["prompt_injection"]);
    let p = playbook::progress(&conn, &inc).unwrap();
    assert_eq!(p.missing, vec!["Our injection runbook playbook: 2 of 2 steps not done"]);
    assert_eq!(p.next.as_deref(), Some("Our injection runbook: Call the security on-call."));
    for step in ["call_security", "cut_sends"] {
        playbook::tick(&db.store, &dana(), &inc.id, "prompt_injection", step, true, None).unwrap();
    }
    let p = playbook::progress(&conn, &inc).unwrap();
    assert!(p.complete && p.missing.is_empty() && p.next.is_none());
}
