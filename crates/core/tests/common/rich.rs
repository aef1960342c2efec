//! A rich incident for the document tests: every phase filled, 300 affected objects, people named with
//! diacritics and in Greek, and hostile text (markup, control characters) in the record's free text.

use super::*;
use chrono::{Duration, Utc};
use firebreak_core::incident::{self, FieldChange};
use firebreak_core::people::{self, PersonDetails};
use firebreak_core::phases::affected::{self, AuditQuestion, ObjectChanges, ObjectStatus, RecoveryAction};
use firebreak_core::phases::communication::{self, Audience};
use firebreak_core::phases::containment::{self, ContainmentArea, ContainmentStatus};
use firebreak_core::phases::evidence::{self, EvidenceKind, EvidenceStatus};
use firebreak_core::phases::guidance;
use firebreak_core::phases::notification::{self, Decision, DecisionInput, NotificationChanges, SubmitInput};
use firebreak_core::phases::pause::{self, PauseScope};
use firebreak_core::phases::postmortem::{self, ContributingFactor, ControlType, Postmortem, RootCauseLayer};
use firebreak_core::phases::reenable::{self, ReenableAnswerValue, ReenableQuestion, ReenableStage};
use firebreak_core::phases::{playbook, severity};
use serde_json::json;
use std::collections::BTreeMap;

pub const ZOE: &str = "Zoë Łukasiewicz-Øster";
pub const ELENI: &str = "Ελένη Παπαδοπούλου";
pub const LENA: &str = "Lena Vogel";
pub const ZOE_EMAIL: &str = "zoe.lukasiewicz@example.com";
pub const ELENI_PHONE: &str = "+30 21 0123 4567";
pub const HOSTILE_TITLE: &str = "<img src=x onerror=alert(1)> Refund bot emailed wrong amounts";
pub const OBJECTS: usize = 300;

/// The object ID of the n-th affected object.
pub fn object_id(n: usize) -> String {
    format!("INV-{n:05}")
}

pub struct Rich {
    pub id: String,
}

pub fn rich(db: &Db) -> Rich {
    rich_with(db, OBJECTS)
}

