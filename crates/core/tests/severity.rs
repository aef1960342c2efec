//! Severity: the rubric's suggestion, the chosen level, overrides with reasons, and the kept history.

mod common;

use common::*;
use firebreak_core::incident;
use firebreak_core::phases::guidance;
use firebreak_core::phases::overrides;
use firebreak_core::phases::severity::{self, SeverityAssessment};
use firebreak_core::vocabulary::Severity::{self, *};
use firebreak_core::{verify, ErrorCode};
use std::collections::BTreeMap;

fn answers(yes: &[&str], no: &[&str]) -> BTreeMap<String, bool> {
    let mut map: BTreeMap<String, bool> = yes.iter().map(|k| (k.to_string(), true)).collect();
    map.extend(no.iter().map(|k| (k.to_string(), false)));
    map
}

fn assessments(db: &Db, id: &str) -> Vec<SeverityAssessment> {
    severity::history(&db.store, id).unwrap()
}

/// (answered yes, answered no, suggested level, triggered_by)
type Case = (&'static [&'static str], &'static [&'static str], Severity, &'static [&'static str]);

#[test]
fn the_suggestion_follows_the_rubric() {
    let cases: &[Case] = &[
        (&[], &[], Sev3, &[]),
        (&[], &["material_harm", "external_communication_wrong", "sensitive_domain", "irreversible"], Sev3, &[]),
        (&["still_running", "root_cause_unknown", "could_repeat"], &[], Sev3, &[]),
        (&["single_failed_run"], &[], Sev3, &["single_failed_run"]),
        (&["material_harm"], &[], Sev0, &["material_harm"]),
        (&["external_communication_wrong"], &[], Sev1, &["external_communication_wrong"]),
        (&["sensitive_data_exposed"], &[], Sev1, &["sensitive_data_exposed"]),
        (&["unauthorized_production_write"], &[], Sev1, &["unauthorized_production_write"]),
        (&["high_volume_bad_action"], &[], Sev1, &["high_volume_bad_action"]),
        (&["prompt_injection_unresolved"], &[], Sev1, &["prompt_injection_unresolved"]),
        (&["internal_records_wrong"], &[], Sev2, &["internal_records_wrong"]),
        (&["quality_drop_limited"], &[], Sev2, &["quality_drop_limited"]),
        // The most severe trigger wins; only the triggers at that level are named.
        (&["single_failed_run", "internal_records_wrong"], &[], Sev2, &["internal_records_wrong"]),
        (
            &["quality_drop_limited", "sensitive_data_exposed", "external_communication_wrong"],
            &[],
            Sev1,
            &["external_communication_wrong", "sensitive_data_exposed"],
        ),
        (&["internal_records_wrong", "material_harm"], &["single_failed_run"], Sev0, &["material_harm"]),
        // A raiser lifts the suggestion one level and is named after the triggers.
        (&["internal_records_wrong", "sensitive_domain"], &[], Sev1, &["internal_records_wrong", "sensitive_domain"]),
        (&["single_failed_run", "irreversible"], &[], Sev2, &["single_failed_run", "irreversible"]),
        (&["high_volume_bad_action", "irreversible"], &[], Sev0, &["high_volume_bad_action", "irreversible"]),
        // Two raisers still raise only once.
        (
            &["quality_drop_limited", "sensitive_domain", "irreversible"],
            &[],
            Sev1,
            &["quality_drop_limited", "sensitive_domain", "irreversible"],
        ),
        (
            &["single_failed_run", "sensitive_domain", "irreversible"],
            &[],
            Sev2,
            &["single_failed_run", "sensitive_domain", "irreversible"],
        ),
        // Capped at Sev 0: a raiser that cannot raise is not named.
        (&["material_harm", "irreversible", "sensitive_domain"], &[], Sev0, &["material_harm"]),
        // With no trigger the base is Sev 3, which a raiser lifts like any other level.
        (&["sensitive_domain"], &[], Sev2, &["sensitive_domain"]),
        (&["irreversible"], &["single_failed_run"], Sev2, &["irreversible"]),
        // "No" answers trigger nothing.
        (&["sensitive_domain"], &["material_harm", "internal_records_wrong"], Sev2, &["sensitive_domain"]),
    ];
    for (yes, no, level, triggered) in cases {
        let (suggested, triggered_by) = severity::suggest(&answers(yes, no));
        assert_eq!(suggested, *level, "yes {yes:?} no {no:?}");
        assert_eq!(triggered_by, triggered.iter().map(|t| t.to_string()).collect::<Vec<_>>(), "yes {yes:?}");
    }
}

