//! Status gates and guidance: a status change the record does not support is refused with what is missing; an
//! owner may override with a written reason, logged as an override; walking every phase opens every gate.

mod common;

use common::*;
use firebreak_core::incident::{self, FieldChange};
use firebreak_core::people::{self, PersonDetails};
use firebreak_core::phases::affected::AuditQuestion;
use firebreak_core::phases::affected::{
    self, AgentAction, NewAffectedObject, ObjectChanges, ObjectStatus, RecoveryAction,
};
use firebreak_core::phases::containment::{self, ContainmentArea, ContainmentStatus};
use firebreak_core::phases::evidence::{self, EvidenceKind, EvidenceStatus};
use firebreak_core::phases::guidance;
use firebreak_core::phases::notification;
use firebreak_core::phases::overrides;
use firebreak_core::phases::pause::{self, PauseScope};
use firebreak_core::phases::postmortem::{self, ControlType, Postmortem, RootCauseLayer};
use firebreak_core::phases::reenable::{self, ReenableAnswerValue, ReenableQuestion, ReenableStage};
use firebreak_core::phases::{playbook, severity, Phase};
use firebreak_core::vocabulary::Status;
use firebreak_core::{verify, Error, ErrorCode};
use serde_json::json;
use std::collections::BTreeMap;

fn missing_for(db: &Db, id: &str, to: Status) -> Vec<String> {
    match guidance::set_status(&db.store, &dana(), id, to, None) {
        Err(Error::GateBlocked { missing, .. }) => missing,
        Err(other) => panic!("expected a gate refusal, got {other}"),
        Ok(_) => Vec::new(),
    }
}

fn status_of(db: &Db, id: &str) -> Status {
    incident::get(&db.store, id).unwrap().fields.status
}

#[test]
fn a_forward_move_the_record_does_not_support_is_refused_with_what_is_missing() {
    let db = db();
    let inc = open_incident(&db, "Gated");
    let missing = missing_for(&db, &inc.id, Status::Contained);
    assert!(missing.iter().any(|m| m.starts_with("Severity:")), "{missing:?}");
    assert!(missing.iter().any(|m| m.starts_with("Pause:")), "{missing:?}");
    assert_eq!(status_of(&db, &inc.id), Status::Investigating);
    // The generic field edit (the record form, `incident set`) passes the same gate.
    let err =
        guidance::update_incident(&db.store, &dana(), &inc.id, &[FieldChange::new("status", json!("closed"))], false)
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked);
    assert!(err.to_api().missing.iter().any(|m| m.starts_with("Postmortem:")));
    assert!(overrides::list(&db.store, &inc.id).unwrap().is_empty());
}

#[test]
fn an_owner_may_override_a_gate_only_with_a_written_reason_which_is_logged() {
    let db = db();
    let inc = open_incident(&db, "Overridden");
    let err = guidance::set_status(&db.store, &dana(), &inc.id, Status::Closed, Some("   ")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked);
    let after =
        guidance::set_status(&db.store, &dana(), &inc.id, Status::Closed, Some("Duplicate of AI-INC-2026-1120-004"))
            .unwrap();
    assert_eq!(after.fields.status, Status::Closed);
    let logged = overrides::list(&db.store, &inc.id).unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].kind, "gate:closed");
    assert_eq!(logged[0].reason, "Duplicate of AI-INC-2026-1120-004");
    assert!(logged[0].prior.iter().any(|m| m.starts_with("Postmortem:")));
    assert_eq!(logged[0].overridden_by, "Dana Reyes");
    let entry = incident::history(&db.store, &inc.id).unwrap().into_iter().rev().find(|e| e.field == "status").unwrap();
    assert!(entry.reason.unwrap().contains("Duplicate of"));
    // Reopening is always allowed.
    guidance::set_status(&db.store, &dana(), &inc.id, Status::Investigating, None).unwrap();
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn monitoring_waits_for_a_recovery_decision_on_every_affected_object() {
    let db = db();
    let inc = open_incident(&db, "Objects");
    let object = |id: &str| NewAffectedObject {
        system: "CRM".into(),
        object_type: "contact".into(),
        object_id: id.into(),
        action: AgentAction::Changed,
        occurred_at: None,
        evidence: String::new(),
        recovery_action: None,
        recovery_owner: String::new(),
        status: None,
    };
    affected::add(&db.store, &dana(), &inc.id, object("C-1")).unwrap();
    let second = affected::add(&db.store, &dana(), &inc.id, object("C-2")).unwrap();
    let missing = missing_for(&db, &inc.id, Status::Monitoring);
    assert!(
        missing.contains(&"Recovery: 2 affected objects have no decided recovery action".to_string()),
        "{missing:?}"
    );
    let decide = ObjectChanges { recovery_action: Some(RecoveryAction::RollBack), ..Default::default() };
    affected::update(&db.store, &dana(), &inc.id, &second.id, &decide).unwrap();
    let missing = missing_for(&db, &inc.id, Status::Monitoring);
    assert!(missing.contains(&"Recovery: 1 affected object has no decided recovery action".to_string()), "{missing:?}");
}

