//! The communication matrix: who must be told and why, drafts from templates, approval before sending.

mod common;

use chrono::{Duration, Utc};
use common::*;
use firebreak_core::incident::{self, IncidentFields, IncidentTypeTag};
use firebreak_core::phases::communication::{
    self, derive, Audience, CommunicationView, EditCommunication, MessageStatus,
};
use firebreak_core::vocabulary::{DataClass, IncidentType, Severity};
use firebreak_core::{people, verify, ErrorCode};

fn tagged(kinds: &[IncidentType]) -> Vec<IncidentTypeTag> {
    kinds.iter().map(|&kind| IncidentTypeTag { kind, owasp_llm: None, owasp_agentic: None }).collect()
}

fn row(db: &Db, id: &str, audience: Audience) -> CommunicationView {
    communication::matrix(&db.store, id).unwrap().into_iter().find(|v| v.audience == audience).unwrap()
}

fn approver(db: &Db, name: &str) {
    people::add(&db.store, &dana(), people::PersonDetails::named(name)).unwrap();
}

fn intact(db: &Db) {
    assert!(verify::verify(&db.store).unwrap().intact);
}

#[test]
fn who_must_be_told_is_derived_from_the_record() {
    type Setup = fn(&mut IncidentFields);
    let cases: &[(&str, Setup, Audience, bool, &str)] = &[
        ("business owner always", |_| {}, Audience::BusinessOwner, true, "always"),
        ("technical owner always", |_| {}, Audience::TechnicalOwner, true, "always"),
        ("security: nothing sensitive", |_| {}, Audience::Security, false, "Not indicated"),
        (
            "security: personal data",
            |f| f.data_classes = vec![DataClass::PersonalData],
            Audience::Security,
            true,
            "personal data",
        ),
        (
            "security: credentials",
            |f| f.data_classes = vec![DataClass::Credentials],
            Audience::Security,
            true,
            "credentials",
        ),
        (
            "security: special category",
            |f| f.data_classes = vec![DataClass::SpecialCategoryData],
            Audience::Security,
            true,
            "special-category",
        ),
        (
            "security: prompt injection",
            |f| f.incident_types = tagged(&[IncidentType::PromptInjection]),
            Audience::Security,
            true,
            "prompt injection",
        ),
        (
            "security: malicious plugin",
            |f| f.incident_types = tagged(&[IncidentType::MaliciousPlugin]),
            Audience::Security,
            true,
            "malicious plugin",
        ),
        (
            "security: cross-tenant",
            |f| f.incident_types = tagged(&[IncidentType::CrossTenantLeak]),
            Audience::Security,
            true,
            "cross-tenant",
        ),
        (
            "security: exposure",
            |f| f.incident_types = tagged(&[IncidentType::SensitiveDataExposure]),
            Audience::Security,
            true,
            "sensitive data exposure",
        ),
        (
            "security: financial data alone",
            |f| f.data_classes = vec![DataClass::Financial],
            Audience::Security,
            false,
            "Not indicated",
        ),
        (
            "legal: nothing regulated",
            |f| f.data_classes = vec![DataClass::InternalOnly],
            Audience::LegalCompliance,
            false,
            "Not indicated",
        ),
        ("legal: health", |f| f.data_classes = vec![DataClass::Health], Audience::LegalCompliance, true, "health"),
        (
            "legal: financial",
            |f| f.data_classes = vec![DataClass::Financial],
            Audience::LegalCompliance,
            true,
            "financial",
        ),
        (
            "legal: employee data",
            |f| f.data_classes = vec![DataClass::EmployeeData],
            Audience::LegalCompliance,
            true,
            "employee",
        ),
        (
            "legal: external send",
            |f| f.incident_types = tagged(&[IncidentType::ExternalSend]),
            Audience::LegalCompliance,
            true,
            "external send",
        ),
        (
            "legal: customer impact",
            |f| f.customer_impact = "Two customers got wrong refunds".into(),
            Audience::LegalCompliance,
            true,
            "customer impact",
        ),
        (
            "legal: vendor impact",
            |f| f.vendor_impact = "Supplier invoices resent".into(),
            Audience::LegalCompliance,
            true,
            "vendor impact",
        ),
        ("executives: sev0", |f| f.severity = Some(Severity::Sev0), Audience::Executives, true, "Sev 0"),
        ("executives: sev1", |f| f.severity = Some(Severity::Sev1), Audience::Executives, true, "Sev 1"),
        ("executives: sev2", |f| f.severity = Some(Severity::Sev2), Audience::Executives, false, "not Sev 0 or Sev 1"),
        ("executives: no severity", |_| {}, Audience::Executives, false, "not Sev 0"),
        (
            "customers: impact",
            |f| f.customer_impact = "One customer".into(),
            Audience::Customers,
            true,
            "customer impact",
        ),
        (
            "customers: external send",
            |f| f.incident_types = tagged(&[IncidentType::ExternalSend]),
            Audience::Customers,
            true,
            "external send",
        ),
        (
            "customers: cross-tenant",
            |f| f.incident_types = tagged(&[IncidentType::CrossTenantLeak]),
            Audience::Customers,
            true,
            "cross-tenant",
        ),
        (
            "customers: internal only",
            |f| f.incident_types = tagged(&[IncidentType::BadWriteback]),
            Audience::Customers,
            false,
            "Not indicated",
        ),
        (
            "vendors: impact",
            |f| f.vendor_impact = "Vendor portal spammed".into(),
            Audience::Vendors,
            true,
            "vendor impact",
        ),
        ("vendors: none", |_| {}, Audience::Vendors, false, "Not indicated"),
        (
            "employees: impact",
            |f| f.employee_impact = "Payslips wrong".into(),
            Audience::Employees,
            true,
            "employee impact",
        ),
        (
            "employees: employee data",
            |f| f.data_classes = vec![DataClass::EmployeeData],
            Audience::Employees,
            true,
            "employee",
        ),
        ("employees: none", |_| {}, Audience::Employees, false, "Not indicated"),
        (
            "internal users: bad writeback",
            |f| f.incident_types = tagged(&[IncidentType::BadWriteback]),
            Audience::InternalUsers,
            true,
            "bad writeback",
        ),
        (
            "internal users: duplicates",
            |f| f.incident_types = tagged(&[IncidentType::DuplicateWork]),
            Audience::InternalUsers,
            true,
            "duplicate",
        ),
        (
            "internal users: stale input",
            |f| f.incident_types = tagged(&[IncidentType::StaleOrWrongInput]),
            Audience::InternalUsers,
            true,
            "stale",
        ),
        (
            "internal users: cost runaway",
            |f| f.incident_types = tagged(&[IncidentType::CostRunaway]),
            Audience::InternalUsers,
            false,
            "Not indicated",
        ),
        (
            "candidates never derived",
            |f| {
                f.data_classes = vec![DataClass::PersonalData];
                f.customer_impact = "x".into();
            },
            Audience::Candidates,
            false,
            "mark them required",
        ),
        (
            "partners never derived",
            |f| f.severity = Some(Severity::Sev0),
            Audience::Partners,
            false,
            "mark them required",
        ),
    ];
    for (name, setup, audience, required, because) in cases {
        let mut fields = fields("Derivation");
        setup(&mut fields);
        let derived = derive(&fields, *audience);
        assert_eq!(derived.required, *required, "{name}: {derived:?}");
        let lower = derived.because.to_lowercase();
        assert!(lower.contains(&because.to_lowercase()), "{name}: {:?} should mention {because:?}", derived.because);
        assert!(!derived.when_to_tell.is_empty(), "{name}");
    }
}