#[test]
fn the_questions_cover_every_answer_key_with_a_plain_explanation() {
    let questions = severity::questions();
    let keys: Vec<&str> = questions.iter().map(|q| q.key.as_str()).collect();
    for key in [
        "material_harm",
        "external_communication_wrong",
        "sensitive_data_exposed",
        "unauthorized_production_write",
        "high_volume_bad_action",
        "prompt_injection_unresolved",
        "internal_records_wrong",
        "quality_drop_limited",
        "single_failed_run",
        "sensitive_domain",
        "irreversible",
        "still_running",
        "root_cause_unknown",
        "could_repeat",
    ] {
        assert!(keys.contains(&key), "missing question {key}");
    }
    assert_eq!(keys.len(), 14);
    for q in &questions {
        assert!(q.question.ends_with('?') && !q.explanation.is_empty() && !q.effect.is_empty(), "{q:?}");
    }
    let harm = questions.iter().find(|q| q.key == "material_harm").unwrap();
    assert_eq!((harm.level, harm.effect.as_str(), harm.raises), (Some(Sev0), "Sev 0", false));
    assert!(questions.iter().find(|q| q.key == "irreversible").unwrap().raises);
}

#[test]
fn an_assessment_sets_the_incident_severity_through_its_audited_path() {
    let db = db();
    let inc = open_incident(&db, "Refund bot emailed customers");
    let a = severity::assess(
        &db.store,
        &dana(),
        &inc.id,
        answers(&["external_communication_wrong", "still_running"], &["material_harm"]),
        None,
        None,
    )
    .unwrap();
    assert_eq!((a.suggested, a.chosen), (Sev1, Sev1), "chosen defaults to the suggestion");
    assert_eq!(a.triggered_by, vec!["external_communication_wrong"]);
    assert_eq!(a.incident, inc.uuid);
    assert_eq!(a.assessed_by, "Dana Reyes");
    assert_eq!(incident::get(&db.store, &inc.id).unwrap().fields.severity, Some(Sev1));
    let entry = incident::history(&db.store, &inc.id).unwrap().into_iter().find(|e| e.field == "severity").unwrap();
    assert_eq!((entry.old_value, entry.new_value.as_deref()), (None, Some("\"sev1\"")));
    assert_eq!(entry.actor, "Dana Reyes");
    assert!(overrides::list(&db.store, &inc.id).unwrap().is_empty(), "no override when following the suggestion");
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn choosing_higher_than_suggested_needs_no_reason() {
    let db = db();
    let inc = open_incident(&db, "Stale summary");
    let a = severity::assess(&db.store, &dana(), &inc.id, answers(&["internal_records_wrong"], &[]), Some(Sev1), None)
        .unwrap();
    assert_eq!((a.suggested, a.chosen), (Sev2, Sev1));
    assert!(overrides::list(&db.store, &inc.id).unwrap().is_empty());
}

#[test]
fn choosing_lower_than_suggested_without_a_reason_is_refused_and_writes_nothing() {
    let db = db();
    let inc = open_incident(&db, "Leaked address");
    for reason in [None, Some("   ".to_string())] {
        let err = severity::assess(
            &db.store,
            &dana(),
            &inc.id,
            answers(&["sensitive_data_exposed"], &[]),
            Some(Sev3),
            reason,
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        assert_eq!(err.field(), Some("reason"));
        assert!(err.to_string().contains("written reason is required"), "{err}");
    }
    assert!(assessments(&db, &inc.id).is_empty());
    assert_eq!(incident::get(&db.store, &inc.id).unwrap().fields.severity, None);
    assert!(overrides::list(&db.store, &inc.id).unwrap().is_empty());
}

#[test]
fn choosing_lower_with_a_reason_is_logged_as_an_override() {
    let db = db();
    let inc = open_incident(&db, "One wrong email");
    let a = severity::assess(
        &db.store,
        &dana(),
        &inc.id,
        answers(&["external_communication_wrong"], &[]),
        Some(Sev2),
        Some("  Internal test address only; no customer received it.  ".into()),
    )
    .unwrap();
    assert_eq!((a.suggested, a.chosen), (Sev1, Sev2));
    assert_eq!(a.reason.as_deref(), Some("Internal test address only; no customer received it."));
    let logged = overrides::list(&db.store, &inc.id).unwrap();
    assert_eq!(logged.len(), 1);
    let o = &logged[0];
    assert_eq!(o.kind, "severity");
    assert_eq!(o.prior, vec!["sev1"]);
    assert_eq!(o.outcome, "sev2");
    assert_eq!(o.reason, "Internal test address only; no customer received it.");
    assert_eq!(o.overridden_by, "Dana Reyes");
    assert_eq!(o.overridden_at, a.assessed_at, "same transaction, same instant");
    assert_eq!(incident::get(&db.store, &inc.id).unwrap().fields.severity, Some(Sev2));
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn an_unknown_answer_key_is_refused_by_name_with_the_valid_keys() {
    let db = db();
    let inc = open_incident(&db, "Typo");
    let err =
        severity::assess(&db.store, &dana(), &inc.id, answers(&["material_harm", "materiel_harm"], &[]), None, None)
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(err.field(), Some("answers"));
    let message = err.to_string();
    assert!(message.contains("\"materiel_harm\"") && message.contains("single_failed_run"), "{message}");
    assert!(assessments(&db, &inc.id).is_empty());
    assert_eq!(incident::get(&db.store, &inc.id).unwrap().fields.severity, None);
}

#[test]
fn an_unknown_incident_is_not_found() {
    let db = db();
    let err = severity::assess(&db.store, &dana(), "AI-INC-1999-0101-001", BTreeMap::new(), None, None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[test]
fn every_assessment_is_kept_and_the_latest_is_the_incident_severity() {
    let db = db();
    let inc = open_incident(&db, "Growing incident");
    let other = open_incident(&db, "Unrelated");
    assert!(!severity::progress(&db.store.connect().unwrap(), &inc).unwrap().complete);
    let first = severity::assess(&db.store, &dana(), &inc.id, BTreeMap::new(), None, None).unwrap();
    assert!(first.triggered_by.is_empty() && first.answers.is_empty());
    severity::assess(&db.store, &dana(), &inc.id, answers(&["single_failed_run"], &[]), None, None).unwrap();
    severity::assess(&db.store, &dana(), &inc.id, answers(&["high_volume_bad_action"], &[]), None, None).unwrap();
    severity::assess(&db.store, &dana(), &inc.id, answers(&["material_harm"], &[]), None, None).unwrap();
    let history = assessments(&db, &inc.id);
    assert_eq!(history.iter().map(|a| a.chosen).collect::<Vec<_>>(), vec![Sev3, Sev3, Sev1, Sev0]);
    assert_eq!(history[0], first, "an assessment with no triggers reads back as written");
    assert!(assessments(&db, &other.id).is_empty(), "history is per incident");
    let inc = incident::get(&db.store, &inc.id).unwrap();
    assert_eq!(inc.fields.severity, Some(Sev0));
    let conn = db.store.connect().unwrap();
    assert_eq!(severity::latest(&conn, &inc).unwrap().unwrap().chosen, Sev0);
    let progress = severity::progress(&conn, &inc).unwrap();
    assert!(progress.complete && progress.missing.is_empty() && progress.next.is_none());
    let severity_changes =
        incident::history(&db.store, &inc.id).unwrap().into_iter().filter(|e| e.field == "severity").count();
    assert_eq!(severity_changes, 3, "an unchanged level writes no incident change");
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn an_unassessed_incident_says_to_assess_severity() {
    let db = db();
    let inc = open_incident(&db, "New");
    let progress = severity::progress(&db.store.connect().unwrap(), &inc).unwrap();
    assert!(!progress.complete);
    assert_eq!(progress.missing, vec!["Assess severity"]);
    assert!(progress.next.is_some());
}

#[test]
fn the_record_cannot_go_below_the_assessed_level_without_a_new_assessment() {
    use firebreak_core::incident::FieldChange;
    let db = db();
    let inc = open_incident(&db, "Assessed");
    let answers = BTreeMap::from([("sensitive_data_exposed".to_string(), true)]);
    severity::assess(&db.store, &dana(), &inc.id, answers, None, None).unwrap();
    let lower = FieldChange::new("severity", serde_json::json!("sev3"));
    let err = guidance::update_incident(&db.store, &dana(), &inc.id, &[lower], false).unwrap_err();
    assert_eq!(err.field(), Some("severity"));
    assert_eq!(incident::get(&db.store, &inc.id).unwrap().fields.severity, Some(Sev1));
    // Raising it needs no assessment.
    let higher = FieldChange::new("severity", serde_json::json!("sev0"));
    guidance::update_incident(&db.store, &dana(), &inc.id, &[higher], false).unwrap();
}
