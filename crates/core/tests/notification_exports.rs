//! What leaves Firebreak about regulatory notification: the breach register (and its CSV) and the calendar of open
//! deadlines (iCalendar).

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use firebreak_core::incident::FieldChange;
use firebreak_core::people::{self, PersonDetails};
use firebreak_core::phases::guidance;
use firebreak_core::phases::notification::{
    self, BreachEffects, BreachEntry, BreachRegime, BreachSubmission, Decision, DecisionInput, NotificationChanges,
    SubmitInput,
};
use firebreak_core::vocabulary::{DataClass, Status};
use serde_json::json;
use std::collections::BTreeMap;

const LEGAL: &str = "Lena Vogel";

fn setup() -> Db {
    let db = db();
    people::add(&db.store, &dana(), PersonDetails { name: LEGAL.into(), ..Default::default() }).unwrap();
    db
}

fn personal_incident(db: &Db, title: &str) -> String {
    let inc = open_incident(db, title);
    guidance::update_incident(
        &db.store,
        &dana(),
        &inc.id,
        &[
            FieldChange::new("summary", json!("The agent copied customer profiles to a public bucket.")),
            FieldChange::new("data_classes", json!(["personal_data"])),
            FieldChange::new("customer_impact", json!("Names and emails of 1,200 customers exposed")),
        ],
        false,
    )
    .unwrap();
    inc.id
}

fn decide(db: &Db, id: &str, regime: &str, decision: Decision, reason: &str) {
    let input =
        DecisionInput { decision: Some(decision), reason: reason.into(), decided_by: LEGAL.into(), variant: None };
    notification::decide(&db.store, &dana(), id, regime, input).unwrap();
}

fn trigger(db: &Db, id: &str, regime: &str, kind: &str, at: DateTime<Utc>) {
    notification::set_trigger(&db.store, &dana(), id, regime, kind, at, LEGAL, "").unwrap();
}

/// Drafts, fills, approves and submits one stage.
fn submit(db: &Db, id: &str, regime: &str, stage: &str, content: &[(&str, &str)], reference: &str) {
    let draft = notification::start(&db.store, &dana(), id, regime, stage).unwrap();
    let content: BTreeMap<String, String> = content.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    notification::edit(&db.store, &dana(), &draft.id, NotificationChanges { content, delay_reasons: None }).unwrap();
    notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();
    let input = SubmitInput { at: Utc::now(), channel: "DPC portal".into(), reference: reference.into() };
    notification::submit(&db.store, &dana(), &draft.id, input).unwrap();
}