#[test]
fn the_matrix_lists_every_audience_with_the_derived_decision() {
    let db = db();
    let mut f = fields("Refund bot emailed the wrong customer");
    f.data_classes = vec![DataClass::PersonalData];
    f.incident_types = tagged(&[IncidentType::ExternalSend]);
    let inc = incident::create(&db.store, &dana(), f, false).unwrap();
    let matrix = communication::matrix(&db.store, &inc.id).unwrap();
    assert_eq!(matrix.len(), 11);
    let required: Vec<Audience> = matrix.iter().filter(|v| v.required).map(|v| v.audience).collect();
    assert_eq!(
        required,
        vec![
            Audience::BusinessOwner,
            Audience::TechnicalOwner,
            Audience::Security,
            Audience::LegalCompliance,
            Audience::Customers
        ]
    );
    assert!(matrix.iter().all(|v| v.communication.is_none() && !v.decided));
    assert_eq!(row(&db, &inc.id, Audience::Security).when_to_tell, "now");
    assert_eq!(row(&db, &inc.id, Audience::Customers).when_to_tell, "when the facts are confirmed");
}

#[test]
fn a_draft_is_prefilled_from_the_record() {
    let db = db();
    let mut f = fields("Payables agent paid an invoice twice");
    f.summary = "The payables agent paid invoice 4471 twice after a retry.".into();
    f.workflow = "Payables".into();
    f.commander = "Dana Reyes".into();
    f.business_owner = "Sam Ortiz".into();
    f.detected_at = Some(Utc::now() - Duration::hours(2));
    let inc = incident::create(&db.store, &dana(), f, false).unwrap();
    let draft = communication::draft(&db.store, &dana(), &inc.id, Audience::BusinessOwner).unwrap();
    assert_eq!(draft.status, MessageStatus::Drafted);
    for expected in [
        inc.id.as_str(),
        "Payables agent paid an invoice twice",
        "paid invoice 4471 twice",
        "Payables workflow",
        "Hello Sam Ortiz",
        "Contact: Dana Reyes",
        "Detected: ",
        "No pause or containment step has been recorded yet.",
    ] {
        assert!(draft.message.contains(expected), "{expected:?} missing from:\n{}", draft.message);
    }
    assert!(!draft.message.contains("{{") && !draft.message.contains("{%"), "{}", draft.message);
    assert_eq!(draft.owner, "Dana Reyes", "the commander owns the message by default");
    assert_eq!(draft.when_to_tell, "now");
    // Every built-in template renders, even on an almost empty record.
    let bare = open_incident(&db, "Bare");
    for &audience in Audience::ALL {
        let c = communication::draft(&db.store, &dana(), &bare.id, audience).unwrap();
        assert!(c.message.contains("\n"), "{audience}");
        assert!(!c.message.contains("{{"), "{audience}: {}", c.message);
    }
    intact(&db);
}

