//! Re-enable: the eleven answers, staged sign-offs by named approvers, the state hash, retiring the workflow.

mod common;

use chrono::{Duration, Utc};
use common::*;
use firebreak_core::incident::FieldChange;
use firebreak_core::phases::communication::{self, Audience};
use firebreak_core::phases::guidance;
use firebreak_core::phases::postmortem::{self, ControlType};
use firebreak_core::phases::reenable::{self, ReenableAnswerValue as A, ReenableQuestion as Q, ReenableStage as S};
use firebreak_core::{people, verify, ErrorCode};
use serde_json::json;

fn intact(db: &Db) {
    assert!(verify::verify(&db.store).unwrap().intact);
}

fn with_approver(db: &Db) {
    people::add(&db.store, &dana(), people::PersonDetails::named("Sam Ortiz")).unwrap();
}

fn all_yes(db: &Db, id: &str) {
    let answers: Vec<_> = Q::ALL.iter().map(|&q| (q, A::Yes)).collect();
    reenable::answer_all(&db.store, &dana(), id, &answers, "").unwrap();
}

fn sign(db: &Db, id: &str, stage: S) -> firebreak_core::Result<reenable::ReenableSignoff> {
    reenable::signoff(&db.store, &dana(), id, stage, "Sam Ortiz", &format!("Approve {stage}"))
}

#[test]
fn all_eleven_questions_are_listed_with_their_answers() {
    let db = db();
    let inc = open_incident(&db, "Questions");
    let states = reenable::answers(&db.store, &inc.id).unwrap();
    assert_eq!(states.len(), 11);
    assert!(states.iter().all(|s| s.answer.is_none()));
    reenable::answer(&db.store, &dana(), &inc.id, Q::RootCauseIdentified, A::No, "").unwrap();
    reenable::answer(&db.store, &dana(), &inc.id, Q::RootCauseIdentified, A::Yes, "").unwrap();
    let states = reenable::answers(&db.store, &inc.id).unwrap();
    let root = states.iter().find(|s| s.question == Q::RootCauseIdentified).unwrap();
    assert_eq!(root.answer, Some(A::Yes), "a new answer replaces the old one");
    assert_eq!(states.iter().filter(|s| s.answer.is_some()).count(), 1);
    intact(&db);
}

#[test]
fn an_exception_needs_a_note_and_a_bad_batch_writes_nothing() {
    let db = db();
    let inc = open_incident(&db, "Exceptions");
    let err = reenable::answer(&db.store, &dana(), &inc.id, Q::EvalsAdded, A::Exception, " ").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("note")));
    let batch = [(Q::PausedOrNarrowed, A::Yes), (Q::EvalsAdded, A::Exception)];
    let err = reenable::answer_all(&db.store, &dana(), &inc.id, &batch, "").unwrap_err();
    assert_eq!(err.field(), Some("note"));
    let twice = [(Q::PausedOrNarrowed, A::Yes), (Q::PausedOrNarrowed, A::No)];
    let err = reenable::answer_all(&db.store, &dana(), &inc.id, &twice, "").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(reenable::answers(&db.store, &inc.id).unwrap().iter().all(|s| s.answer.is_none()), "nothing written");

    let saved = reenable::answer(
        &db.store,
        &dana(),
        &inc.id,
        Q::EvalsAdded,
        A::Exception,
        "Approved by Sam Ortiz: evals next sprint",
    )
    .unwrap();
    assert_eq!(saved.note, "Approved by Sam Ortiz: evals next sprint");
    intact(&db);
}

#[test]
fn a_signoff_is_refused_while_any_answer_is_no_or_missing() {
    let db = db();
    with_approver(&db);
    let inc = open_incident(&db, "Gate");
    let err = sign(&db, &inc.id, S::ReadOnly).unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked);
    assert_eq!(err.to_api().missing.len(), 11, "every unanswered question is listed");

    let mut answers: Vec<_> = Q::ALL.iter().map(|&q| (q, A::Yes)).collect();
    answers[2].1 = A::No;
    answers.pop();
    reenable::answer_all(&db.store, &dana(), &inc.id, &answers, "").unwrap();
    let err = sign(&db, &inc.id, S::ReadOnly).unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked);
    assert_eq!(
        err.to_api().missing,
        vec![
            "Are the affected records corrected? (answered no)".to_string(),
            "Will a human monitor the first run? (not answered)".to_string(),
        ]
    );
    assert!(reenable::signoffs(&db.store, &inc.id).unwrap().is_empty(), "nothing written");

    // An owner-approved exception counts as answered.
    reenable::answer(&db.store, &dana(), &inc.id, Q::RecordsCorrected, A::Exception, "Sam Ortiz accepts: 3 left")
        .unwrap();
    reenable::answer(&db.store, &dana(), &inc.id, Q::FirstRunMonitored, A::Yes, "").unwrap();
    let signed = sign(&db, &inc.id, S::ReadOnly).unwrap();
    assert_eq!(signed.approver, "Sam Ortiz");
    assert_eq!(signed.state_hash.len(), 64);
    intact(&db);
}

