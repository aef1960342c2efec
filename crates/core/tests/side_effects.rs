//! Side effects drafted from an imported conversation: which calls are proposed as affected objects and why, what
//! accepting all or some writes into the side-effect audit (and what it leaves out), duplicates of rows already
//! there, the per-tool class a person chooses and that later incidents remember, and the timeline events the
//! traces add.

mod common;

use common::*;
use firebreak_core::investigation::side_effects::{self, Acceptance, CallClass, ProposalState, SideEffectProposal};
use firebreak_core::investigation::{self, ImportOptions};
use firebreak_core::phases::affected::{self, AgentAction, NewAffectedObject, ObjectQuery};
use firebreak_core::phases::postmortem::{self, TimelineKind};
use firebreak_core::verify;
use firebreak_core::ErrorCode;
use serde_json::{json, Value};

/// One assistant tool call and its answer.
fn call(messages: &mut Vec<Value>, id: &str, tool: &str, arguments: Value, answer: Value) {
    messages.push(json!({"role": "assistant", "content": null, "tool_calls": [
        {"id": id, "type": "function", "function": {"name": tool, "arguments": arguments.to_string()}}
    ]}));
    messages.push(json!({"role": "tool", "tool_call_id": id, "content": answer.to_string()}));
}

/// A billing assistant that reads a customer, changes an invoice, mails the customer twice, opens a ticket, fails
/// to delete a record, and calls an HTTP API once to read and once to post.
fn conversation() -> String {
    let mut m = vec![json!({"role": "user", "content": "Sort out customer C-1's invoice."})];
    call(&mut m, "c1", "get_customer", json!({"customer_id": "C-1"}), json!({"name": "Ada"}));
    call(&mut m, "c2", "billing.update_invoice", json!({"invoice_id": "INV-7", "total": 0}), json!({"ok": true}));
    call(&mut m, "c3", "send_email", json!({"to": "ada@customer.example", "body": "Done"}), json!({"ok": true}));
    call(&mut m, "c4", "send_email", json!({"to": "ada@customer.example", "body": "Done!"}), json!({"ok": true}));
    call(&mut m, "c5", "create_ticket", json!({"title": "Refund"}), json!({"id": "T-88"}));
    call(&mut m, "c6", "delete_record", json!({"id": "R-1"}), json!({"error": "forbidden", "status": 500}));
    call(
        &mut m,
        "c7",
        "http_request",
        json!({"method": "GET", "url": "https://api.pay.example/v1/refunds"}),
        json!({}),
    );
    call(
        &mut m,
        "c8",
        "http_request",
        json!({"method": "POST", "url": "https://api.pay.example/v1/refunds"}),
        json!({"id": "re_1"}),
    );
    format!("{}\n", json!({ "messages": m }))
}