#[test]
fn the_register_holds_every_incident_with_personal_data_notified_or_not() {
    let db = setup();
    let plain = open_incident(&db, "Cost runaway in the summariser").id;
    notification::answer(&db.store, &dana(), &plain, "personal_data", "no").unwrap();
    let by_record = personal_incident(&db, "Support bot pasted a customer's address into a ticket");
    let unsure = open_incident(&db, "Agent may have read HR files").id;
    notification::answer(&db.store, &dana(), &unsure, "personal_data", "unsure").unwrap();

    let not_notified = personal_incident(&db, "Encrypted backup copied to a vendor");
    for (q, a) in [("personal_data", "yes"), ("locations", "eu_eea"), ("risk", "yes"), ("high_risk", "no")] {
        notification::answer(&db.store, &dana(), &not_notified, q, a).unwrap();
    }
    let reasoning = "Encrypted with AES-256; the key was never exposed, so no risk to the people concerned";
    decide(&db, &not_notified, "gdpr-art33", Decision::NotApplicable, reasoning);

    let notified = personal_incident(&db, "Agent exported customer records to a public bucket");
    for (q, a) in [("personal_data", "yes"), ("locations", "eu_eea,us_ca"), ("risk", "yes"), ("high_risk", "no")] {
        notification::answer(&db.store, &dana(), &notified, q, a).unwrap();
    }
    decide(&db, &notified, "gdpr-art33", Decision::Applies, "");
    trigger(&db, &notified, "gdpr-art33", "awareness", Utc::now() - Duration::hours(5));
    submit(
        &db,
        &notified,
        "gdpr-art33",
        "notification",
        &[("measures", "Bucket made private"), ("contact", "dpo@example.com")],
        "BN-2026-0042",
    );

    let register = notification::breach_register(&db.store).unwrap();
    let ids: Vec<&str> = register.iter().map(|e| e.incident.as_str()).collect();
    assert!(!ids.contains(&plain.as_str()), "no personal data, not in the register: {ids:?}");
    assert_eq!(ids, [notified.as_str(), not_notified.as_str(), unsure.as_str(), by_record.as_str()], "newest first");
    let entry = |id: &str| register.iter().find(|e| e.incident == id).unwrap();

    let e = entry(&by_record);
    assert_eq!(e.personal_data, None, "unanswered, brought in by the record's data classes");
    assert!(e.record_mentions_personal_data);
    assert_eq!(e.effects.impacts, ["Customers: Names and emails of 1,200 customers exposed"]);
    assert_eq!(e.effects.data_classes, [DataClass::PersonalData]);
    assert!(e.regimes.is_empty(), "nothing answered, nothing suggested or decided");

    let e = entry(&not_notified);
    assert!(!e.notified);
    let gdpr = e.regimes.iter().find(|r| r.regime == "gdpr-art33").unwrap();
    assert_eq!(gdpr.decision, Some(Decision::NotApplicable));
    assert_eq!(gdpr.reasoning, reasoning, "a breach not notified keeps its reasoning (Art. 33(5))");
    assert_eq!(gdpr.decided_by.as_deref(), Some(LEGAL));
    assert!(gdpr.submissions.is_empty());

    let e = entry(&notified);
    assert!(e.notified);
    assert_eq!(e.facts, "The agent copied customer profiles to a public bucket.");
    let gdpr = e.regimes.iter().find(|r| r.regime == "gdpr-art33").unwrap();
    assert_eq!(gdpr.decision, Some(Decision::Applies));
    assert!(gdpr.reasoning.contains("People in EU / EEA: yes"), "no reason given: the suggestion's: {gdpr:?}");
    assert_eq!(gdpr.submissions.len(), 1);
    assert_eq!(gdpr.submissions[0].reference.as_deref(), Some("BN-2026-0042"));
    assert_eq!(gdpr.submissions[0].channel.as_deref(), Some("DPC portal"));
    let ca = e.regimes.iter().find(|r| r.regime == "us-ca").unwrap();
    assert_eq!((ca.decision, ca.suggested), (None, true), "suggested and not decided is listed too");

    let csv = notification::breach_register_csv(&register);
    assert!(csv.contains("BN-2026-0042") && csv.contains(reasoning), "{csv}");
}

fn entry(title: &str, facts: &str) -> BreachEntry {
    BreachEntry {
        incident: "AI-INC-2026-0301-001".into(),
        title: title.into(),
        status: Status::Investigating,
        detected_at: Some(DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z").unwrap().to_utc()),
        aware_at: None,
        personal_data: Some(notification::Answer::Yes),
        record_mentions_personal_data: true,
        facts: facts.into(),
        effects: BreachEffects {
            impacts: vec!["Customers: 12".into(), "Employees: 3".into()],
            data_classes: vec![DataClass::PersonalData, DataClass::Health],
            affected_objects: 15,
        },
        remedial_action: vec!["-1 rollback".into()],
        notified: true,
        regimes: vec![BreachRegime {
            regime: "gdpr-art33".into(),
            name: "GDPR Art. 33".into(),
            decision: Some(Decision::Applies),
            decided_by: Some(LEGAL.into()),
            decided_at: None,
            suggested: true,
            reasoning: "@SUM(A1) said \"yes\"".into(),
            submissions: vec![BreachSubmission {
                stage: "notification".into(),
                sequence: 1,
                submitted_at: None,
                channel: None,
                reference: Some("BN-7".into()),
            }],
        }],
    }
}

#[test]
fn the_register_csv_is_rfc_4180_and_neutralises_formulas() {
    let entries = [
        entry("Refund bot, \"urgent\"\nsecond line", "=HYPERLINK(\"http://evil\",\"click\")"),
        entry("+cmd|' /C calc'!A0", "plain facts"),
    ];
    let csv = notification::breach_register_csv(&entries);
    assert!(csv.ends_with("\r\n"));
    assert!(csv.starts_with("incident,title,status,detected_at,aware_at,personal_data,facts,"), "{csv}");
    // Line ends outside quotes are CRLF; a bare LF only occurs inside a quoted cell.
    let mut quoted = false;
    let bytes = csv.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => assert_eq!(bytes[i - 1], b'\r', "CRLF at byte {i}"),
            _ => {}
        }
    }
    assert!(!quoted, "every quote is closed");

    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "one row per incident");
    let cell = |row: usize, name: &str| rows[row][headers.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(cell(0, "title"), "Refund bot, \"urgent\"\nsecond line", "commas, quotes and newlines survive");
    assert_eq!(cell(0, "facts"), "'=HYPERLINK(\"http://evil\",\"click\")");
    assert_eq!(cell(1, "title"), "'+cmd|' /C calc'!A0");
    assert_eq!(cell(1, "facts"), "plain facts");
    assert_eq!(cell(0, "remedial_action"), "'-1 rollback");
    assert_eq!(cell(0, "reasoning"), "GDPR Art. 33: @SUM(A1) said \"yes\"", "only a cell's first character counts");
    assert_eq!(cell(0, "impacts"), "Customers: 12\nEmployees: 3");
    assert_eq!(cell(0, "data_classes"), "Personal data, Health data");
    assert_eq!(cell(0, "affected_objects"), "15");
    assert_eq!(cell(0, "detected_at"), "2026-03-01T09:00:00Z");
    assert!(cell(0, "decisions").starts_with("GDPR Art. 33: applies (decided by Lena Vogel"));
    assert!(cell(0, "submissions").contains("reference BN-7"), "{}", cell(0, "submissions"));
    let neutral = entry("@evil", "-2+3");
    let csv = notification::breach_register_csv(&[neutral]);
    assert!(csv.contains(",'@evil,") && csv.contains(",'-2+3,"), "{csv}");
}

