//! Pause actions: recording and lifting them, the first pauses suggested by incident type, and the warning shown
//! while the agent is still running with nothing paused.

mod common;

use chrono::{Duration, SubsecRound, Utc};
use common::*;
use firebreak_core::incident::{FieldChange, Incident};
use firebreak_core::phases::guidance;
use firebreak_core::phases::pause::{self, PauseScope};
use firebreak_core::phases::severity;
use firebreak_core::{verify, ErrorCode};
use serde_json::json;
use std::collections::BTreeMap;

fn typed(db: &Db, title: &str, types: &[&str]) -> Incident {
    let inc = open_incident(db, title);
    let tags: Vec<_> = types.iter().map(|t| json!({"kind": t})).collect();
    guidance::update_incident(&db.store, &dana(), &inc.id, &[FieldChange::new("incident_types", json!(tags))], false)
        .unwrap()
}

fn answer_running(db: &Db, inc: &Incident, running: bool) {
    let answers = BTreeMap::from([("still_running".to_string(), running)]);
    severity::assess(&db.store, &dana(), &inc.id, answers, None, None).unwrap();
}

fn warning(db: &Db, inc: &Incident) -> bool {
    pause::needs_pause_warning(&db.store.connect().unwrap(), inc).unwrap()
}

#[test]
fn a_pause_records_scope_target_approver_and_time() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let before = Utc::now().trunc_subsecs(6);
    let p =
        pause::pause(&db.store, &dana(), &inc.id, PauseScope::Tool, " refund-sender ", " Sam Ortiz ", None).unwrap();
    assert_eq!((p.scope, p.target.as_str(), p.approved_by.as_str()), (PauseScope::Tool, "refund-sender", "Sam Ortiz"));
    assert!(p.paused_at >= before && p.paused_at <= Utc::now(), "defaults to now");
    assert_eq!((p.lifted_at, p.lifted_by.as_deref()), (None, None));
    let earlier = (Utc::now() - Duration::hours(3)).trunc_subsecs(0);
    let q =
        pause::pause(&db.store, &dana(), &inc.id, PauseScope::Trigger, "nightly backfill", "Sam Ortiz", Some(earlier))
            .unwrap();
    assert_eq!(q.paused_at, earlier);
    assert_eq!(pause::list(&db.store, &inc.id).unwrap(), vec![p, q]);
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn a_pause_without_target_or_approver_or_in_the_future_is_refused() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let future = Some(Utc::now() + Duration::hours(2));
    for (target, approver, at, field) in [
        ("  ", "Sam", None, "target"),
        ("refund tool", "", None, "approved_by"),
        ("refund tool", "Sam", future, "paused_at"),
    ] {
        let err = pause::pause(&db.store, &dana(), &inc.id, PauseScope::Tool, target, approver, at).unwrap_err();
        assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some(field)), "{err}");
    }
    assert!(pause::list(&db.store, &inc.id).unwrap().is_empty());
}

