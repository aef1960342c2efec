//! Regulatory notification for one incident: applicability, triggers with who decided them, clocks and their
//! states, legal overrides, and notifications from draft to a frozen, hashed submission.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::*;
use firebreak_core::incident::FieldChange;
use firebreak_core::people::{self, PersonDetails};
use firebreak_core::phases::notification::{
    self, ClockState, Decision, DecisionInput, NotificationChanges, NotificationStatus, RegimeClocks, SubmitInput,
};
use firebreak_core::phases::{guidance, Phase};
use firebreak_core::{verify, ErrorCode};
use serde_json::json;
use std::collections::BTreeMap;

const LEGAL: &str = "Lena Vogel";

fn setup() -> (Db, String) {
    let db = db();
    people::add(&db.store, &dana(), PersonDetails { name: LEGAL.into(), ..Default::default() }).unwrap();
    people::add(&db.store, &dana(), PersonDetails::named("Dana Reyes")).unwrap();
    let inc = open_incident(&db, "Support agent exported customer records to a public bucket");
    guidance::update_incident(
        &db.store,
        &dana(),
        &inc.id,
        &[
            FieldChange::new("summary", json!("The agent copied 1,200 customer profiles to a public bucket.")),
            FieldChange::new("data_classes", json!(["personal_data"])),
            FieldChange::new("customer_impact", json!("Names and emails of 1,200 customers exposed")),
            FieldChange::new("commander", json!("Dana Reyes")),
        ],
        false,
    )
    .unwrap();
    (db, inc.id)
}

fn answer(db: &Db, id: &str, pairs: &[(&str, &str)]) {
    for (q, a) in pairs {
        notification::answer(&db.store, &dana(), id, q, a).unwrap();
    }
}

fn regime(db: &Db, id: &str, regime: &str, now: DateTime<Utc>) -> RegimeClocks {
    notification::clocks(&db.store, id, now).unwrap().regimes.into_iter().find(|r| r.regime == regime).unwrap()
}

