//! The repro bundle: the chosen steps with their runs' context in order, long runs cut in the middle and said so,
//! the chosen step's text kept whole where the context's is cut, the export in the custody log, and refusals that
//! write nothing.

mod common;

use common::*;
use firebreak_core::investigation::repro::{self, ReproBundle, CONTEXT_CHARS, MAX_RUN_STEPS};
use firebreak_core::investigation::{self, ImportOptions, StepFilter};
use firebreak_core::phases::evidence::{self, CustodyAction};
use firebreak_core::trace::StepKind;
use firebreak_core::ErrorCode;
use serde_json::json;

/// One OpenAI chat conversation of `turns` tool calls, each answered; the last call's arguments are long.
fn conversation(turns: usize) -> String {
    let mut messages = vec![
        json!({"role": "system", "content": "You are the billing agent. Never refund twice."}),
        json!({"role": "user", "content": "Reconcile the ledger."}),
    ];
    for i in 0..turns {
        let id = format!("call_{i}");
        let arguments = if i + 1 == turns {
            json!({"note": "x".repeat(CONTEXT_CHARS as usize + 100)}).to_string()
        } else {
            json!({"entry": i}).to_string()
        };
        messages.push(json!({"role": "assistant", "content": null, "tool_calls": [
            {"id": id, "type": "function", "function": {"name": "post_entry", "arguments": arguments}}
        ]}));
        messages.push(json!({"role": "tool", "tool_call_id": id, "content": format!("posted {i}")}));
    }
    format!("{}\n", json!({ "messages": messages }))
}

fn imported(db: &Db, turns: usize) -> (String, Vec<investigation::StoredStep>) {
    let inc = open_incident(db, "Billing agent posted twice");
    let path = db.outside_file("billing.jsonl", conversation(turns).as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    let filter = StepFilter { kind: Some(StepKind::ToolCall), limit: Some(5_000), ..Default::default() };
    let calls = investigation::steps(&db.store, &inc.id, &filter).unwrap().rows;
    (inc.id, calls)
}

fn read(path: &std::path::Path) -> ReproBundle {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_bundle_holds_the_chosen_steps_with_everything_before_them_in_their_run_in_order() {
    let db = db();
    let (id, calls) = imported(&db, 3);
    let out = db.dir.path().join("repro.json");
    let chosen = calls[1].id;
    let written = repro::export_repro(&db.store, &dana(), &id, &[chosen, chosen], &out).unwrap();
    assert_eq!((written.chosen, written.runs), (1, 1));
    let bundle = read(&out);
    assert_eq!(bundle.format, "firebreak-repro/1");
    assert_eq!(bundle.chosen, [chosen]);
    assert_eq!(bundle.sources.len(), 1);
    assert_eq!(bundle.sources[0].file_name, "billing.jsonl");
    let run = &bundle.runs[0];
    assert_eq!(run.left_out, 0);
    let kinds: Vec<StepKind> = run.steps.iter().map(|s| s.facts.kind).collect();
    // The instructions and the task, then the first call, its answer, and the chosen call — nothing after it.
    assert_eq!(kinds.first(), Some(&StepKind::Message));
    assert!(kinds.contains(&StepKind::UserInput));
    assert_eq!(run.steps.last().unwrap().step, chosen);
    assert!(run.steps.last().unwrap().chosen);
    assert_eq!(run.steps.iter().filter(|s| s.chosen).count(), 1);
    assert!(run.steps.windows(2).all(|w| w[0].step < w[1].step), "in file order");
    assert_eq!(written.steps, run.steps.len() as u64);

    let custody = evidence::custody(&db.store, &id).unwrap();
    let last = custody.last().unwrap();
    assert_eq!(last.action, CustodyAction::Exported);
    assert!(last.detail.contains("repro bundle") && last.detail.contains("repro.json"), "{}", last.detail);
    assert!(firebreak_core::verify::verify(&db.store).unwrap().intact);
}

#[test]
fn a_long_run_keeps_its_start_and_the_steps_just_before_the_chosen_one_and_says_how_many_are_left_out() {
    let db = db();
    let turns = MAX_RUN_STEPS as usize / 2 + 200;
    let (id, calls) = imported(&db, turns);
    let out = db.dir.path().join("long.json");
    let last = calls.last().unwrap();
    repro::export_repro(&db.store, &dana(), &id, &[last.id], &out).unwrap();
    let run = &read(&out).runs[0];
    assert_eq!(run.steps.len() as u64, MAX_RUN_STEPS);
    let before = last.seq + 1;
    assert_eq!(run.left_out, before - MAX_RUN_STEPS);
    assert_eq!(run.steps[0].facts.result.as_deref(), Some("You are the billing agent. Never refund twice."));
    // The chosen step's long arguments are whole; a context step's would be cut.
    let chosen = run.steps.last().unwrap();
    assert!(chosen.chosen && !chosen.cut);
    assert!(chosen.facts.arguments.as_ref().unwrap().len() > CONTEXT_CHARS as usize);
}

#[test]
fn no_steps_or_an_unknown_step_or_a_missing_folder_is_refused_and_nothing_is_written_or_logged() {
    let db = db();
    let (id, calls) = imported(&db, 2);
    let out = db.dir.path().join("refused.json");
    let before = evidence::custody(&db.store, &id).unwrap().len();
    let none = repro::export_repro(&db.store, &dana(), &id, &[], &out).unwrap_err();
    assert_eq!(none.code(), ErrorCode::InvalidInput);
    let unknown = repro::export_repro(&db.store, &dana(), &id, &[calls[0].id, 999_999], &out).unwrap_err();
    assert_eq!(unknown.code(), ErrorCode::NotFound);
    assert!(unknown.to_string().contains("999999"), "{unknown}");
    let missing = db.dir.path().join("no-such-folder").join("x.json");
    assert!(repro::export_repro(&db.store, &dana(), &id, &[calls[0].id], &missing).is_err());
    assert!(!out.exists() && !missing.exists());
    assert_eq!(evidence::custody(&db.store, &id).unwrap().len(), before);
    let leftovers: Vec<_> = std::fs::read_dir(db.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