#[test]
fn the_approver_must_be_a_named_person_and_the_statement_given() {
    let db = db();
    let inc = open_incident(&db, "Approver");
    all_yes(&db, &inc.id);
    let err = reenable::signoff(&db.store, &dana(), &inc.id, S::ReadOnly, "Sam Ortiz", "ok").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("approver")), "not in the directory");
    with_approver(&db);
    let err = reenable::signoff(&db.store, &dana(), &inc.id, S::ReadOnly, "", "ok").unwrap_err();
    assert_eq!(err.field(), Some("approver"));
    let err = reenable::signoff(&db.store, &dana(), &inc.id, S::ReadOnly, "Sam Ortiz", "  ").unwrap_err();
    assert_eq!(err.field(), Some("statement"));
    assert!(reenable::signoffs(&db.store, &inc.id).unwrap().is_empty());
}

#[test]
fn stages_are_signed_in_order_once_each() {
    let db = db();
    with_approver(&db);
    let inc = open_incident(&db, "Order");
    all_yes(&db, &inc.id);
    let err = sign(&db, &inc.id, S::DraftOnly).unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked);
    assert!(err.to_string().contains("the next stage to sign is read-only"), "{err}");
    sign(&db, &inc.id, S::ReadOnly).unwrap();
    let err = sign(&db, &inc.id, S::ReadOnly).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert!(err.to_string().contains("The next stage to sign is draft-only"), "{err}");
    let err = sign(&db, &inc.id, S::Normal).unwrap_err();
    assert!(err.to_string().contains("next stage to sign is draft-only"), "{err}");

    let conn = db.store.connect().unwrap();
    let progress = reenable::progress(&conn, &inc).unwrap();
    assert_eq!(progress.missing, vec!["Sign off stage draft-only (by a named approver)".to_string()]);
    for stage in [S::DraftOnly, S::HumanApprovedWriteback, S::LimitedProduction, S::Normal] {
        sign(&db, &inc.id, stage).unwrap();
    }
    assert!(reenable::progress(&conn, &inc).unwrap().complete);
    let err = sign(&db, &inc.id, S::Normal).unwrap_err();
    assert!(err.to_string().contains("All stages are signed"), "{err}");
    assert_eq!(reenable::signoffs(&db.store, &inc.id).unwrap().len(), 5);
    intact(&db);
}

#[test]
fn retiring_the_workflow_is_a_signed_decision_that_does_not_need_the_answers() {
    let db = db();
    with_approver(&db);
    let inc = open_incident(&db, "Retire");
    let err = reenable::signoff(&db.store, &dana(), &inc.id, S::Retired, "Sam Ortiz", "").unwrap_err();
    assert_eq!(err.field(), Some("statement"));
    let retired =
        reenable::signoff(&db.store, &dana(), &inc.id, S::Retired, "Sam Ortiz", "We stop using this agent").unwrap();
    assert_eq!(retired.stage, S::Retired);
    let conn = db.store.connect().unwrap();
    assert!(reenable::progress(&conn, &inc).unwrap().complete);
    all_yes(&db, &inc.id);
    let err = sign(&db, &inc.id, S::ReadOnly).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "nothing to sign after retiring");
    let err = reenable::record_first_run(&db.store, &dana(), &inc.id, &retired.id, Utc::now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    intact(&db);
}

