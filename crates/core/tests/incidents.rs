//! Opening and editing incidents: IDs, validation, confirmations, conflicts and history.

mod common;

use chrono::{Duration, Utc};
use common::*;
use firebreak_core::incident::{self, FieldChange, IncidentFields, ListFilter};
use firebreak_core::people;
use firebreak_core::phases::guidance;
use firebreak_core::vocabulary::{DataClass, IncidentType, OwaspLlm, Status};
use firebreak_core::ErrorCode;
use serde_json::json;

#[test]
fn ids_are_numbered_per_day_and_a_new_incident_is_under_investigation() {
    let db = db();
    let a = open_incident(&db, "First");
    let b = open_incident(&db, "Second");
    // Dated by the creation day in the user's zone (no profile yet: the system's).
    let zone: chrono_tz::Tz = firebreak_core::profile::system_zone().parse().unwrap();
    let day = a.created_at.with_timezone(&zone).format("%Y-%m%d");
    assert_eq!(a.id, format!("AI-INC-{day}-001"));
    assert_eq!(b.id, format!("AI-INC-{day}-002"));
    assert_eq!(a.fields.status, Status::Investigating);
    assert_eq!(uuid::Uuid::parse_str(&a.uuid).unwrap().get_version_num(), 7);
}

#[test]
fn an_incident_is_found_by_id_in_any_case_or_by_uuid() {
    let db = db();
    let a = open_incident(&db, "Findable");
    assert_eq!(incident::get(&db.store, &a.id.to_lowercase()).unwrap().uuid, a.uuid);
    assert_eq!(incident::get(&db.store, &a.uuid).unwrap().id, a.id);
    let err = incident::get(&db.store, "AI-INC-1999-0101-001").unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
}

#[test]
fn the_full_record_round_trips() {
    let db = db();
    let hour_ago = Utc::now() - Duration::hours(1);
    let draft: IncidentFields = serde_json::from_value(json!({
        "title": "  Support agent leaked a customer's address  ",
        "workflow": "Support triage",
        "agent": "triage-bot", "model": "gpt-x", "model_version": "2026-10", "prompt_config_hash": "sha256:abc",
        "toolset": ["crm.read", "email.send", "crm.read"],
        "detected_by": "customer",
        "detected_at": hour_ago, "aware_at": hour_ago,
        "commander": "Dana Reyes", "business_owner": "Sam Ortiz", "technical_owner": "Lee Chen",
        "severity": "sev1",
        "affected_systems": ["CRM", "Mail"],
        "data_classes": ["personal_data", "customer_confidential"],
        "incident_types": [{"kind": "sensitive_data_exposure", "owasp_llm": "LLM02", "owasp_agentic": null}],
        "customer_impact": "One customer", "vendor_impact": "", "employee_impact": "",
        "summary": "Address sent to the wrong customer"
    }))
    .unwrap();
    let created = incident::create(&db.store, &dana(), draft, false).unwrap();
    let read = incident::get(&db.store, &created.id).unwrap();
    assert_eq!(read, created);
    assert_eq!(read.fields.title, "Support agent leaked a customer's address");
    assert_eq!(read.fields.toolset, vec!["crm.read", "email.send"]);
    assert_eq!(read.fields.data_classes, vec![DataClass::PersonalData, DataClass::CustomerConfidential]);
    assert_eq!(read.fields.incident_types[0].kind, IncidentType::SensitiveDataExposure);
    assert_eq!(read.fields.incident_types[0].owasp_llm, Some(OwaspLlm::Llm02));
    // Owners named on the record are in the people directory.
    let names: Vec<String> = people::list(&db.store).unwrap().into_iter().map(|p| p.details.name).collect();
    assert_eq!(names, vec!["Dana Reyes", "Lee Chen", "Sam Ortiz"]);
}

#[test]
fn bad_input_is_refused_per_field_and_nothing_is_written() {
    let db = db();
    let cases: Vec<(IncidentFields, &str)> = vec![
        (fields("   "), "title"),
        (IncidentFields { detected_at: Some(Utc::now() + Duration::days(1)), ..fields("Future") }, "detected_at"),
        (serde_json::from_value(json!({"title": "x", "data_classes": []})).unwrap(), ""),
    ];
    for (draft, field) in cases {
        match incident::create(&db.store, &dana(), draft, false) {
            Err(e) => {
                assert_eq!(e.code(), ErrorCode::InvalidInput);
                assert_eq!(e.field(), Some(field));
            }
            Ok(_) => assert_eq!(field, "", "expected a refusal on {field}"),
        }
    }
    let inc = open_incident(&db, "Valid");
    for (field, value, message) in [
        ("detected_at", json!("last tuesday"), "RFC 3339"),
        ("status", json!("resolved"), "not one of the choices"),
        ("severity", json!("sev9"), "not one of the choices"),
        ("data_classes", json!(["secrets"]), "not one of the choices"),
        ("incident_types", json!(["gremlins"]), "not an incident type"),
        ("incident_types", json!([{"kind": "prompt_injection", "owasp_llm": "LLM11"}]), "LLM01 to LLM10"),
        ("nonexistent", json!("x"), "Unknown field"),
        ("title", json!(""), "required"),
    ] {
        let before = incident::history(&db.store, &inc.id).unwrap().len();
        let err = guidance::update_incident(&db.store, &dana(), &inc.id, &[FieldChange::new(field, value)], false)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{field}");
        assert_eq!(err.field(), Some(field));
        assert!(err.to_string().contains(message), "{field}: {err}");
        assert_eq!(incident::history(&db.store, &inc.id).unwrap().len(), before, "nothing written for {field}");
    }
}