/// The rich incident with `objects` affected objects (every phase is still filled).
pub fn rich_with(db: &Db, objects: usize) -> Rich {
    let store = &db.store;
    let a = dana();
    for (name, role, email, phone) in [
        (ZOE, "Business owner", ZOE_EMAIL, ""),
        (ELENI, "Technical owner", "eleni@example.gr", ELENI_PHONE),
        (LENA, "Data protection officer", "lena.vogel@example.de", ""),
        ("Dana Reyes", "Incident commander", "dana@example.com", ""),
    ] {
        people::add(
            store,
            &a,
            PersonDetails { name: name.into(), role: role.into(), email: email.into(), phone: phone.into() },
        )
        .unwrap();
    }
    let now = Utc::now();
    let detected = now - Duration::hours(30);
    let inc = incident::create(store, &a, fields(HOSTILE_TITLE), false).unwrap();
    let id = inc.id.clone();
    guidance::update_incident(
        store,
        &a,
        &id,
        &[
            FieldChange::new("workflow", json!("Refunds & credits")),
            FieldChange::new("agent", json!("refund-agent (LangGraph)")),
            FieldChange::new("model", json!("gpt-4.1")),
            FieldChange::new("model_version", json!("2025-04-14")),
            FieldChange::new("prompt_config_hash", json!("sha256:9f2c4e")),
            FieldChange::new("toolset", json!(["email.send", "erp.refund", "crm.lookup"])),
            FieldChange::new("detected_by", json!("customer")),
            FieldChange::new("detected_at", json!(detected)),
            FieldChange::new("aware_at", json!(detected + Duration::minutes(40))),
            FieldChange::new("commander", json!("Dana Reyes")),
            FieldChange::new("business_owner", json!(ZOE)),
            FieldChange::new("technical_owner", json!(ELENI)),
            FieldChange::new("affected_systems", json!(["ERP", "Mail", "CRM"])),
            FieldChange::new("data_classes", json!(["personal_data", "financial"])),
            FieldChange::new("incident_types", json!(["external_send"])),
            FieldChange::new(
                "customer_impact",
                json!(format!("300 customers got wrong refund amounts; call {ZOE} at {ZOE_EMAIL} or {ELENI_PHONE}.")),
            ),
            FieldChange::new("vendor_impact", json!("None known")),
            FieldChange::new("employee_impact", json!("Support team handled 120 calls")),
            FieldChange::new(
                "summary",
                json!("The agent read a stale price list and emailed wrong refund amounts.\u{1b}[31m<script>alert(1)</script>"),
            ),
        ],
        false,
    )
    .unwrap();

    let answers =
        BTreeMap::from([("external_communication_wrong".to_string(), true), ("still_running".to_string(), true)]);
    severity::assess(
        store,
        &a,
        &id,
        answers,
        Some(firebreak_core::vocabulary::Severity::Sev2),
        Some("Amounts were small and are being corrected".into()),
    )
    .unwrap();
    let p1 =
        pause::pause(store, &a, &id, PauseScope::Tool, "email.send", ZOE, Some(detected + Duration::hours(1))).unwrap();
    pause::pause(store, &a, &id, PauseScope::Workflow, "refund workflow", ZOE, Some(detected + Duration::hours(1)))
        .unwrap();
    pause::lift(store, &a, &id, &p1.id, ELENI, Some(detected + Duration::hours(20))).unwrap();
    for (n, &area) in ContainmentArea::ALL.iter().enumerate() {
        let status = if n % 3 == 0 { ContainmentStatus::NotNeeded } else { ContainmentStatus::Done };
        containment::set(store, &a, &id, area, status, Some(&format!("checked by {ELENI}"))).unwrap();
    }
    for view in playbook::playbooks_for(store, &id).unwrap() {
        for step in &view.steps {
            playbook::tick(store, &a, &id, &view.playbook.id, &step.step.key, true, None).unwrap();
        }
    }
    let trace = db.dir.path().join("trace.jsonl");
    std::fs::write(&trace, "{\"tool\":\"email.send\",\"amount\":\"12.00\"}\n").unwrap();
    evidence::attach(store, &a, &id, EvidenceKind::ToolCallTrace, &trace, "exported from LangSmith").unwrap();
    for &kind in EvidenceKind::ALL {
        if kind != EvidenceKind::ToolCallTrace {
            evidence::set_status(store, &a, &id, kind, EvidenceStatus::NotApplicable, "Not kept by this agent")
                .unwrap();
        }
    }
    let mut csv =
        String::from("system,object_type,object_id,action,occurred_at,recovery_action,recovery_owner,status\n");
    for n in 0..objects {
        let system = ["ERP", "Mail", "CRM"][n % 3];
        let status = ["open", "in_progress", "recovered", "not_needed"][n % 4];
        let at = (detected + Duration::minutes(n as i64)).to_rfc3339();
        csv.push_str(&format!("{system},invoice,{},changed,{at},correct,{ELENI},{status}\n", object_id(n)));
    }
    affected::import_csv(store, &a, &id, csv.as_bytes()).unwrap();
    let first = affected::list(store, &id, &Default::default()).unwrap().rows.remove(0);
    affected::update(
        store,
        &a,
        &id,
        &first.id,
        &ObjectChanges {
            recovery_action: Some(RecoveryAction::RollBack),
            verified: Some(true),
            status: Some(ObjectStatus::Recovered),
            ..Default::default()
        },
    )
    .unwrap();
    affected::log_recovery(store, &a, &id, &first.id, "Reverted the invoice to version 3 in the ERP").unwrap();
    for &q in AuditQuestion::ALL {
        affected::answer(store, &a, &id, q, "Checked in the run record").unwrap();
    }
    communication::draft(store, &a, &id, Audience::Customers).unwrap();
    communication::approve(store, &a, &id, Audience::Customers, ZOE).unwrap();
    communication::mark_sent(store, &a, &id, Audience::Customers, now - Duration::hours(2), "email").unwrap();

    for (q, v) in [("personal_data", "yes"), ("risk", "yes"), ("high_risk", "no"), ("locations", "eu_eea")] {
        notification::answer(store, &a, &id, q, v).unwrap();
    }
    for q in ["nis2", "dora", "ai_act", "sec", "hipaa", "nydfs", "certin"] {
        notification::answer(store, &a, &id, q, "no").unwrap();
    }
    let applies = DecisionInput { decision: Some(Decision::Applies), decided_by: LENA.into(), ..Default::default() };
    notification::decide(store, &a, &id, "gdpr-art33", applies).unwrap();
    let not_34 = DecisionInput {
        decision: Some(Decision::NotApplicable),
        decided_by: LENA.into(),
        reason: "No high risk: amounts are corrected within a day".into(),
        ..Default::default()
    };
    notification::decide(store, &a, &id, "gdpr-art34", not_34).unwrap();
    notification::set_trigger(store, &a, &id, "gdpr-art33", "awareness", detected + Duration::minutes(40), LENA, "")
        .unwrap();
    let draft = notification::start(store, &a, &id, "gdpr-art33", "notification").unwrap();
    let changes = NotificationChanges {
        content: BTreeMap::from([("measures".to_string(), "Refund workflow paused; amounts corrected".to_string())]),
        delay_reasons: None,
    };
    notification::edit(store, &a, &draft.id, changes).unwrap();
    notification::approve(store, &a, &draft.id, LENA).unwrap();
    notification::submit(
        store,
        &a,
        &draft.id,
        SubmitInput { at: now - Duration::hours(1), channel: "DPC portal".into(), reference: "BN-2026-0042".into() },
    )
    .unwrap();

    for n in 0..5 {
        postmortem::add_timeline_entry(
            store,
            &a,
            &id,
            detected + Duration::hours(n),
            &format!("Customer call {n} logged by support"),
        )
        .unwrap();
    }
    postmortem::add_remediation(
        store,
        &a,
        &id,
        ControlType::ApprovalGate,
        "Human approval on refunds above 50 EUR",
        ELENI,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 15),
    )
    .unwrap();
    postmortem::add_remediation(
        store,
        &a,
        &id,
        ControlType::InputFreshness,
        "Check the price list's age before each run",
        ZOE,
        None,
    )
    .unwrap();
    let pm = Postmortem {
        summary: "Wrong refund amounts were emailed to 300 customers".into(),
        impact_records: Some(300),
        impact_customers: Some(300),
        impact_money: Some(1234.5),
        detection_gap: "No check of amounts before sending".into(),
        control_gap: "No approval gate on refunds".into(),
        root_cause: "The refund tool read a stale price list".into(),
        root_cause_layers: vec![RootCauseLayer::RetrievalData, RootCauseLayer::ToolsIntegrations],
        contributing_factors: vec![ContributingFactor::StaleData, ContributingFactor::MissingApproval],
        what_worked: "Customers reported quickly".into(),
        what_failed: "Monitoring did not alert".into(),
        five_whys: vec![
            "Amounts were wrong".into(),
            "The price list was stale".into(),
            "The sync job had failed".into(),
            "Nobody watched the sync job".into(),
            "It had no owner".into(),
        ],
        completed: true,
        ..Default::default()
    };
    postmortem::save(store, &a, &id, pm).unwrap();
    let answers: Vec<_> = ReenableQuestion::ALL.iter().map(|&q| (q, ReenableAnswerValue::Yes)).collect();
    reenable::answer_all(store, &a, &id, &answers, "").unwrap();
    let signed = reenable::signoff(store, &a, &id, ReenableStage::ReadOnly, ZOE, "Read-only is safe").unwrap();
    reenable::record_first_run(store, &a, &id, &signed.id, Utc::now()).unwrap();
    Rich { id }
}
