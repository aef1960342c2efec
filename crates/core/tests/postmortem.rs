//! The postmortem: automatic timeline, completion rules, remediation and the shallow-fix warning.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::*;
use firebreak_core::incident;
use firebreak_core::phases::communication::{self, Audience};
use firebreak_core::phases::guidance;
use firebreak_core::phases::postmortem::{
    self, ControlType, Postmortem, RemediationStatus, RemediationUpdate, RootCauseLayer, TimelineKind,
};
use firebreak_core::phases::reenable::{self, ReenableAnswerValue, ReenableQuestion, ReenableStage};
use firebreak_core::vocabulary::Status;
use firebreak_core::{people, verify, ErrorCode};

fn intact(db: &Db) {
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn the_timeline_is_built_from_the_record_and_manual_entries_in_time_order() {
    let db = db();
    let now = Utc::now();
    let mut f = fields("Timeline");
    f.detected_at = Some(now - Duration::hours(3));
    f.aware_at = Some(now - Duration::hours(2));
    f.detected_by = Some(firebreak_core::vocabulary::DetectedBy::Customer);
    let inc = incident::create(&db.store, &dana(), f, false).unwrap();
    people::add(&db.store, &dana(), people::PersonDetails::named("Priya Nair")).unwrap();

    postmortem::add_timeline_entry(
        &db.store,
        &dana(),
        &inc.id,
        now - Duration::minutes(150),
        "Customer phoned support",
    )
    .unwrap();
    guidance::set_status(
        &db.store,
        &dana(),
        &inc.id,
        Status::Contained,
        Some("test: the timeline shows status changes"),
    )
    .unwrap();
    communication::draft(&db.store, &dana(), &inc.id, Audience::Security).unwrap();
    communication::approve(&db.store, &dana(), &inc.id, Audience::Security, "Priya Nair").unwrap();
    communication::mark_sent(&db.store, &dana(), &inc.id, Audience::Security, Utc::now(), "email").unwrap();
    let answers: Vec<_> = ReenableQuestion::ALL.iter().map(|&q| (q, ReenableAnswerValue::Yes)).collect();
    reenable::answer_all(&db.store, &dana(), &inc.id, &answers, "").unwrap();
    reenable::signoff(&db.store, &dana(), &inc.id, ReenableStage::ReadOnly, "Priya Nair", "Read-only is safe").unwrap();
    postmortem::add_timeline_entry(&db.store, &dana(), &inc.id, Utc::now(), "Postmortem meeting held").unwrap();

    let timeline = postmortem::timeline(&db.store, &inc.id).unwrap();
    let kinds: Vec<TimelineKind> = timeline.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            TimelineKind::Detection,
            TimelineKind::Manual,
            TimelineKind::Awareness,
            TimelineKind::Opened,
            TimelineKind::Status,
            TimelineKind::Communication,
            TimelineKind::Communication,
            TimelineKind::Signoff,
            TimelineKind::Manual,
        ],
        "{timeline:#?}"
    );
    assert!(timeline.windows(2).all(|w| w[0].at <= w[1].at), "sorted by time");
    assert_eq!(timeline[0].text, "Incident detected by customer");
    assert_eq!(timeline[1].text, "Customer phoned support");
    assert!(timeline[1].source.starts_with("timeline_entry:"));
    assert!(timeline[4].text.starts_with("Status set to contained"), "{}", timeline[4].text);
    assert!(timeline[5].text.contains("Security approved (by Priya Nair)"), "{}", timeline[5].text);
    assert!(timeline[6].text.contains("sent via email"), "{}", timeline[6].text);
    assert!(timeline[7].text.contains("read-only signed off by Priya Nair"), "{}", timeline[7].text);
    intact(&db);
}

#[test]
fn a_manual_entry_needs_text_and_a_past_time() {
    let db = db();
    let inc = open_incident(&db, "Manual entries");
    let err = postmortem::add_timeline_entry(&db.store, &dana(), &inc.id, Utc::now(), "  ").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("text")));
    let future = Utc::now() + Duration::hours(2);
    let err = postmortem::add_timeline_entry(&db.store, &dana(), &inc.id, future, "Later").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("at")));
    let manual = postmortem::timeline(&db.store, &inc.id).unwrap();
    assert!(manual.iter().all(|e| e.kind != TimelineKind::Manual), "nothing written");
}

#[test]
fn completing_is_refused_until_summary_root_cause_layer_and_remediation_exist() {
    let db = db();
    let inc = open_incident(&db, "Completion");
    let empty = postmortem::get(&db.store, &inc.id).unwrap();
    assert_eq!(empty.id, "", "no postmortem before the first save");
    let conn = db.store.connect().unwrap();
    assert!(!postmortem::progress(&conn, &inc).unwrap().complete);

    let err =
        postmortem::save(&db.store, &dana(), &inc.id, Postmortem { completed: true, ..empty.clone() }).unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("completed")));
    for part in ["a summary", "the root cause", "at least one root-cause layer", "at least one remediation item"] {
        assert!(err.to_string().contains(part), "{part}: {err}");
    }
    assert_eq!(postmortem::get(&db.store, &inc.id).unwrap().id, "", "nothing written");

    let draft = Postmortem {
        summary: "The agent retried a payment without an idempotency key.".into(),
        root_cause: "Retries were not idempotent.".into(),
        root_cause_layers: vec![RootCauseLayer::ToolsIntegrations],
        ..empty
    };
    let saved = postmortem::save(&db.store, &dana(), &inc.id, draft).unwrap();
    assert!(!saved.id.is_empty());
    let err =
        postmortem::save(&db.store, &dana(), &inc.id, Postmortem { completed: true, ..saved.clone() }).unwrap_err();
    assert!(err.to_string().contains("remediation item") && !err.to_string().contains("summary"), "{err}");

    postmortem::add_remediation(
        &db.store,
        &dana(),
        &inc.id,
        ControlType::Idempotency,
        "Idempotency keys on the payment tool",
        "Lee Chen",
        NaiveDate::from_ymd_opt(2030, 1, 31),
    )
    .unwrap();
    let done = postmortem::save(&db.store, &dana(), &inc.id, Postmortem { completed: true, ..saved.clone() }).unwrap();
    assert!(done.completed);
    assert_eq!(done.id, saved.id, "one postmortem per incident");
    let progress = postmortem::progress(&conn, &inc).unwrap();
    assert!(progress.complete, "{:?}", progress.missing);
    intact(&db);
}