#[test]
fn awareness_before_detection_needs_confirmation_which_is_logged() {
    let db = db();
    let inc = open_incident(&db, "Clock start");
    let detected = Utc::now() - Duration::hours(2);
    let aware = detected - Duration::hours(5);
    let changes = [FieldChange::new("detected_at", json!(detected)), FieldChange::new("aware_at", json!(aware))];
    let err = guidance::update_incident(&db.store, &dana(), &inc.id, &changes, false).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConfirmationRequired);
    assert_eq!(err.field(), Some("aware_at"));
    assert!(incident::get(&db.store, &inc.id).unwrap().fields.aware_at.is_none());

    let saved = guidance::update_incident(&db.store, &dana(), &inc.id, &changes, true).unwrap();
    assert_eq!(saved.fields.aware_at.unwrap().timestamp(), aware.timestamp());
    let entry = incident::history(&db.store, &inc.id).unwrap().into_iter().find(|e| e.field == "aware_at").unwrap();
    assert!(entry.reason.unwrap().contains("earlier than detection"));
    // Editing another field later does not ask again.
    guidance::update_incident(&db.store, &dana(), &inc.id, &[FieldChange::new("summary", json!("later"))], false)
        .unwrap();
}

#[test]
fn an_edit_based_on_a_stale_value_is_refused_not_lost() {
    let db = db();
    let inc = open_incident(&db, "Original title");
    guidance::update_incident(
        &db.store,
        &dana(),
        &inc.id,
        &[FieldChange::new("title", json!("Changed by the CLI"))],
        false,
    )
    .unwrap();
    let stale = FieldChange {
        field: "title".into(),
        value: json!("Changed in the app"),
        expected: Some(json!("Original title")),
    };
    let err = guidance::update_incident(&db.store, &dana(), &inc.id, &[stale], false).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    assert!(err.to_string().contains("Changed by the CLI"));
    assert_eq!(incident::get(&db.store, &inc.id).unwrap().fields.title, "Changed by the CLI");
    // With the current value as the expectation it goes through; an expected empty value is honoured too.
    let fresh = FieldChange {
        field: "title".into(),
        value: json!("Agreed title"),
        expected: Some(json!("Changed by the CLI")),
    };
    let empty = FieldChange { field: "summary".into(), value: json!("First summary"), expected: Some(json!(null)) };
    let after = guidance::update_incident(&db.store, &dana(), &inc.id, &[fresh, empty], false).unwrap();
    assert_eq!((after.fields.title.as_str(), after.fields.summary.as_str()), ("Agreed title", "First summary"));
}

#[test]
fn history_records_who_changed_what_from_what_to_what() {
    let db = db();
    let inc = open_incident(&db, "History");
    let lee = firebreak_core::Actor::new("Lee Chen", Some("Legal counsel".into()));
    guidance::update_incident(&db.store, &dana(), &inc.id, &[FieldChange::new("workflow", json!("Refunds"))], false)
        .unwrap();
    guidance::update_incident(
        &db.store,
        &lee,
        &inc.id,
        &[FieldChange::new("workflow", json!("Customer refunds"))],
        false,
    )
    .unwrap();
    // Setting a value to what it already is writes nothing.
    guidance::update_incident(
        &db.store,
        &lee,
        &inc.id,
        &[FieldChange::new("workflow", json!("Customer refunds"))],
        false,
    )
    .unwrap();
    let history = incident::history(&db.store, &inc.id).unwrap();
    assert_eq!(history[0].field, "_created");
    let changes: Vec<_> = history.iter().filter(|e| e.field == "workflow").collect();
    assert_eq!(changes.len(), 2);
    let last = changes[1];
    assert_eq!(last.actor, "Lee Chen");
    assert_eq!(last.actor_role.as_deref(), Some("Legal counsel"));
    assert_eq!(last.old_value.as_deref(), Some("\"Refunds\""));
    assert_eq!(last.new_value.as_deref(), Some("\"Customer refunds\""));
}

#[test]
fn incidents_are_listed_newest_first_and_filtered_by_status() {
    let db = db();
    let a = open_incident(&db, "Older");
    let b = open_incident(&db, "Newer");
    guidance::set_status(&db.store, &dana(), &a.id, Status::Closed, Some("Duplicate of another incident")).unwrap();
    let all: Vec<String> =
        incident::list(&db.store, &ListFilter::default()).unwrap().into_iter().map(|i| i.id).collect();
    assert_eq!(all, vec![b.id.clone(), a.id.clone()]);
    let closed = incident::list(&db.store, &ListFilter { status: Some(Status::Closed) }).unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].id, a.id);
}

#[test]
fn a_change_needs_a_named_actor() {
    let db = db();
    let err =
        incident::create(&db.store, &firebreak_core::Actor::new("  ", None), fields("Nobody"), false).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(incident::list(&db.store, &ListFilter::default()).unwrap().is_empty());
}