fn applies(db: &Db, id: &str, regime: &str, variant: Option<&str>) {
    let input = DecisionInput {
        decision: Some(Decision::Applies),
        decided_by: LEGAL.into(),
        variant: variant.map(str::to_string),
        ..Default::default()
    };
    notification::decide(&db.store, &dana(), id, regime, input).unwrap();
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn intact(db: &Db) {
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn the_questionnaire_suggests_regimes_with_its_reasoning() {
    let (db, id) = setup();
    let view = notification::clocks(&db.store, &id, Utc::now()).unwrap();
    assert!(view.record_mentions_personal_data, "the record's data classes hint at personal data");
    assert!(view.regimes.iter().all(|r| !r.suggestion.suggested), "nothing is suggested before any answer");

    answer(&db, &id, &[("personal_data", "yes"), ("locations", "eu_eea,us_ca"), ("high_risk", "unsure")]);
    let suggested = |db: &Db| -> Vec<String> {
        notification::clocks(&db.store, &id, Utc::now())
            .unwrap()
            .regimes
            .into_iter()
            .filter(|r| r.suggestion.suggested)
            .map(|r| r.regime)
            .collect()
    };
    assert_eq!(suggested(&db), ["gdpr-art33", "gdpr-art34", "us-ca"]);
    let gdpr = regime(&db, &id, "gdpr-art33", Utc::now());
    assert!(gdpr.suggestion.reasons.iter().any(|r| r == "People in EU / EEA: yes"), "{:?}", gdpr.suggestion);
    assert!(gdpr.applicable && !gdpr.confirmed, "a suggested regime's clocks run before anyone confirms it");
    let art34 = regime(&db, &id, "gdpr-art34", Utc::now());
    assert!(art34.suggestion.reasons.iter().any(|r| r.contains("not sure yet, so treated as yes")));

    // "Unlikely to result in a risk" takes Art. 33 out, and says the reasoning must be recorded.
    answer(&db, &id, &[("risk", "no")]);
    let gdpr = regime(&db, &id, "gdpr-art33", Utc::now());
    assert!(!gdpr.suggestion.suggested);
    assert!(gdpr.suggestion.reasons.iter().any(|r| r.contains("Art. 33(5)")), "{:?}", gdpr.suggestion);

    answer(&db, &id, &[("sec", "yes"), ("dora", "no")]);
    assert!(suggested(&db).contains(&"sec-8k-105".to_string()));
    assert!(!suggested(&db).contains(&"dora".to_string()));

    let bad = notification::answer(&db.store, &dana(), &id, "locations", "eu_eea,mars").unwrap_err();
    assert_eq!(bad.code(), ErrorCode::InvalidInput);
    assert!(bad.to_string().contains("\"mars\" is not a place"), "{bad}");
    let bad = notification::answer(&db.store, &dana(), &id, "sec", "maybe").unwrap_err();
    assert!(bad.to_string().contains("answer yes, no or unsure"), "{bad}");
    let after = notification::clocks(&db.store, &id, Utc::now()).unwrap().answers;
    assert_eq!(after.sec, Some(notification::Answer::Yes), "a refused answer changes nothing");
    intact(&db);
}

#[test]
fn not_applicable_needs_the_reasoning_and_variants_must_be_chosen() {
    let (db, id) = setup();
    let no_reason =
        DecisionInput { decision: Some(Decision::NotApplicable), decided_by: LEGAL.into(), ..Default::default() };
    let err = notification::decide(&db.store, &dana(), &id, "gdpr-art33", no_reason.clone()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("Art. 33(5)"), "{err}");

    let reasoned = DecisionInput { reason: "Encrypted with a key that was not exposed".into(), ..no_reason };
    let d = notification::decide(&db.store, &dana(), &id, "gdpr-art33", reasoned).unwrap();
    assert_eq!(d.decided_by.as_deref(), Some(LEGAL));
    let gdpr = regime(&db, &id, "gdpr-art33", Utc::now());
    assert!(!gdpr.applicable && gdpr.stages.is_empty(), "no clock for a regime that does not apply");

    let input = DecisionInput { decision: Some(Decision::Applies), decided_by: LEGAL.into(), ..Default::default() };
    let err = notification::decide(&db.store, &dana(), &id, "eu-ai-act-art73", input.clone()).unwrap_err();
    assert!(err.to_string().contains("general, widespread, death"), "{err}");
    let err = notification::decide(
        &db.store,
        &dana(),
        &id,
        "eu-ai-act-art73",
        DecisionInput { variant: Some("minor".into()), ..input.clone() },
    )
    .unwrap_err();
    assert!(err.to_string().contains("\"minor\" is not a variant"), "{err}");
    let unknown = DecisionInput { decided_by: "Nobody Known".into(), ..input };
    let err = notification::decide(&db.store, &dana(), &id, "nis2", unknown).unwrap_err();
    assert!(err.to_string().contains("not in the people directory"), "{err}");
    intact(&db);
}

#[test]
fn a_trigger_starts_the_clock_and_moving_it_is_audited_and_moves_the_clock() {
    let (db, id) = setup();
    applies(&db, &id, "gdpr-art33", None);
    let now = Utc::now();
    let gdpr = regime(&db, &id, "gdpr-art33", now);
    assert_eq!(gdpr.stages[0].state, ClockState::Waiting);
    assert_eq!(gdpr.stages[0].waits_for.as_deref(), Some("awareness"));

    let aware = at("2026-03-27T09:00:00Z"); // Friday before the EU switch to summer time
    notification::set_trigger(&db.store, &dana(), &id, "gdpr-art33", "awareness", aware, LEGAL, "").unwrap();
    let gdpr = regime(&db, &id, "gdpr-art33", aware + Duration::hours(1));
    assert_eq!(gdpr.stages[0].due, Some(at("2026-03-30T09:00:00Z")), "72 hours, DST does not matter");
    assert_eq!(gdpr.triggers[0].decided_by, LEGAL);

    let moved = at("2026-03-27T15:30:00Z");
    let err =
        notification::set_trigger(&db.store, &dana(), &id, "gdpr-art33", "awareness", moved, LEGAL, "").unwrap_err();
    assert!(err.to_string().contains("say why it changes"), "{err}");
    notification::set_trigger(
        &db.store,
        &dana(),
        &id,
        "gdpr-art33",
        "awareness",
        moved,
        LEGAL,
        "Awareness was when the DPO confirmed the export, not the first alert",
    )
    .unwrap();
    let gdpr = regime(&db, &id, "gdpr-art33", moved);
    assert_eq!(gdpr.stages[0].due, Some(at("2026-03-30T15:30:00Z")));
    let reason: String = outsider(&db)
        .query_row(
            "SELECT reason FROM audit_log WHERE entity = 'regime_trigger' AND field = 'at' AND old_value IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("the move is audited with its reason");
    assert!(reason.contains("DPO confirmed"), "{reason}");

    let err =
        notification::set_trigger(&db.store, &dana(), &id, "gdpr-art33", "materiality", moved, LEGAL, "").unwrap_err();
    assert!(err.to_string().contains("Its triggers: awareness"), "{err}");
    let future = Utc::now() + Duration::days(2);
    let err = notification::set_trigger(&db.store, &dana(), &id, "nis2", "awareness", future, LEGAL, "").unwrap_err();
    assert!(err.to_string().contains("in the future"), "{err}");
    intact(&db);
}

#[test]
fn states_follow_the_time_left() {
    let (db, id) = setup();
    applies(&db, &id, "gdpr-art33", None);
    let aware = at("2026-06-01T08:00:00Z");
    notification::set_trigger(&db.store, &dana(), &id, "gdpr-art33", "awareness", aware, LEGAL, "").unwrap();
    let due = aware + Duration::hours(72);
    let cases = [
        (aware, ClockState::Upcoming),
        (due - Duration::hours(24), ClockState::Due24h),
        (due - Duration::hours(5), ClockState::Due24h),
        (due - Duration::hours(4), ClockState::Due4h),
        (due - Duration::seconds(1), ClockState::Due4h),
        (due, ClockState::Due4h),
        (due + Duration::seconds(1), ClockState::Overdue),
    ];
    for (now, state) in cases {
        assert_eq!(regime(&db, &id, "gdpr-art33", now).stages[0].state, state, "at {now}");
    }
    use notification::AlertLevel;
    assert_eq!(notification::alert_level(due, due - Duration::hours(25)), None);
    assert_eq!(notification::alert_level(due, due - Duration::hours(24)), Some(AlertLevel::Hours24));
    assert_eq!(notification::alert_level(due, due - Duration::hours(3)), Some(AlertLevel::Hours4));
    assert_eq!(notification::alert_level(due, due - Duration::minutes(59)), Some(AlertLevel::Hours1));
    assert_eq!(notification::alert_level(due, due + Duration::minutes(1)), Some(AlertLevel::Overdue));

    let view = notification::clocks(&db.store, &id, due - Duration::hours(2)).unwrap();
    let urgent = view.most_urgent.unwrap();
    assert_eq!((urgent.regime.as_str(), urgent.state), ("gdpr-art33", ClockState::Due4h));
    let open = notification::open_clocks(&db.store, due - Duration::hours(2)).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].due, due);
}

#[test]
fn the_authority_zone_sets_day_counts_and_both_zones_are_shown() {
    let (db, id) = setup();
    applies(&db, &id, "hipaa", None);
    let discovery = at("2026-01-10T03:00:00Z"); // 9 January, 22:00 in New York
    notification::set_trigger(&db.store, &dana(), &id, "hipaa", "discovery", discovery, LEGAL, "").unwrap();
    let utc = regime(&db, &id, "hipaa", discovery);
    notification::set_zone(&db.store, &dana(), &id, "hipaa", "America/New_York", "").unwrap();
    let ny = regime(&db, &id, "hipaa", discovery);
    assert_eq!(ny.zone, "America/New_York");
    // 60 days after 9 January (New York) ends 10 March 23:59:59 EDT; from 10 January UTC it is 11 March UTC.
    assert_eq!(ny.stages[0].due, Some(at("2026-03-11T03:59:59Z")));
    assert_eq!(utc.stages[0].due, Some(at("2026-03-11T23:59:59Z")));
    assert!(ny.stages[0].due_authority.as_deref().unwrap().starts_with("2026-03-10 23:59"));
    let err = notification::set_zone(&db.store, &dana(), &id, "hipaa", "Mars/Olympus", "").unwrap_err();
    assert!(err.to_string().contains("not an IANA time zone"), "{err}");
    let err = notification::set_zone(&db.store, &dana(), &id, "dora", "", "xx_nowhere").unwrap_err();
    assert!(err.to_string().contains("not a holiday calendar"), "{err}");
}

#[test]
fn a_legal_override_replaces_the_due_time_and_the_computed_one_stays_visible() {
    let (db, id) = setup();
    applies(&db, &id, "gdpr-art33", None);
    let aware = at("2026-06-01T08:00:00Z");
    notification::set_trigger(&db.store, &dana(), &id, "gdpr-art33", "awareness", aware, LEGAL, "").unwrap();
    let later = at("2026-06-05T12:00:00Z");
    let err =
        notification::override_due(&db.store, &dana(), &id, "gdpr-art33", "notification", Some(later), " ", LEGAL)
            .unwrap_err();
    assert!(err.to_string().contains("Say why"), "{err}");
    notification::override_due(
        &db.store,
        &dana(),
        &id,
        "gdpr-art33",
        "notification",
        Some(later),
        "Authority agreed an extension by phone, ref. 2026-118",
        LEGAL,
    )
    .unwrap();
    let stage = &regime(&db, &id, "gdpr-art33", aware).stages[0];
    assert_eq!(stage.computed_due, Some(aware + Duration::hours(72)));
    assert_eq!(stage.due, Some(later));
    assert_eq!(stage.due_override.as_ref().unwrap().decided_by, LEGAL);
    let err = notification::override_due(&db.store, &dana(), &id, "gdpr-art33", "filing", Some(later), "x", LEGAL)
        .unwrap_err();
    assert!(err.to_string().contains("Its stages: notification"), "{err}");
    intact(&db);
}

#[test]
fn a_notification_goes_from_draft_to_approved_to_a_frozen_hashed_submission() {
    let (db, id) = setup();
    applies(&db, &id, "gdpr-art33", None);
    let aware = Utc::now() - Duration::hours(10);
    notification::set_trigger(&db.store, &dana(), &id, "gdpr-art33", "awareness", aware, LEGAL, "").unwrap();

    let draft = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    assert_eq!((draft.sequence, draft.status), (1, NotificationStatus::Draft));
    assert!(draft.content["nature"].contains("public bucket"), "prefilled from the record: {:?}", draft.content);
    assert!(draft.content["contact"].starts_with("Dana Reyes"));
    assert!(draft.content["records"].contains("Personal data"));
    assert!(draft.text.contains("Names and emails of 1,200 customers exposed"), "{}", draft.text);
    let again = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    assert_eq!(again.id, draft.id, "drafting again returns the open draft");

    // Nothing prefills "measures": approval is refused and says what is missing.
    let err = notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked);
    let missing = err.to_api().missing;
    assert!(missing.iter().any(|m| m.starts_with("Measures taken or proposed")), "{missing:?}");
    let err = notification::submit(&db.store, &dana(), &draft.id, submit_now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked, "no submission before approval");

    let changes = NotificationChanges {
        content: BTreeMap::from([("measures".to_string(), "Bucket made private; agent paused".to_string())]),
        delay_reasons: None,
    };
    let edited = notification::edit(&db.store, &dana(), &draft.id, changes).unwrap();
    assert!(edited.notification.text.contains("Bucket made private"));
    let approved = notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();
    assert_eq!(approved.approved_by.as_deref(), Some(LEGAL));

    // Changing approved content sends it back for approval.
    let tweak = NotificationChanges {
        content: BTreeMap::from([("measures".to_string(), "Bucket made private; agent paused; keys rotated".into())]),
        delay_reasons: None,
    };
    let back = notification::edit(&db.store, &dana(), &draft.id, tweak).unwrap();
    assert_eq!(back.notification.status, NotificationStatus::Draft);
    assert!(back.notice.unwrap().contains("needs approval again"));
    notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();

    let submitted = notification::submit(
        &db.store,
        &dana(),
        &draft.id,
        SubmitInput { at: Utc::now(), channel: "DPC online form".into(), reference: "BN-2026-0042".into() },
    )
    .unwrap();
    assert_eq!(submitted.text_hash.as_deref(), Some(notification::text_hash(&submitted.text).as_str()));
    assert_eq!(submitted.text_hash.as_ref().unwrap().len(), 64);
    let stage = &regime(&db, &id, "gdpr-art33", Utc::now()).stages[0];
    assert_eq!(stage.state, ClockState::SubmittedOnTime);
    let err = notification::edit(&db.store, &dana(), &draft.id, NotificationChanges::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert!(err.to_string().contains("Draft a supplement"), "{err}");

    // Phased: a supplement after the first submission, with its own life.
    let supplement = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    assert_eq!(supplement.sequence, 2);
    assert!(supplement.text.starts_with("Supplementary information no. 1"), "{}", supplement.text);
    assert_eq!(
        supplement.content.get("measures").map(String::as_str),
        Some("Bucket made private; agent paused; keys rotated"),
        "a supplement starts from what was submitted, not from the record again"
    );
    assert_eq!(supplement.content.get("nature"), submitted.content.get("nature"));
    intact(&db);

    // The kept text is what was submitted: editing it behind Firebreak's back is found.
    outsider(&db)
        .execute("UPDATE notifications SET text = '\"We had no breach.\"' WHERE uuid = ?1", [&draft.id])
        .unwrap();
    assert!(!verify::verify(&db.store).unwrap().intact);
}

fn submit_now() -> SubmitInput {
    SubmitInput { at: Utc::now(), channel: String::new(), reference: String::new() }
}

#[test]
fn a_late_notification_needs_reasons_for_the_delay() {
    let (db, id) = setup();
    applies(&db, &id, "gdpr-art33", None);
    let aware = Utc::now() - Duration::hours(80);
    notification::set_trigger(&db.store, &dana(), &id, "gdpr-art33", "awareness", aware, LEGAL, "").unwrap();
    let draft = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    assert!(draft.text.contains("Reasons for the delay"), "a late draft asks for the reasons: {}", draft.text);
    let changes = NotificationChanges {
        content: BTreeMap::from([("measures".to_string(), "Agent paused".to_string())]),
        delay_reasons: None,
    };
    notification::edit(&db.store, &dana(), &draft.id, changes).unwrap();
    let err = notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap_err();
    assert!(err.to_api().missing.iter().any(|m| m.starts_with("Reasons for the delay")), "{err}");
    let reasons = NotificationChanges {
        delay_reasons: Some("The export was found in a weekend log review".into()),
        ..Default::default()
    };
    notification::edit(&db.store, &dana(), &draft.id, reasons).unwrap();
    notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();
    notification::submit(&db.store, &dana(), &draft.id, submit_now()).unwrap();
    assert_eq!(regime(&db, &id, "gdpr-art33", Utc::now()).stages[0].state, ClockState::SubmittedLate);
}

#[test]
fn an_approved_draft_submitted_after_the_due_time_needs_the_reasons_first() {
    let (db, id) = setup();
    applies(&db, &id, "in-certin", None);
    let noticed = Utc::now() - Duration::hours(7);
    notification::set_trigger(&db.store, &dana(), &id, "in-certin", "noticed", noticed, LEGAL, "").unwrap();
    let draft = notification::start(&db.store, &dana(), &id, "in-certin", "report").unwrap();
    let reasons = NotificationChanges { delay_reasons: Some("Weekend".into()), ..Default::default() };
    notification::edit(&db.store, &dana(), &draft.id, reasons).unwrap();
    notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();
    // Approved (late, with reasons) and submitted: fine. A draft approved in time but submitted late is not.
    notification::submit(&db.store, &dana(), &draft.id, submit_now()).unwrap();

    let (db, id) = setup();
    applies(&db, &id, "in-certin", None);
    let noticed = Utc::now() - Duration::hours(2);
    notification::set_trigger(&db.store, &dana(), &id, "in-certin", "noticed", noticed, LEGAL, "").unwrap();
    let draft = notification::start(&db.store, &dana(), &id, "in-certin", "report").unwrap();
    notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();
    let late = SubmitInput { at: Utc::now() + Duration::hours(5), ..submit_now() };
    let err = notification::submit(&db.store, &dana(), &draft.id, late).unwrap_err();
    assert!(err.to_string().contains("in the future"), "{err}");
    // Legal moves the due time before now (say, the authority's reading is stricter): the approved draft is now late.
    let earlier = Utc::now() - Duration::minutes(30);
    let why = "CERT-In counts from the first alert";
    notification::override_due(&db.store, &dana(), &id, "in-certin", "report", Some(earlier), why, LEGAL).unwrap();
    let err = notification::submit(&db.store, &dana(), &draft.id, submit_now()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked);
    assert!(err.to_string().contains("add the reasons for the delay"), "{err}");
    let stored = notification::open_draft(&db.store, &id, "in-certin", "report").unwrap().unwrap();
    assert_eq!(stored.status, NotificationStatus::Approved, "the refused submission changed nothing");
}

#[test]
fn a_chained_stage_starts_from_the_recorded_submission() {
    let (db, id) = setup();
    applies(&db, &id, "nis2", None);
    let aware = Utc::now() - Duration::hours(30);
    notification::set_trigger(&db.store, &dana(), &id, "nis2", "awareness", aware, LEGAL, "").unwrap();
    let nis2 = regime(&db, &id, "nis2", Utc::now());
    let final_report = nis2.stages.iter().find(|s| s.stage == "final-report").unwrap();
    assert_eq!(final_report.state, ClockState::Waiting);
    assert!(final_report.rule.contains("starts when notification is submitted"), "{}", final_report.rule);

    let draft = notification::start(&db.store, &dana(), &id, "nis2", "notification").unwrap();
    let fill = NotificationChanges {
        content: BTreeMap::from([
            ("update".to_string(), "Contained; no further exfiltration".to_string()),
            ("severity_impact".to_string(), "High: customer data exposed".to_string()),
        ]),
        delay_reasons: None,
    };
    notification::edit(&db.store, &dana(), &draft.id, fill).unwrap();
    notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();
    let sent = Utc.with_ymd_and_hms(2026, 1, 31, 10, 0, 0).unwrap().max(aware);
    let sent = sent.min(Utc::now());
    notification::submit(&db.store, &dana(), &draft.id, SubmitInput { at: sent, ..submit_now() }).unwrap();
    let nis2 = regime(&db, &id, "nis2", Utc::now());
    let final_report = nis2.stages.iter().find(|s| s.stage == "final-report").unwrap();
    assert!(final_report.due.is_some(), "the follow-up clock started: {}", final_report.rule);
    assert!(final_report.due.unwrap() > sent + Duration::days(27));
    let early = nis2.stages.iter().find(|s| s.stage == "early-warning").unwrap();
    assert_eq!(early.state, ClockState::Overdue, "nothing was submitted for the early warning");
}

#[test]
fn closing_waits_for_the_regulatory_phase() {
    let (db, id) = setup();
    answer(&db, &id, &[("personal_data", "yes"), ("locations", "eu_eea"), ("risk", "yes"), ("high_risk", "no")]);
    let g = firebreak_core::phases::guidance::guidance(&db.store, &id).unwrap();
    let phase = g.phases.iter().find(|p| p.phase == Phase::Notification).unwrap();
    assert!(!phase.complete);
    assert!(phase.missing.iter().any(|m| m.contains("Confirm whether GDPR Art. 33 applies")), "{:?}", phase.missing);
}

#[test]
fn every_built_in_template_renders_every_item_and_reports_what_is_missing() {
    let (db, id) = setup();
    let catalog = notification::catalog(&db.store).unwrap();
    let aware = Utc::now() - Duration::hours(1);
    for regime_def in &catalog.regimes {
        let variant = regime_def.variants.first().map(String::as_str);
        applies(&db, &id, &regime_def.id, variant);
        for kind in &regime_def.triggers {
            notification::set_trigger(&db.store, &dana(), &id, &regime_def.id, kind, aware, LEGAL, "").unwrap();
        }
        let stages: Vec<_> =
            regime_def.stages.iter().filter(|s| s.variant.is_none() || s.variant.as_deref() == variant).collect();
        for stage in stages {
            let draft = notification::start(&db.store, &dana(), &id, &regime_def.id, &stage.name).unwrap();
            let missing = notification::missing(&stage.content, &draft.content);
            // Fill every item with a marker and check each one reaches the text.
            let content: BTreeMap<String, String> =
                stage.content.iter().map(|i| (i.key.clone(), format!("<<{}:{}>>", regime_def.id, i.key))).collect();
            let edited =
                notification::edit(&db.store, &dana(), &draft.id, NotificationChanges { content, delay_reasons: None })
                    .unwrap()
                    .notification;
            for item in &stage.content {
                let marker = format!("<<{}:{}>>", regime_def.id, item.key);
                assert!(
                    edited.text.contains(&marker),
                    "{}/{} lacks {}:\n{}",
                    regime_def.id,
                    stage.name,
                    item.key,
                    edited.text
                );
            }
            assert!(
                edited.text.contains(&regime_def.name) || edited.text.contains(&regime_def.notifies),
                "{}/{} names neither the regime nor the addressee",
                regime_def.id,
                stage.name
            );
            let required: Vec<&str> = stage.content.iter().filter(|i| i.required).map(|i| i.label.as_str()).collect();
            for m in &missing {
                assert!(required.contains(&m.as_str()), "only required items are reported missing: {m}");
            }
            let approved = notification::approve(&db.store, &dana(), &draft.id, LEGAL);
            assert!(approved.is_ok(), "{}/{}: {:?}", regime_def.id, stage.name, approved.err());
        }
    }
}

#[test]
fn a_users_template_with_a_misspelt_name_is_refused_with_the_file_named() {
    let (db, id) = setup();
    applies(&db, &id, "gdpr-art33", None);
    let path = notification::override_path(&db.store, "gdpr-art33", "notification").unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "To {{ regime.notifies }}: {{ incident.titel }}").unwrap();
    let err = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("gdpr-art33/notification.md.j2"), "{err}");
    assert!(notification::open_draft(&db.store, &id, "gdpr-art33", "notification").unwrap().is_none(), "nothing kept");
    std::fs::write(&path, "Our own wording for {{ incident.id }}").unwrap();
    let draft = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    assert!(draft.text.starts_with("Our own wording for AI-INC-"), "{}", draft.text);
}