#[test]
fn a_pause_is_lifted_once_by_a_named_person() {
    let db = db();
    let inc = open_incident(&db, "Refund bot");
    let p = pause::pause(&db.store, &dana(), &inc.id, PauseScope::Sends, "outbound email", "Sam Ortiz", None).unwrap();
    let err = pause::lift(&db.store, &dana(), &inc.id, &p.id, " ", None).unwrap_err();
    assert_eq!(err.field(), Some("lifted_by"));
    let lifted = pause::lift(&db.store, &dana(), &inc.id, &p.id, "Lee Chen", None).unwrap();
    assert_eq!(lifted.lifted_by.as_deref(), Some("Lee Chen"));
    assert!(lifted.lifted_at.unwrap() >= p.paused_at);
    let err = pause::lift(&db.store, &dana(), &inc.id, &p.id, "Lee Chen", None).unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("pause_id")));
    assert!(err.to_string().contains("already lifted by Lee Chen"), "{err}");
    assert_eq!(pause::list(&db.store, &inc.id).unwrap(), vec![lifted]);
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn lifting_a_pause_of_another_incident_or_before_it_began_is_refused() {
    let db = db();
    let a = open_incident(&db, "A");
    let b = open_incident(&db, "B");
    let hour_ago = Utc::now() - Duration::hours(1);
    let p = pause::pause(&db.store, &dana(), &a.id, PauseScope::Queue, "approvals", "Sam", Some(hour_ago)).unwrap();
    let err = pause::lift(&db.store, &dana(), &b.id, &p.id, "Lee", None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let err = pause::lift(&db.store, &dana(), &a.id, "no-such-pause", "Lee", None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let err = pause::lift(&db.store, &dana(), &a.id, &p.id, "Lee", Some(hour_ago - Duration::minutes(5))).unwrap_err();
    assert_eq!(err.field(), Some("lifted_at"));
    let err = pause::lift(&db.store, &dana(), &a.id, &p.id, "Lee", Some(Utc::now() + Duration::days(1))).unwrap_err();
    assert_eq!(err.field(), Some("lifted_at"));
    assert_eq!(pause::list(&db.store, &a.id).unwrap(), vec![p], "nothing changed");
}

#[test]
fn first_pauses_are_suggested_from_the_incident_types() {
    let db = db();
    let cases: &[(&str, PauseScope, &str)] = &[
        ("bad_writeback", PauseScope::Tool, "draft-only"),
        ("external_send", PauseScope::Tool, "send tool"),
        ("duplicate_work", PauseScope::Trigger, "retries and backfills"),
        ("cost_runaway", PauseScope::Workflow, "budget"),
        ("prompt_injection", PauseScope::Source, "injected source"),
        ("sensitive_data_exposure", PauseScope::Permission, "connector"),
        ("cross_tenant_leak", PauseScope::Permission, "connector"),
        ("malicious_plugin", PauseScope::Tool, "plugin"),
        ("tool_misuse", PauseScope::Tool, "misused tool"),
        ("approval_bypass", PauseScope::Queue, "approval"),
        ("missed_workflow", PauseScope::Trigger, "schedule or trigger"),
        ("stale_or_wrong_input", PauseScope::Source, "input source"),
        ("policy_drift", PauseScope::Workflow, "workflow"),
    ];
    for (kind, scope, words) in cases {
        let inc = typed(&db, kind, &[kind]);
        let first = &pause::suggestions(&inc)[0];
        assert_eq!(first.scope, *scope, "{kind}");
        assert!(first.target.contains(words), "{kind}: {}", first.target);
        assert!(!first.why.is_empty());
    }
    let injection = typed(&db, "injection", &["prompt_injection"]);
    let scopes: Vec<PauseScope> = pause::suggestions(&injection).iter().map(|s| s.scope).collect();
    assert_eq!(scopes, vec![PauseScope::Source, PauseScope::Sends], "cut the source and outbound sends");
    let leak = typed(&db, "both leaks", &["sensitive_data_exposure", "cross_tenant_leak"]);
    assert_eq!(pause::suggestions(&leak).len(), 1, "the same suggestion is not repeated");
    assert!(pause::suggestions(&open_incident(&db, "untyped")).is_empty());
}

#[test]
fn the_warning_shows_while_still_running_and_nothing_is_paused() {
    let db = db();
    let inc = open_incident(&db, "Runaway");
    assert!(!warning(&db, &inc), "no assessment yet: nothing to warn about");
    answer_running(&db, &inc, true);
    assert!(warning(&db, &inc));
    let p = pause::pause(&db.store, &dana(), &inc.id, PauseScope::Workflow, "the job", "Sam", None).unwrap();
    assert!(!warning(&db, &inc));
    pause::lift(&db.store, &dana(), &inc.id, &p.id, "Sam", None).unwrap();
    assert!(warning(&db, &inc), "a lifted pause does not count");
    answer_running(&db, &inc, false);
    assert!(!warning(&db, &inc), "the latest assessment counts");
}

#[test]
fn progress_needs_a_pause_or_a_stopped_agent() {
    let db = db();
    let inc = typed(&db, "Sends", &["external_send"]);
    let conn = db.store.connect().unwrap();
    let p = pause::progress(&conn, &inc).unwrap();
    assert!(!p.complete);
    assert_eq!(p.missing.len(), 1);
    assert!(p.next.unwrap().contains("send tool"), "the next step is the suggested pause");
    answer_running(&db, &inc, true);
    assert!(pause::progress(&conn, &inc).unwrap().missing[0].contains("still running"));
    answer_running(&db, &inc, false);
    assert!(pause::progress(&conn, &inc).unwrap().complete);

    let other = open_incident(&db, "Paused");
    pause::pause(&db.store, &dana(), &other.id, PauseScope::Tool, "mailer", "Sam", None).unwrap();
    let p = pause::progress(&conn, &other).unwrap();
    assert!(p.complete && p.missing.is_empty() && p.next.is_none());
}