#[test]
fn a_user_template_in_the_data_folder_replaces_the_built_in_one() {
    let db = db();
    let inc = open_incident(&db, "Override");
    let folder = db.dir.path().join("templates").join("communications");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("vendors.md.j2"), "Ref {{ incident_id }}: {{ title }}").unwrap();
    let c = communication::draft(&db.store, &dana(), &inc.id, Audience::Vendors).unwrap();
    assert_eq!(c.message.trim(), format!("Ref {}: Override", inc.id));
}

#[test]
fn a_malformed_user_template_is_a_clear_error_and_nothing_is_written() {
    let db = db();
    let inc = open_incident(&db, "Broken template");
    let folder = db.dir.path().join("templates").join("communications");
    std::fs::create_dir_all(&folder).unwrap();
    for (audience, source) in [
        (Audience::Customers, "Dear customer {% if %} oops"),
        (Audience::Partners, "Hello {{ nonexistent_value }}"),
        (Audience::Vendors, "{{ title | no_such_filter }}"),
    ] {
        let path = folder.join(format!("{}.md.j2", audience.key()));
        std::fs::write(&path, source).unwrap();
        let err = communication::draft(&db.store, &dana(), &inc.id, audience).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{audience}");
        assert_eq!(err.field(), Some("template"));
        let message = err.to_string();
        assert!(message.contains(&path.display().to_string()), "names the file: {message}");
        assert!(message.contains("delete it to use the built-in one"), "{message}");
        assert!(row(&db, &inc.id, audience).communication.is_none(), "nothing written");
    }
    intact(&db);
}