#[test]
fn dora_shows_the_next_working_day_note_beside_the_strict_due_time() {
    let (db, id) = setup();
    applies(&db, &id, "dora", None);
    // Classified as major on Saturday 21 November 2026, 09:00 in Frankfurt: the initial report is due 13:00 the same
    // Saturday (4 hours; awareness + 24 h is later).
    let classified = at("2026-11-21T08:00:00Z");
    notification::set_trigger(&db.store, &dana(), &id, "dora", "classification", classified, LEGAL, "").unwrap();
    notification::set_trigger(&db.store, &dana(), &id, "dora", "awareness", classified, LEGAL, "").unwrap();
    notification::set_zone(&db.store, &dana(), &id, "dora", "Europe/Berlin", "").unwrap();
    let initial = regime(&db, &id, "dora", classified).stages.remove(0);
    assert_eq!(initial.due, Some(at("2026-11-21T12:00:00Z")));
    assert!(initial.working_day_note.as_deref().unwrap().starts_with("Pick the Member State's holiday calendar"));

    notification::set_zone(&db.store, &dana(), &id, "dora", "Europe/Berlin", "eu_de").unwrap();
    let initial = regime(&db, &id, "dora", classified).stages.remove(0);
    assert_eq!(initial.due, Some(at("2026-11-21T12:00:00Z")), "the strict time stays the due time");
    let note = initial.working_day_note.unwrap();
    assert!(note.contains("2026-11-23 12:00 CET"), "{note}");
    assert!(note.contains("Unverified"), "{note}");
}