#[test]
fn walking_every_phase_opens_every_gate_up_to_closing() {
    let db = db();
    people::add(&db.store, &dana(), PersonDetails { name: "Priya Nair".into(), ..Default::default() }).unwrap();
    let inc = open_incident(&db, "Refund bot emailed wrong amounts");
    guidance::update_incident(
        &db.store,
        &dana(),
        &inc.id,
        &[FieldChange::new("incident_types", json!(["external_send"]))],
        false,
    )
    .unwrap();

    let answers =
        BTreeMap::from([("external_communication_wrong".to_string(), true), ("still_running".to_string(), true)]);
    severity::assess(&db.store, &dana(), &inc.id, answers, None, None).unwrap();
    let g = guidance::guidance(&db.store, &inc.id).unwrap();
    assert!(g.warnings.iter().any(|w| w.contains("nothing is paused")), "{:?}", g.warnings);
    pause::pause(&db.store, &dana(), &inc.id, PauseScope::Tool, "email.send", "Priya Nair", None).unwrap();
    assert!(guidance::guidance(&db.store, &inc.id).unwrap().warnings.is_empty());
    guidance::set_status(&db.store, &dana(), &inc.id, Status::Contained, None).unwrap();

    assert!(!missing_for(&db, &inc.id, Status::Recovering).is_empty());
    for &kind in EvidenceKind::ALL {
        evidence::set_status(
            &db.store,
            &dana(),
            &inc.id,
            kind,
            EvidenceStatus::NotApplicable,
            "Not kept by this agent",
        )
        .unwrap();
    }
    for &area in ContainmentArea::ALL {
        containment::set(&db.store, &dana(), &inc.id, area, ContainmentStatus::Done, None).unwrap();
    }
    guidance::set_status(&db.store, &dana(), &inc.id, Status::Recovering, None).unwrap();

    for view in playbook::playbooks_for(&db.store, &inc.id).unwrap() {
        for step in &view.steps {
            playbook::tick(&db.store, &dana(), &inc.id, &view.playbook.id, &step.step.key, true, None).unwrap();
        }
    }
    let sent = affected::add(
        &db.store,
        &dana(),
        &inc.id,
        NewAffectedObject {
            system: "Mail".into(),
            object_type: "email".into(),
            object_id: "M-1".into(),
            action: AgentAction::Sent,
            occurred_at: None,
            evidence: String::new(),
            recovery_action: Some(RecoveryAction::Notify),
            recovery_owner: "Priya Nair".into(),
            status: None,
        },
    )
    .unwrap();
    for &q in AuditQuestion::ALL {
        affected::answer(&db.store, &dana(), &inc.id, q, "Checked in the run record").unwrap();
    }
    assert!(!missing_for(&db, &inc.id, Status::Monitoring).is_empty(), "the object is not recovered yet");
    let done = ObjectChanges { status: Some(ObjectStatus::Recovered), ..Default::default() };
    affected::update(&db.store, &dana(), &inc.id, &sent.id, &done).unwrap();
    guidance::set_status(&db.store, &dana(), &inc.id, Status::Monitoring, None).unwrap();

    let closing = missing_for(&db, &inc.id, Status::Closed);
    assert!(closing.iter().any(|m| m.starts_with("Postmortem:")) && closing.iter().any(|m| m.starts_with("Re-enable")));
    assert!(closing.iter().any(|m| m.starts_with("Regulatory notification: Answer")), "{closing:?}");
    for q in ["personal_data", "nis2", "dora", "ai_act", "sec", "hipaa", "nydfs", "certin"] {
        notification::answer(&db.store, &dana(), &inc.id, q, "no").unwrap();
    }
    postmortem::add_remediation(
        &db.store,
        &dana(),
        &inc.id,
        ControlType::ApprovalGate,
        "Human approval on sends",
        "Priya Nair",
        None,
    )
    .unwrap();
    let pm = Postmortem {
        summary: "Wrong refund amounts were emailed".into(),
        root_cause: "The refund tool read a stale price list".into(),
        root_cause_layers: vec![RootCauseLayer::RetrievalData],
        completed: true,
        ..Default::default()
    };
    postmortem::save(&db.store, &dana(), &inc.id, pm).unwrap();
    let answers: Vec<_> = ReenableQuestion::ALL.iter().map(|&q| (q, ReenableAnswerValue::Yes)).collect();
    reenable::answer_all(&db.store, &dana(), &inc.id, &answers, "").unwrap();
    for &stage in &[
        ReenableStage::ReadOnly,
        ReenableStage::DraftOnly,
        ReenableStage::HumanApprovedWriteback,
        ReenableStage::LimitedProduction,
    ] {
        reenable::signoff(&db.store, &dana(), &inc.id, stage, "Priya Nair", "Safe at this stage").unwrap();
        assert!(!missing_for(&db, &inc.id, Status::Closed).is_empty(), "closing needs stage normal");
    }
    reenable::signoff(&db.store, &dana(), &inc.id, ReenableStage::Normal, "Priya Nair", "Back to normal").unwrap();
    guidance::set_status(&db.store, &dana(), &inc.id, Status::Closed, None).unwrap();
    assert_eq!(status_of(&db, &inc.id), Status::Closed);

    let g = guidance::guidance(&db.store, &inc.id).unwrap();
    assert!(g.phases.iter().filter(|p| p.phase != Phase::Communication).all(|p| p.complete), "{:?}", g.phases);
    assert!(overrides::list(&db.store, &inc.id).unwrap().is_empty(), "no gate was overridden");
    let status_reasons: Vec<_> = incident::history(&db.store, &inc.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.field == "status")
        .map(|e| e.reason)
        .collect();
    assert!(
        status_reasons.iter().all(Option::is_none),
        "a move the gates allow carries no override: {status_reasons:?}"
    );
    assert!(verify::verify(&db.store).unwrap().intact);
}