#[test]
fn the_first_monitored_run_is_recorded_once_after_signing() {
    let db = db();
    with_approver(&db);
    let inc = open_incident(&db, "First run");
    all_yes(&db, &inc.id);
    let signed = sign(&db, &inc.id, S::ReadOnly).unwrap();
    let err =
        reenable::record_first_run(&db.store, &dana(), &inc.id, &signed.id, signed.signed_at - Duration::hours(1))
            .unwrap_err();
    assert_eq!(err.field(), Some("at"));
    let err = reenable::record_first_run(&db.store, &dana(), &inc.id, &signed.id, Utc::now() + Duration::hours(1))
        .unwrap_err();
    assert_eq!(err.field(), Some("at"));
    let at = Utc::now();
    let run = reenable::record_first_run(&db.store, &dana(), &inc.id, &signed.id, at).unwrap();
    assert!(run.first_run_at.is_some());
    let err = reenable::record_first_run(&db.store, &dana(), &inc.id, &signed.id, at).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    let other = open_incident(&db, "Other");
    let err = reenable::record_first_run(&db.store, &dana(), &other.id, &signed.id, at).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    intact(&db);
}

#[test]
fn the_state_hash_is_stable_and_changes_with_any_phase_row() {
    let db = db();
    with_approver(&db);
    let inc = open_incident(&db, "Hash");
    let other = open_incident(&db, "Unrelated");
    let hash = || {
        let conn = db.store.connect().unwrap();
        reenable::state_hash(&conn, &inc).unwrap()
    };
    let first = hash();
    assert_eq!(first, hash(), "stable");
    assert_eq!(first.len(), 64);

    // Changes to another incident leave it alone.
    communication::draft(&db.store, &dana(), &other.id, Audience::Security).unwrap();
    assert_eq!(first, hash());

    let mut seen = vec![first];
    let mut changed = |what: &str| {
        let now = hash();
        assert!(!seen.contains(&now), "{what} changes the hash");
        assert_eq!(now, hash(), "{what}: stable afterwards");
        seen.push(now);
    };
    guidance::update_incident(&db.store, &dana(), &inc.id, &[FieldChange::new("summary", json!("New summary"))], false)
        .unwrap();
    changed("an incident field");
    communication::draft(&db.store, &dana(), &inc.id, Audience::Security).unwrap();
    changed("a communication row");
    communication::approve(&db.store, &dana(), &inc.id, Audience::Security, "Sam Ortiz").unwrap();
    changed("a communication approval");
    postmortem::add_timeline_entry(&db.store, &dana(), &inc.id, Utc::now(), "Note").unwrap();
    changed("a timeline entry");
    postmortem::add_remediation(&db.store, &dana(), &inc.id, ControlType::RunRecords, "Keep run records", "Lee", None)
        .unwrap();
    changed("a remediation item");
    reenable::answer(&db.store, &dana(), &inc.id, Q::AuditComplete, A::Yes, "").unwrap();
    changed("a re-enable answer");
    reenable::answer(&db.store, &dana(), &inc.id, Q::AuditComplete, A::No, "").unwrap();
    changed("a changed answer");

    // The hash stored on a sign-off is the state at signing.
    all_yes(&db, &inc.id);
    let before = hash();
    let signed = sign(&db, &inc.id, S::ReadOnly).unwrap();
    assert_eq!(signed.state_hash, before);
    assert_ne!(hash(), before, "the sign-off itself is part of the state after it");
}

#[test]
fn the_screen_views_show_what_blocks_the_next_step() {
    let db = db();
    with_approver(&db);
    let inc = open_incident(&db, "Views");
    let view = reenable::view(&db.store, &inc.id).unwrap();
    assert_eq!(view.questions.len(), 11);
    assert_eq!(view.open.len(), 11);
    assert_eq!(view.next_stage, Some(S::ReadOnly));
    assert_eq!(view.stages.len(), 5);
    all_yes(&db, &inc.id);
    sign(&db, &inc.id, S::ReadOnly).unwrap();
    let view = reenable::view(&db.store, &inc.id).unwrap();
    assert!(view.open.is_empty());
    assert_eq!(view.next_stage, Some(S::DraftOnly));
    assert_eq!(view.signoffs.len(), 1);

    let pm = postmortem::view(&db.store, &inc.id).unwrap();
    assert_eq!(pm.missing.len(), 4);
    assert!(pm.shallow_warning.is_none());
    assert!(pm.timeline.iter().any(|e| e.kind == postmortem::TimelineKind::Signoff));
    postmortem::add_remediation(&db.store, &dana(), &inc.id, ControlType::PromptChange, "Reword", "Sam Ortiz", None)
        .unwrap();
    let pm = postmortem::view(&db.store, &inc.id).unwrap();
    assert_eq!(pm.missing.len(), 3);
    assert!(pm.shallow_warning.is_some());
    assert_eq!(pm.remediation.len(), 1);
    assert_eq!(pm.affected_objects, 0);
}