/// The content lines of an iCalendar text, unfolded, after checking the physical lines.
fn unfolded(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    let mut lines: Vec<String> = Vec::new();
    for physical in ics.strip_suffix("\r\n").unwrap().split("\r\n") {
        assert!(!physical.contains('\n') && !physical.contains('\r'), "bare line end in {physical:?}");
        assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
        match physical.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("a continuation follows a line").push_str(rest),
            None => lines.push(physical.to_string()),
        }
    }
    lines
}

fn events(lines: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for l in lines {
        match l.as_str() {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => out.push(current.take().unwrap()),
            _ => {
                if let Some(c) = current.as_mut() {
                    c.push(l.clone());
                }
            }
        }
    }
    out
}

fn prop<'a>(event: &'a [String], name: &str) -> &'a str {
    let prefix = format!("{name}:");
    event.iter().find_map(|l| l.strip_prefix(&prefix)).unwrap_or_else(|| panic!("no {name} in {event:?}"))
}

#[test]
fn the_calendar_has_one_event_per_open_deadline_with_stable_uids_and_reminders() {
    let db = setup();
    let id = personal_incident(&db, "Agent exported customer records");
    let aware = Utc::now() - Duration::hours(2);
    decide(&db, &id, "gdpr-art33", Decision::Applies, "");
    decide(&db, &id, "nis2", Decision::Applies, "");
    decide(&db, &id, "in-dpdp", Decision::Applies, "");
    decide(&db, &id, "gdpr-art34", Decision::Applies, "");
    for regime in ["gdpr-art33", "nis2", "in-dpdp"] {
        trigger(&db, &id, regime, "awareness", aware);
    }
    trigger(&db, &id, "gdpr-art34", "high_risk", aware);
    let reason = "Behörde agreed, by phone; ref. 7\\2026 — \"Frist\" verlängert über Ostern für die Überprüfung";
    let extended = Utc::now() + Duration::days(5);
    notification::override_due(&db.store, &dana(), &id, "nis2", "notification", Some(extended), reason, LEGAL).unwrap();
    submit(&db, &id, "nis2", "early-warning", &[("malicious", "No"), ("cross_border", "No")], "CSIRT-1");

    let now = Utc::now();
    let ics = notification::incident_deadlines_ics(&db.store, &id, now).unwrap();
    let lines = unfolded(&ics);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.iter().any(|l| l == "VERSION:2.0"));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    assert!(ics.split("\r\n").any(|l| l.starts_with(' ')), "the long descriptions were folded");

    let events = events(&lines);
    let summaries: Vec<&str> = events.iter().map(|e| prop(e, "SUMMARY")).collect();
    assert_eq!(
        summaries,
        [
            format!("GDPR Art. 33 notification due — {id}"),
            format!("NIS2 Art. 23 early-warning submitted — {id}"),
            format!("NIS2 Art. 23 notification due — {id}"),
            format!("India DPDP Rules 2025\\, Rule 7 report due — {id}"),
        ],
        "waiting (final-report) and clockless (Art. 34) stages have no event"
    );
    let early = &events[1];
    assert!(!early.iter().any(|l| l == "BEGIN:VALARM"), "a submitted stage reminds nobody: {early:?}");
    assert!(prop(early, "DESCRIPTION").starts_with("Submitted on time: "), "{}", prop(early, "DESCRIPTION"));
    let gdpr = &events[0];
    assert_eq!(prop(gdpr, "DTSTART"), (aware + Duration::hours(72)).format("%Y%m%dT%H%M%SZ").to_string());
    assert!(prop(gdpr, "DTSTAMP").ends_with('Z'));
    assert!(!gdpr.iter().any(|l| l.starts_with("DTEND")), "an instant: no DTEND later than DTSTART");
    let triggers: Vec<&str> = gdpr.iter().filter_map(|l| l.strip_prefix("TRIGGER:")).collect();
    assert_eq!(triggers, ["-PT24H", "-PT4H", "-PT1H"]);
    assert_eq!(gdpr.iter().filter(|l| *l == "BEGIN:VALARM").count(), 3);
    assert!(prop(gdpr, "DESCRIPTION").contains("Rule: 72 hours after awareness"), "{}", prop(gdpr, "DESCRIPTION"));

    let nis2 = &events[2];
    assert_eq!(prop(nis2, "DTSTART"), extended.format("%Y%m%dT%H%M%SZ").to_string(), "the override is in force");
    let escaped = "Behörde agreed\\, by phone\\; ref. 7\\\\2026 — \"Frist\" verlängert";
    assert!(prop(nis2, "DESCRIPTION").contains(escaped), "{}", prop(nis2, "DESCRIPTION"));
    assert!(prop(nis2, "DESCRIPTION").contains("\\n"), "line breaks are escaped, never raw");
    assert!(!prop(gdpr, "DESCRIPTION").contains("UNVERIFIED"));
    assert!(prop(&events[3], "DESCRIPTION").contains("UNVERIFIED"), "the unverified mark travels with the event");

    let later = notification::incident_deadlines_ics(&db.store, &id, now + Duration::hours(1)).unwrap();
    let again = self::events(&unfolded(&later));
    let uids = |evs: &[Vec<String>]| evs.iter().map(|e| prop(e, "UID").to_string()).collect::<Vec<_>>();
    assert_eq!(uids(&events), uids(&again), "a newer export updates the same events");
    assert_eq!(prop(&events[0], "UID"), format!("{id}.gdpr-art33.notification@firebreak"));
    let seq = |evs: &[Vec<String>]| prop(&evs[0], "SEQUENCE").parse::<i64>().unwrap();
    assert!(seq(&again) > seq(&events), "and says it is newer");

    // Submitting replaces the event a calendar already has (same UID, newer SEQUENCE) with one that reminds nobody.
    let gdpr_items = [("measures", "Bucket closed"), ("contact", "privacy@example.com")];
    submit(&db, &id, "gdpr-art33", "notification", &gdpr_items, "DPC-1");
    let after = self::events(&unfolded(&notification::incident_deadlines_ics(&db.store, &id, now).unwrap()));
    assert_eq!(uids(&after), uids(&events));
    assert_eq!(prop(&after[0], "SUMMARY"), format!("GDPR Art. 33 notification submitted — {id}"));
    assert!(!after[0].iter().any(|l| l == "BEGIN:VALARM"));

    let all = notification::all_deadlines_ics(&db.store, now).unwrap();
    let other = personal_incident(&db, "Second incident");
    decide(&db, &other, "gdpr-art33", Decision::Applies, "");
    trigger(&db, &other, "gdpr-art33", "awareness", aware);
    let both = notification::all_deadlines_ics(&db.store, now).unwrap();
    assert_eq!(self::events(&unfolded(&all)).len(), 4);
    assert_eq!(self::events(&unfolded(&both)).len(), 5, "every incident's deadlines in one calendar");
}

#[test]
fn an_empty_calendar_is_still_a_valid_calendar() {
    let ics = notification::deadlines_ics(&[], Utc::now());
    let lines = unfolded(&ics);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(events(&lines).is_empty());
}