/// `deadlines --all` reads every incident's clocks at once: it lists exactly the running clocks each incident shows
/// on its own — one from a trigger, one from a legal override without any trigger — and none of the others.
#[test]
fn every_open_deadline_is_the_same_as_each_incidents_own() {
    let (db, triggered) = setup();
    applies(&db, &triggered, "gdpr-art33", None);
    let aware = at("2026-06-01T08:00:00Z");
    notification::set_trigger(&db.store, &dana(), &triggered, "gdpr-art33", "awareness", aware, LEGAL, "").unwrap();
    let overridden = open_incident(&db, "Only a legal override").id;
    applies(&db, &overridden, "gdpr-art33", None);
    let set = at("2026-06-04T12:00:00Z");
    notification::override_due(
        &db.store,
        &dana(),
        &overridden,
        "gdpr-art33",
        "notification",
        Some(set),
        "Counsel",
        LEGAL,
    )
    .unwrap();
    let quiet = open_incident(&db, "Answers but no clock").id;
    applies(&db, &quiet, "gdpr-art33", None);

    let now = at("2026-06-02T08:00:00Z");
    let open = notification::open_clocks(&db.store, now).unwrap();
    let mut each = Vec::new();
    for id in [&triggered, &overridden, &quiet] {
        let clocks = notification::clocks(&db.store, id, now).unwrap();
        for r in clocks.regimes.iter().filter(|r| r.applicable) {
            for s in r.stages.iter().filter(|s| s.submitted_at.is_none() && s.due.is_some()) {
                each.push((id.clone(), r.regime.clone(), s.stage.clone(), s.due.unwrap()));
            }
        }
    }
    let mut all: Vec<_> = open.iter().map(|c| (c.incident.clone(), c.regime.clone(), c.stage.clone(), c.due)).collect();
    all.sort();
    each.sort();
    assert_eq!(all, each);
    assert!(all.iter().any(|c| c.0 == overridden && c.3 == set), "{all:?}");
    assert!(all.iter().any(|c| c.0 == triggered) && !all.iter().any(|c| c.0 == quiet), "{all:?}");
}