#[test]
fn a_message_cannot_be_marked_sent_before_a_named_person_approves_it() {
    let db = db();
    let inc = open_incident(&db, "Approval first");
    let now = Utc::now();
    // Nothing drafted: not approved, so refused.
    let err = communication::mark_sent(&db.store, &dana(), &inc.id, Audience::Security, now, "email").unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked);
    assert!(err.to_string().contains("approve it first (by a named person)"), "{err}");
    communication::draft(&db.store, &dana(), &inc.id, Audience::Security).unwrap();
    let err = communication::mark_sent(&db.store, &dana(), &inc.id, Audience::Security, now, "email").unwrap_err();
    assert_eq!(err.code(), ErrorCode::GateBlocked);
    assert_eq!(err.to_api().missing, vec!["Approval of the message to Security by a named person".to_string()]);
    assert_eq!(row(&db, &inc.id, Audience::Security).communication.unwrap().status, MessageStatus::Drafted);

    // The approver must be named and in the people directory.
    let err = communication::approve(&db.store, &dana(), &inc.id, Audience::Security, "  ").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("approver")));
    let err = communication::approve(&db.store, &dana(), &inc.id, Audience::Security, "Nobody Known").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("approver")));
    assert!(err.to_string().contains("not in the people directory"), "{err}");
    assert_eq!(row(&db, &inc.id, Audience::Security).communication.unwrap().status, MessageStatus::Drafted);

    people::add(&db.store, &dana(), people::PersonDetails::named("Priya Nair")).unwrap();
    let approved = communication::approve(&db.store, &dana(), &inc.id, Audience::Security, "priya nair").unwrap();
    assert_eq!(approved.status, MessageStatus::Approved);
    assert_eq!(approved.approved_by.as_deref(), Some("Priya Nair"), "the directory's spelling");
    assert!(approved.approved_at.is_some());

    // A message with no text cannot be approved.
    let err = communication::approve(&db.store, &dana(), &inc.id, Audience::Vendors, "Priya Nair").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("message")));

    let future = Utc::now() + Duration::hours(1);
    let err = communication::mark_sent(&db.store, &dana(), &inc.id, Audience::Security, future, "email").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("sent_at")));
    let err = communication::mark_sent(&db.store, &dana(), &inc.id, Audience::Security, now, " ").unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("via")));

    let sent = communication::mark_sent(&db.store, &dana(), &inc.id, Audience::Security, now, "email").unwrap();
    assert_eq!(sent.status, MessageStatus::Sent);
    assert_eq!(sent.sent_via.as_deref(), Some("email"));
    let err = communication::mark_sent(&db.store, &dana(), &inc.id, Audience::Security, now, "call").unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict);
    let err = communication::draft(&db.store, &dana(), &inc.id, Audience::Security).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "a sent message is never redrafted");
    intact(&db);
}