#[test]
fn five_whys_at_most_and_numbers_not_negative() {
    let db = db();
    let inc = open_incident(&db, "Whys");
    let six: Vec<String> = (1..=6).map(|i| format!("why {i}")).collect();
    let err =
        postmortem::save(&db.store, &dana(), &inc.id, Postmortem { five_whys: six, ..Default::default() }).unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("five_whys")));
    assert_eq!(postmortem::get(&db.store, &inc.id).unwrap().id, "", "nothing written");

    let with_blanks = vec!["a".into(), " ".into(), "b".into(), "".into(), "c".into(), "d".into(), "e".into()];
    let saved =
        postmortem::save(&db.store, &dana(), &inc.id, Postmortem { five_whys: with_blanks, ..Default::default() })
            .unwrap();
    assert_eq!(saved.five_whys, vec!["a", "b", "c", "d", "e"]);

    let err = postmortem::save(&db.store, &dana(), &inc.id, Postmortem { impact_money: Some(-5.0), ..saved.clone() })
        .unwrap_err();
    assert_eq!(err.field(), Some("impact_money"));
    let err = postmortem::save(&db.store, &dana(), &inc.id, Postmortem { impact_hours: Some(f64::NAN), ..saved })
        .unwrap_err();
    assert_eq!(err.field(), Some("impact_hours"));
    let long = "x".repeat(20_001);
    let err =
        postmortem::save(&db.store, &dana(), &inc.id, Postmortem { summary: long, ..Default::default() }).unwrap_err();
    assert_eq!(err.field(), Some("summary"));
    intact(&db);
}

#[test]
fn fields_are_set_from_text_as_the_command_line_gives_them() {
    let p = Postmortem::default();
    let p = postmortem::assign(p, "five_whys", "Retry fired | no idempotency key | tool schema lacked it").unwrap();
    assert_eq!(p.five_whys.len(), 3);
    let p = postmortem::assign(p, "root_cause_layers", "tools_integrations, orchestration_state").unwrap();
    assert_eq!(p.root_cause_layers, vec![RootCauseLayer::ToolsIntegrations, RootCauseLayer::OrchestrationState]);
    let p = postmortem::assign(p, "impact_records", "12").unwrap();
    assert_eq!(p.impact_records, Some(12));
    let p = postmortem::assign(p, "impact_money", "1520.50").unwrap();
    assert_eq!(p.impact_money, Some(1520.5));
    for (field, text) in [
        ("impact_records", "-1"),
        ("impact_records", "1.5"),
        ("impact_users", "many"),
        ("root_cause_layers", "vibes"),
        ("contributing_factors", "bad luck"),
        ("completed", "maybe"),
    ] {
        let err = postmortem::assign(p.clone(), field, text).unwrap_err();
        assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some(field)), "{field}={text}");
    }
    let err = postmortem::assign(p, "colour", "red").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("not a postmortem field"));
}

#[test]
fn a_prompt_change_as_the_only_fix_is_flagged_as_shallow() {
    let db = db();
    let inc = open_incident(&db, "Shallow");
    let conn = db.store.connect().unwrap();
    assert_eq!(postmortem::shallow_warning(&conn, &inc).unwrap(), None, "no items, no warning");
    let prompt = postmortem::add_remediation(
        &db.store,
        &dana(),
        &inc.id,
        ControlType::PromptChange,
        "Tell the agent not to pay twice",
        "Lee Chen",
        None,
    )
    .unwrap();
    let warning = postmortem::shallow_warning(&conn, &inc).unwrap().expect("warned");
    assert!(warning.starts_with("The only fix is a prompt change: the postmortem is probably shallow"), "{warning}");
    postmortem::add_remediation(
        &db.store,
        &dana(),
        &inc.id,
        ControlType::ApprovalGate,
        "Payments above 1,000 need a person",
        "Sam Ortiz",
        None,
    )
    .unwrap();
    assert_eq!(postmortem::shallow_warning(&conn, &inc).unwrap(), None);

    let updated = postmortem::update_remediation(
        &db.store,
        &dana(),
        &inc.id,
        &prompt.id,
        RemediationUpdate {
            status: Some(RemediationStatus::Done),
            due_date: NaiveDate::from_ymd_opt(2030, 2, 1),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(updated.status, RemediationStatus::Done);
    assert_eq!(postmortem::remediation(&db.store, &inc.id).unwrap().len(), 2);

    let other = open_incident(&db, "Another");
    let err = postmortem::update_remediation(&db.store, &dana(), &other.id, &prompt.id, RemediationUpdate::default())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "an item of another incident");
    let err = postmortem::add_remediation(&db.store, &dana(), &inc.id, ControlType::Training, " ", "Lee Chen", None)
        .unwrap_err();
    assert_eq!(err.field(), Some("description"));
    let err =
        postmortem::add_remediation(&db.store, &dana(), &inc.id, ControlType::Training, "Train", "", None).unwrap_err();
    assert_eq!(err.field(), Some("owner"));
    intact(&db);
}