fn imported(db: &Db, title: &str) -> String {
    let inc = open_incident(db, title);
    let path = db.outside_file("billing.jsonl", conversation().as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    inc.id
}

fn tools_of(proposals: &[SideEffectProposal]) -> Vec<&str> {
    proposals.iter().map(|p| p.tool.as_str()).collect()
}

fn objects(db: &Db, id: &str) -> Vec<affected::AffectedObject> {
    affected::list(&db.store, id, &ObjectQuery::default()).unwrap().rows
}

#[test]
fn each_write_call_is_proposed_with_its_object_and_why_it_counts() {
    let db = db();
    let id = imported(&db, "Billing bot changed an invoice");
    let found = side_effects::proposals(&db.store, &id).unwrap();
    assert_eq!(found.calls, 8);
    assert_eq!(
        tools_of(&found.proposals),
        ["billing.update_invoice", "send_email", "send_email", "create_ticket", "delete_record", "http_request"]
    );
    let p = &found.proposals;
    assert_eq!(
        (p[0].system.as_str(), p[0].object_type.as_str(), p[0].object_id.as_str()),
        ("billing", "invoice", "INV-7")
    );
    assert_eq!(p[0].action, AgentAction::Changed);
    assert_eq!(p[0].basis, "its name says “update”");
    assert_eq!((p[1].object_id.as_str(), p[1].action), ("ada@customer.example", AgentAction::Sent));
    assert_eq!(p[1].state, ProposalState::New);
    assert_eq!(
        (p[2].state, p[2].same_as),
        (ProposalState::Repeat, Some(p[1].step)),
        "the second mail to the same person"
    );
    assert_eq!((p[3].object_id.as_str(), p[3].id_from.as_str()), ("T-88", "the result's “id”"));
    assert!(p[4].failed, "the delete answered 500");
    assert_eq!(p[5].basis, "its arguments ask for HTTP POST");
    assert_eq!((p[5].system.as_str(), p[5].object_id.as_str()), ("api.pay.example", "re_1"), "the created refund's ID");
    assert_eq!(found.failed, 1);
    assert_eq!(found.counts.get(&ProposalState::New), Some(&5));
    let http = found.tools.iter().find(|t| t.tool == "http_request").unwrap();
    assert_eq!((http.calls, http.writes), (2, 1), "one GET, one POST");
    let read = found.tools.iter().find(|t| t.tool == "get_customer").unwrap();
    assert_eq!((read.class, read.writes), (CallClass::Read, 0));
}

#[test]
fn accepting_all_enters_each_object_once_leaves_failed_calls_out_and_can_be_repeated() {
    let db = db();
    let id = imported(&db, "Billing bot changed an invoice");
    let done = side_effects::accept(&db.store, &dana(), &id, &Acceptance { all: true, steps: vec![] }).unwrap();
    assert_eq!((done.created, done.linked, done.already, done.failed_left), (4, 1, 0, 1));
    let rows = objects(&db, &id);
    let ids: Vec<&str> = rows.iter().map(|o| o.object_id.as_str()).collect();
    assert_eq!(rows.len(), 4);
    for expected in ["INV-7", "ada@customer.example", "T-88", "re_1"] {
        assert!(ids.contains(&expected), "{expected} in {ids:?}");
    }
    let invoice = rows.iter().find(|o| o.object_id == "INV-7").unwrap();
    assert!(invoice.evidence.starts_with("Trace step "), "{}", invoice.evidence);
    assert!(invoice.evidence.contains("billing.jsonl"), "{}", invoice.evidence);
    assert_eq!(invoice.occurred_at, None, "the conversation has no times");

    let after = side_effects::proposals(&db.store, &id).unwrap();
    let states: Vec<ProposalState> = after.proposals.iter().map(|p| p.state).collect();
    use ProposalState::*;
    assert_eq!(states, [Accepted, Accepted, Accepted, Accepted, New, Accepted]);
    assert_eq!(after.proposals[1].object, after.proposals[2].object, "both mails are one affected object");

    let again = side_effects::accept(&db.store, &dana(), &id, &Acceptance { all: true, steps: vec![] }).unwrap();
    assert_eq!((again.created, again.linked, again.already), (0, 0, 5));
    assert_eq!(objects(&db, &id).len(), 4);
    // The failed delete can still be accepted by its step, when it did happen after all.
    let delete = after.proposals[4].step;
    let one = side_effects::accept(&db.store, &dana(), &id, &Acceptance { all: false, steps: vec![delete] }).unwrap();
    assert_eq!(one.created, 1);
    assert_eq!(one.objects[0].action, AgentAction::Deleted);
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn a_row_already_in_the_audit_is_recognised_and_linked_instead_of_entered_twice() {
    let db = db();
    let id = imported(&db, "Billing bot changed an invoice");
    let by_hand = NewAffectedObject::new("Billing", "Invoice", " INV-7 ", AgentAction::Changed);
    let typed = affected::add(&db.store, &dana(), &id, by_hand).unwrap();
    let found = side_effects::proposals(&db.store, &id).unwrap();
    let invoice = &found.proposals[0];
    assert_eq!((invoice.state, invoice.object.as_deref()), (ProposalState::Recorded, Some(typed.id.as_str())));
    let done =
        side_effects::accept(&db.store, &dana(), &id, &Acceptance { all: false, steps: vec![invoice.step] }).unwrap();
    assert_eq!((done.created, done.linked), (0, 1));
    assert_eq!(objects(&db, &id).len(), 1);
    let after = side_effects::proposals(&db.store, &id).unwrap();
    assert_eq!(
        (after.proposals[0].state, after.proposals[0].object.as_deref()),
        (ProposalState::Accepted, Some(typed.id.as_str()))
    );
}

#[test]
fn a_choice_naming_a_step_that_is_no_write_call_is_refused_and_writes_nothing() {
    let db = db();
    let id = imported(&db, "Billing bot changed an invoice");
    let found = side_effects::proposals(&db.store, &id).unwrap();
    let read_step = found.proposals[0].step - 2;
    let choice = Acceptance { all: false, steps: vec![found.proposals[0].step, read_step] };
    let err = side_effects::accept(&db.store, &dana(), &id, &choice).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains(&format!("Step {read_step} is not a write call")), "{err}");
    assert!(objects(&db, &id).is_empty(), "the valid step was not accepted either");
    let empty = side_effects::accept(&db.store, &dana(), &id, &Acceptance::default()).unwrap_err();
    assert_eq!(empty.code(), ErrorCode::InvalidInput);
}

#[test]
fn a_tool_classed_by_a_person_stays_classed_in_later_incidents_until_given_back() {
    let db = db();
    let id = imported(&db, "Billing bot changed an invoice");
    side_effects::set_tool_class(&db.store, &dana(), "send_email", Some(CallClass::Read), None).unwrap();
    let chosen = side_effects::set_tool_class(
        &db.store,
        &dana(),
        "get_customer",
        Some(CallClass::Write),
        Some(AgentAction::Changed),
    )
    .unwrap();
    assert_eq!(chosen.set_by, dana().name);
    let later = imported(&db, "Billing bot again");
    for incident in [&id, &later] {
        let found = side_effects::proposals(&db.store, incident).unwrap();
        let tools = tools_of(&found.proposals);
        assert!(!tools.contains(&"send_email"), "{tools:?}");
        assert_eq!(tools[0], "get_customer");
        assert_eq!(found.proposals[0].action, AgentAction::Changed);
        assert_eq!(found.proposals[0].basis, format!("{} classed it as a write", dana().name));
        let mail = found.tools.iter().find(|t| t.tool == "send_email").unwrap();
        assert_eq!((mail.class, mail.writes), (CallClass::Read, 0));
        assert!(mail.chosen.is_some());
    }
    side_effects::set_tool_class(&db.store, &dana(), "send_email", None, None).unwrap();
    let back = side_effects::proposals(&db.store, &later).unwrap();
    assert!(tools_of(&back.proposals).contains(&"send_email"));
    assert_eq!(side_effects::tool_classes(&db.store).unwrap().len(), 2);

    let read_action =
        side_effects::set_tool_class(&db.store, &dana(), "x", Some(CallClass::Write), Some(AgentAction::Read));
    assert_eq!(read_action.unwrap_err().code(), ErrorCode::InvalidInput);
    let action_on_read =
        side_effects::set_tool_class(&db.store, &dana(), "x", Some(CallClass::Read), Some(AgentAction::Sent));
    assert_eq!(action_on_read.unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(
        side_effects::set_tool_class(&db.store, &dana(), "  ", None, None).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn the_timeline_gains_the_first_failure_the_first_and_last_write_call_and_the_last_step() {
    let db = db();
    let inc = open_incident(&db, "Timed trace");
    // A Claude Code session: its lines carry times.
    let lines = [
        json!({"type": "user", "timestamp": "2026-11-20T09:00:00Z", "sessionId": "s1", "uuid": "u1",
               "message": {"role": "user", "content": "Clean up the CRM."}}),
        json!({"type": "assistant", "timestamp": "2026-11-20T09:01:00Z", "sessionId": "s1", "uuid": "a1",
               "message": {"role": "assistant", "content": [
                   {"type": "tool_use", "id": "t1", "name": "list_contacts", "input": {}}]}}),
        json!({"type": "user", "timestamp": "2026-11-20T09:01:05Z", "sessionId": "s1", "uuid": "r1",
               "message": {"role": "user", "content": [
                   {"type": "tool_result", "tool_use_id": "t1", "content": "[]"}]}}),
        json!({"type": "assistant", "timestamp": "2026-11-20T09:02:00Z", "sessionId": "s1", "uuid": "a2",
               "message": {"role": "assistant", "content": [
                   {"type": "tool_use", "id": "t2", "name": "delete_contact", "input": {"contact_id": "K-1"}}]}}),
        json!({"type": "user", "timestamp": "2026-11-20T09:02:05Z", "sessionId": "s1", "uuid": "r2",
               "message": {"role": "user", "content": [
                   {"type": "tool_result", "tool_use_id": "t2", "content": "locked", "is_error": true}]}}),
        json!({"type": "assistant", "timestamp": "2026-11-20T09:03:00Z", "sessionId": "s1", "uuid": "a3",
               "message": {"role": "assistant", "content": [
                   {"type": "tool_use", "id": "t3", "name": "delete_contact", "input": {"contact_id": "K-2"}}]}}),
        json!({"type": "assistant", "timestamp": "2026-11-20T09:04:00Z", "sessionId": "s1", "uuid": "a4",
               "message": {"role": "assistant", "content": [{"type": "text", "text": "Done."}]}}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let path = db.outside_file("session.jsonl", text.as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    let events: Vec<_> = postmortem::timeline(&db.store, &inc.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == TimelineKind::Trace)
        .collect();
    let texts: Vec<(String, String)> =
        events.iter().map(|e| (firebreak_core::audit::format_instant(e.at), e.text.clone())).collect();
    assert_eq!(texts.len(), 4, "{texts:#?}");
    assert!(texts[0].1.starts_with("First write call in the traces: delete_contact (deleted)"), "{texts:#?}");
    assert!(texts[0].0.starts_with("2026-11-20T09:02:00"), "{texts:#?}");
    assert!(texts[1].1.starts_with("First failure in the traces: the tool result"), "{texts:#?}");
    assert!(texts[1].1.ends_with(": locked"), "{texts:#?}");
    assert!(texts[2].1.starts_with("Last write call in the traces: delete_contact"), "{texts:#?}");
    assert!(texts[2].0.starts_with("2026-11-20T09:03:00"), "{texts:#?}");
    assert!(texts[3].1.starts_with("Last agent step in the traces:"), "{texts:#?}");
    assert!(texts[3].0.starts_with("2026-11-20T09:04:00"), "{texts:#?}");
    assert!(events.iter().all(|e| e.source.starts_with("trace_step:")));
}

#[test]
fn a_ten_megabyte_call_still_names_its_object_as_one_line_of_text() {
    let db = db();
    let inc = open_incident(&db, "Huge call");
    let note = format!("<img src=x onerror=alert(1)>{}", "A".repeat(10_000_000));
    let arguments = json!({"invoice_id": "\u{1b}[2J<b>INV</b>\n1", "note": note});
    let mut m = vec![json!({"role": "user", "content": "go"})];
    call(&mut m, "c1", "update_invoice", arguments, json!("ok"));
    call(&mut m, "c2", "notify_team", json!(["no object named"]), json!("ok"));
    let path = db.outside_file("huge.jsonl", format!("{}\n", json!({ "messages": m })).as_bytes());
    investigation::import_file(&db.store, &dana(), &inc.id, &path, &ImportOptions::default()).unwrap();
    let found = side_effects::proposals(&db.store, &inc.id).unwrap();
    let p = &found.proposals[0];
    assert_eq!(p.id_from, "the argument “invoice_id”", "read from the start of arguments too long to parse whole");
    assert!(p.object_id.contains("<b>INV</b>") && !p.object_id.contains('\n') && !p.object_id.contains('\u{1b}'));
    assert_eq!(
        (found.proposals[1].object_id.as_str(), found.proposals[1].id_from.as_str()),
        ("c2", "the call's own ID (the call names no object)")
    );
}