#[test]
fn editing_an_approved_message_sends_it_back_to_drafted() {
    let db = db();
    let inc = open_incident(&db, "Edit after approval");
    approver(&db, "Dana Reyes");
    communication::draft(&db.store, &dana(), &inc.id, Audience::BusinessOwner).unwrap();
    communication::approve(&db.store, &dana(), &inc.id, Audience::BusinessOwner, "Dana Reyes").unwrap();

    let err = communication::draft(&db.store, &dana(), &inc.id, Audience::BusinessOwner).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "redrafting would discard the approved text");

    // Changing only the owner keeps the approval.
    let kept = communication::edit(
        &db.store,
        &dana(),
        &inc.id,
        Audience::BusinessOwner,
        EditCommunication { owner: Some("Sam Ortiz".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!(kept.communication.status, MessageStatus::Approved);
    assert!(kept.notice.is_none());

    let edited = communication::edit(
        &db.store,
        &dana(),
        &inc.id,
        Audience::BusinessOwner,
        EditCommunication { message: Some("New wording.".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!(edited.communication.status, MessageStatus::Drafted);
    assert_eq!(edited.communication.approved_by, None);
    assert_eq!(edited.communication.approved_at, None);
    assert_eq!(edited.communication.message, "New wording.");
    let notice = edited.notice.expect("the edit says it cleared the approval");
    assert!(notice.contains("Dana Reyes") && notice.contains("needs approval again"), "{notice}");
    let history = firebreak_core::audit::entries_for(
        &db.store.connect().unwrap(),
        firebreak_core::audit::Entity::Communication,
        &edited.communication.id,
    )
    .unwrap();
    assert!(history.iter().any(|e| e.field == "approved_by" && e.new_value.is_none() && e.reason.is_some()));
    intact(&db);
}

#[test]
fn deciding_against_the_record_needs_a_reason() {
    let db = db();
    let mut f = fields("Decisions");
    f.customer_impact = "One customer saw another's order".into();
    let inc = incident::create(&db.store, &dana(), f, false).unwrap();
    let no = EditCommunication { required: Some(false), ..Default::default() };
    let err = communication::edit(&db.store, &dana(), &inc.id, Audience::Customers, no.clone()).unwrap_err();
    assert_eq!((err.code(), err.field()), (ErrorCode::InvalidInput, Some("required_because")));
    assert!(row(&db, &inc.id, Audience::Customers).communication.is_none(), "nothing written");

    let with_reason = EditCommunication {
        required_because: Some("The customer was told by phone by the account manager.".into()),
        ..no
    };
    communication::edit(&db.store, &dana(), &inc.id, Audience::Customers, with_reason).unwrap();
    let view = row(&db, &inc.id, Audience::Customers);
    assert!(!view.required && view.decided && view.derived_required);
    assert_eq!(view.required_because, "The customer was told by phone by the account manager.");

    // Candidates are never derived: the owner marks them, with a reason.
    let yes = EditCommunication { required: Some(true), ..Default::default() };
    let err = communication::edit(&db.store, &dana(), &inc.id, Audience::Candidates, yes.clone()).unwrap_err();
    assert_eq!(err.field(), Some("required_because"));
    let yes = EditCommunication { required_because: Some("Rejection emails went out".into()), ..yes };
    communication::edit(&db.store, &dana(), &inc.id, Audience::Candidates, yes).unwrap();
    assert!(row(&db, &inc.id, Audience::Candidates).required);
    intact(&db);
}

#[test]
fn the_phase_is_complete_when_every_required_audience_was_sent_its_message() {
    let db = db();
    let inc = open_incident(&db, "Progress");
    approver(&db, "Dana Reyes");
    let conn = db.store.connect().unwrap();
    let progress = communication::progress(&conn, &incident::get(&db.store, &inc.id).unwrap()).unwrap();
    assert!(!progress.complete);
    assert_eq!(progress.missing.len(), 2, "{:?}", progress.missing);
    assert!(progress.missing[0].contains("Business workflow owner"), "{:?}", progress.missing);

    for audience in [Audience::BusinessOwner, Audience::TechnicalOwner] {
        communication::draft(&db.store, &dana(), &inc.id, audience).unwrap();
        communication::approve(&db.store, &dana(), &inc.id, audience, "Dana Reyes").unwrap();
    }
    let progress = communication::progress(&conn, &inc).unwrap();
    assert!(progress.missing.iter().all(|m| m.contains("not marked sent")), "{:?}", progress.missing);
    communication::mark_sent(&db.store, &dana(), &inc.id, Audience::BusinessOwner, Utc::now(), "email").unwrap();
    let progress = communication::progress(&conn, &inc).unwrap();
    assert_eq!(progress.missing.len(), 1);
    communication::edit(
        &db.store,
        &dana(),
        &inc.id,
        Audience::TechnicalOwner,
        EditCommunication {
            required: Some(false),
            required_because: Some("The technical owner is the commander on this incident.".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let progress = communication::progress(&conn, &inc).unwrap();
    assert!(progress.complete, "{:?}", progress.missing);
    assert!(progress.next.is_none());
    intact(&db);
}