#[test]
fn the_stage_to_draft_is_the_first_not_submitted_and_its_empty_required_items_are_named() {
    let (db, id) = setup();
    applies(&db, &id, "gdpr-art33", None);
    let aware = Utc::now() - Duration::hours(2);
    notification::set_trigger(&db.store, &dana(), &id, "gdpr-art33", "awareness", aware, LEGAL, "").unwrap();
    assert_eq!(notification::first_open_stage(&db.store, &id, "gdpr-art33").unwrap(), "notification");

    let draft = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    let empty = NotificationChanges {
        content: draft.content.keys().map(|k| (k.clone(), String::new())).collect(),
        delay_reasons: None,
    };
    let emptied = notification::edit(&db.store, &dana(), &draft.id, empty).unwrap().notification;
    let missing = notification::missing_items(&db.store, &id, &emptied).unwrap();
    assert!(!missing.is_empty(), "an emptied draft misses its required items");
    assert!(missing.iter().all(|(key, label)| !key.is_empty() && !label.is_empty()), "{missing:?}");
    assert!(notification::approve(&db.store, &dana(), &draft.id, LEGAL).is_err(), "not approvable while missing");

    // Filled again, nothing is missing; once submitted, every stage is, and a supplement names its stage.
    let filled = NotificationChanges {
        content: missing.iter().map(|(key, _)| (key.clone(), "Stated in the record".to_string())).collect(),
        delay_reasons: None,
    };
    let filled = notification::edit(&db.store, &dana(), &draft.id, filled).unwrap().notification;
    assert!(notification::missing_items(&db.store, &id, &filled).unwrap().is_empty());
    notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();
    let submitted = notification::submit(&db.store, &dana(), &draft.id, submit_now()).unwrap();
    assert!(notification::missing_items(&db.store, &id, &submitted).unwrap().is_empty());
    let err = notification::first_open_stage(&db.store, &id, "gdpr-art33").unwrap_err().to_string();
    assert!(err.contains("Every stage of") && err.contains("--stage"), "{err}");
}
