//! The built-in notification templates: one per regime stage, each reading like the document its addressee
//! receives (addressee, legal basis, our reference, every item under its own heading, the gaps still open, the
//! reasons for a delay and the supplement heading when they apply).

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use firebreak_core::deadlines::{ContentItem, Regime};
use firebreak_core::incident::FieldChange;
use firebreak_core::people::{self, PersonDetails};
use firebreak_core::phases::guidance;
use firebreak_core::phases::notification::{
    self, Decision, DecisionInput, Notification, NotificationChanges, SubmitInput,
};
use serde_json::json;
use std::collections::BTreeMap;

const LEGAL: &str = "Lena Vogel";

/// An incident as a legal reviewer would meet it: a summary, the data involved, who is affected, a commander with
/// contact details.
fn setup() -> (Db, String) {
    let db = db();
    people::add(&db.store, &dana(), PersonDetails { name: LEGAL.into(), ..Default::default() }).unwrap();
    let commander = PersonDetails {
        name: "Dana Reyes".into(),
        role: "Incident commander".into(),
        email: "dana.reyes@example.com".into(),
        phone: "+49 30 1234 5678".into(),
    };
    people::add(&db.store, &dana(), commander).unwrap();
    let inc = open_incident(&db, "Support agent exported customer records to a public bucket");
    guidance::update_incident(
        &db.store,
        &dana(),
        &inc.id,
        &[
            FieldChange::new("summary", json!("The support agent copied 1,200 customer profiles to a public bucket.")),
            FieldChange::new("data_classes", json!(["personal_data", "health"])),
            FieldChange::new("customer_impact", json!("Names, emails and appointment notes of 1,200 customers")),
            FieldChange::new("commander", json!("Dana Reyes")),
            FieldChange::new("severity", json!("sev1")),
            FieldChange::new("detected_at", json!((Utc::now() - Duration::days(40)).to_rfc3339())),
        ],
        false,
    )
    .unwrap();
    (db, inc.id)
}

fn regimes(db: &Db) -> Vec<Regime> {
    notification::catalog(&db.store).unwrap().regimes
}

fn regime(db: &Db, id: &str) -> Regime {
    regimes(db).into_iter().find(|r| r.id == id).unwrap()
}

/// Confirms `regime` applies and starts every one of its clocks at `at`.
fn applies_since(db: &Db, id: &str, regime: &Regime, variant: Option<&str>, at: DateTime<Utc>) {
    let input = DecisionInput {
        decision: Some(Decision::Applies),
        decided_by: LEGAL.into(),
        variant: variant.map(str::to_string),
        ..Default::default()
    };
    notification::decide(&db.store, &dana(), id, &regime.id, input).unwrap();
    for kind in &regime.triggers {
        notification::set_trigger(&db.store, &dana(), id, &regime.id, kind, at, LEGAL, "").unwrap();
    }
}

/// The stage names of a regime for one variant, each once, in catalog order.
fn stages<'a>(regime: &'a Regime, variant: Option<&str>) -> Vec<(&'a str, &'a [ContentItem])> {
    regime
        .stages
        .iter()
        .filter(|s| s.variant.is_none() || s.variant.as_deref() == variant)
        .map(|s| (s.name.as_str(), s.content.as_slice()))
        .collect()
}

/// What a reviewer might write for an item; distinct per key so each can be found under its own heading.
fn realistic(item: &ContentItem) -> String {
    let text = match item.key.as_str() {
        "nature" => "An AI support agent copied customer profiles to a publicly readable storage bucket.",
        "data_subjects" => "About 1,200 customers of our online shop, all adults.",
        "records" => "About 1,200 records: names, email addresses and appointment notes.",
        "contact" => "Data Protection Officer, dpo@example.com, +49 30 1234 5600.",
        "consequences" => "Unwanted emails and phishing attempts using the appointment details.",
        "measures" => "The bucket was made private within two hours; the agent is paused and its keys rotated.",
        "individual_steps" => "Be wary of emails that mention your appointments; never share your password.",
        "what_happened" => "On 3 March an AI support agent copied customer profiles to a public bucket.",
        "information_involved" => "Names, email addresses and appointment notes.",
        "what_we_are_doing" => "We closed access, paused the agent and reviewed every record it touched.",
        "description" => "An AI agent published customer records through a misconfigured storage bucket.",
        "root_cause" => "A tool permission let the agent write outside its sandbox.",
        "mitigation" => "Sandbox permissions narrowed; every export now needs human approval.",
        "update" => "Contained on day one; no further copies found.",
        "severity_impact" => "High: personal data of 1,200 customers was publicly readable for 2 hours.",
        "indicators" => "Bucket name fb-export-tmp; agent run 7f3c.",
        "malicious" => "No sign of unlawful or malicious acts; a configuration error.",
        "cross_border" => "Customers in Germany and Austria are affected.",
        "reference" => "Incident reference FB-2026-03.",
        "detected_at" => "3 March 2026, 09:40 CET.",
        "classification" => "Major: data losses and clients affected above the thresholds.",
        "member_states" => "Germany, Austria.",
        "discovery" => "A monitoring alert on public bucket access.",
        "origin" => "Internal: an AI agent's tool configuration.",
        "bcp" => "No; the service continued without the agent.",
        "entity" => "Example Shop GmbH, LEI 5299000EXAMPLE000001, incidents@example.com.",
        "ai_system" => "Support assistant v4, a high-risk AI system under Annex III.",
        "nature_scope_timing" => "On 3 March an AI agent exposed customer records for about two hours.",
        "material_impact" => "Remediation costs of about USD 2 million are reasonably likely.",
        "unknown_facts" => "The number of downloads of the exposed file is not yet known.",
        "sample_notice" => "The residents' notice of 10 March, without names or addresses.",
        "residents_count" => "612 California residents.",
        "assessment" => "There are reasonable grounds to believe an eligible data breach occurred.",
        "security_measures" => "Encryption at rest; access logs; the bucket lacked an access policy.",
        "cause" => "The agent's export tool had write access to a public bucket.",
        "recurrence" => "Agent tools reviewed quarterly; exports blocked by default.",
        "notices" => "1,200 customers were informed by email on 5 March.",
        _ => "",
    };
    if text.is_empty() {
        format!("Our answer on {}.", item.label)
    } else {
        text.to_string()
    }
}

fn fill(db: &Db, draft: &Notification, items: &[ContentItem]) -> Notification {
    let content = items.iter().map(|i| (i.key.clone(), realistic(i))).collect();
    let changes = NotificationChanges { content, delay_reasons: None };
    notification::edit(&db.store, &dana(), &draft.id, changes).unwrap().notification
}

/// The document split at its Markdown headings: (heading line, text under it).
fn sections(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![(String::new(), String::new())];
    for line in text.lines() {
        if line.starts_with('#') {
            out.push((line.to_string(), String::new()));
        } else {
            let body = &mut out.last_mut().unwrap().1;
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// Where a document's own headings replace the regime's labels (plain-language notices), the heading to look for.
fn heading(regime: &str, stage: &str, key: &str) -> Option<&'static str> {
    let heading = match (regime, stage, key) {
        ("gdpr-art34", _, "nature") => "What happened",
        ("gdpr-art34", _, "contact") => "Who you can contact",
        ("gdpr-art34", _, "consequences") => "What this may mean for you",
        ("gdpr-art34", _, "measures") => "What we have done and are doing about it",
        ("gdpr-art34", _, "individual_steps") => "What you can do to protect yourself",
        ("hipaa", "individuals" | "media", "what_happened") => "What Happened",
        ("hipaa", "individuals" | "media", "information_involved") => "What Information Was Involved",
        ("hipaa", "individuals", "individual_steps") => "What You Should Do",
        ("hipaa", "media", "individual_steps") => "What Affected Individuals Should Do",
        ("hipaa", "individuals" | "media", "what_we_are_doing") => "What We Are Doing",
        ("hipaa", "individuals" | "media", "contact") => "For More Information",
        _ => return None,
    };
    Some(heading)
}

/// The label up to its first qualifier ("What Happened (incl. …)" → "What Happened"), which a fixed-form heading
/// keeps.
fn core(label: &str) -> &str {
    let end = [label.find(" ("), label.find(',')].into_iter().flatten().min().unwrap_or(label.len());
    &label[..end]
}

/// Checks one filled draft reads as a complete document: addressee, basis, reference, every item in its own section
/// in the stage's order, the closing line, and nothing that reads badly.
fn check_document(regime: &Regime, stage: &str, items: &[ContentItem], id: &str, text: &str) {
    let at = format!("{}/{stage}", regime.id);
    assert!(!text.starts_with("Notification: "), "{at} fell back to the default template:\n{text}");
    assert!(text.lines().next().is_some_and(|l| !l.trim().is_empty()), "{at} starts with its title:\n{text}");
    for (what, needle) in
        [("addressee", &regime.notifies), ("legal basis", &regime.legal_reference), ("reference", &id.to_string())]
    {
        assert!(text.contains(needle.as_str()), "{at} lacks the {what} {needle:?}:\n{text}");
    }
    let sections = sections(text);
    // Each item is looked for after the previous one, so finding them all also proves the stage's order.
    let mut next = 0;
    for item in items {
        let want = heading(&regime.id, stage, &item.key).unwrap_or_else(|| core(&item.label)).to_lowercase();
        let value = realistic(item);
        let found = sections
            .iter()
            .enumerate()
            .skip(next)
            .find(|(_, (h, body))| h.to_lowercase().contains(&want) && body.contains(&value));
        let Some((index, _)) = found else {
            panic!("{at}: {} is not under a heading {want:?}, in the stage's order:\n{text}", item.key)
        };
        next = index + 1;
    }
    let closing = format!("from incident record {id}.");
    let last_line = text.trim_end().lines().last().unwrap();
    assert!(last_line.starts_with("Prepared ") && last_line.ends_with(&closing), "{at} ends with {last_line:?}");
    assert!(!text.contains("[to be completed"), "{at}: every item was filled:\n{text}");
    assert!(!text.contains("\n\n\n"), "{at} has a run of blank lines:\n{text}");
    assert!(text.lines().all(|l| l == l.trim_end()), "{at} has trailing spaces:\n{text}");
    assert!(!text.contains("</") && !text.contains("<br"), "{at} is plain text, not HTML:\n{text}");
}

#[test]
fn every_regime_stage_has_its_own_built_in_template() {
    let (db, _) = setup();
    let builtin = notification::builtin_templates();
    assert!(builtin.contains(&"default"), "the fallback for a user's own regimes stays");
    let mut expected = vec!["default".to_string()];
    for regime in regimes(&db) {
        for stage in &regime.stages {
            let key = format!("{}/{}", regime.id, stage.name);
            assert!(builtin.contains(&key.as_str()), "{key} has no built-in template of its own");
            if !expected.contains(&key) {
                expected.push(key);
            }
        }
    }
    let mut listed: Vec<String> = builtin.iter().map(|k| k.to_string()).collect();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected, "every built-in template belongs to a stage of the catalog");
}

#[test]
fn drafts_for_a_realistic_incident_read_as_complete_documents() {
    let (db, id) = setup();
    let aware = Utc::now() - Duration::hours(1);
    for regime in regimes(&db).iter().filter(|r| r.variants.is_empty()) {
        applies_since(&db, &id, regime, None, aware);
        for (stage, items) in stages(regime, None) {
            let draft = notification::start(&db.store, &dana(), &id, &regime.id, stage).unwrap();
            let filled = fill(&db, &draft, items);
            check_document(regime, stage, items, &id, &filled.text);
        }
    }
    // One template serves every variant of the AI Act; each incident has one variant, so one incident each.
    let ai_act = regime(&db, "eu-ai-act-art73");
    for (variant, limit) in [("general", "15 days"), ("widespread", "2 days"), ("death", "10 days")] {
        let (db, id) = setup();
        applies_since(&db, &id, &ai_act, Some(variant), aware);
        for (stage, items) in stages(&ai_act, Some(variant)) {
            let draft = notification::start(&db.store, &dana(), &id, &ai_act.id, stage).unwrap();
            let text = fill(&db, &draft, items).text;
            check_document(&ai_act, stage, items, &id, &text);
            assert!(text.contains(&format!("at the latest {limit} after becoming aware")), "{variant}:\n{text}");
        }
    }
}

#[test]
fn the_california_notice_has_the_statutory_title_and_headings_in_order() {
    let (db, id) = setup();
    applies_since(&db, &id, &regime(&db, "us-ca"), None, Utc::now() - Duration::days(2));
    let draft = notification::start(&db.store, &dana(), &id, "us-ca", "residents").unwrap();
    assert_eq!(draft.text.lines().next(), Some("Notice of Data Breach"));
    let headings: Vec<&str> = draft.text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## What Happened",
            "## What Information Was Involved",
            "## What We Are Doing",
            "## What You Can Do",
            "## For More Information"
        ],
        "{}",
        draft.text
    );
}

#[test]
fn an_empty_item_shows_the_gap_by_its_label() {
    let (db, id) = setup();
    let aware = Utc::now() - Duration::hours(1);
    applies_since(&db, &id, &regime(&db, "gdpr-art33"), None, aware);
    // Nothing in the record answers "measures", so the draft shows the gap under the item's own heading.
    let draft = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    let gap = "(Art. 33(3)(d))\n[to be completed: Measures taken or proposed to address the breach, incl. to mitigate \
               its possible adverse effects]\n";
    assert!(draft.text.contains(gap), "{}", draft.text);

    // An item emptied by the reviewer shows the gap again, in a fixed form and in a listed one.
    applies_since(&db, &id, &regime(&db, "us-ca"), None, aware);
    let draft = notification::start(&db.store, &dana(), &id, "us-ca", "residents").unwrap();
    let cleared = NotificationChanges {
        content: BTreeMap::from([("information_involved".to_string(), String::new())]),
        delay_reasons: None,
    };
    let text = notification::edit(&db.store, &dana(), &draft.id, cleared).unwrap().notification.text;
    assert!(
        text.contains("## What Information Was Involved\n[to be completed: What Information Was Involved]\n"),
        "{text}"
    );
    applies_since(&db, &id, &regime(&db, "nis2"), None, aware);
    let draft = notification::start(&db.store, &dana(), &id, "nis2", "early-warning").unwrap();
    assert!(
        draft.text.contains(
            "[to be completed: Whether the incident is suspected of being caused by unlawful or malicious acts]"
        ),
        "{}",
        draft.text
    );
}

#[test]
fn an_optional_item_left_empty_never_reaches_the_authority_as_a_gap() {
    let (db, id) = setup();
    applies_since(&db, &id, &regime(&db, "nis2"), None, Utc::now() - Duration::hours(1));
    let draft = notification::start(&db.store, &dana(), &id, "nis2", "early-warning").unwrap();
    let filled = NotificationChanges {
        content: BTreeMap::from([
            ("malicious".to_string(), "Not suspected: the agent followed a faulty instruction.".to_string()),
            ("cross_border".to_string(), "None known.".to_string()),
            ("contact".to_string(), String::new()),
        ]),
        delay_reasons: None,
    };
    let edited = notification::edit(&db.store, &dana(), &draft.id, filled).unwrap();
    let text = &edited.notification.text;
    let contact = sections(text).into_iter().find(|(h, _)| h.ends_with("Contact point")).unwrap().1;
    assert!(contact.trim().starts_with(notification::NOT_AVAILABLE), "{text}");
    assert!(!text.contains("[to be completed"), "{text}");
    // The reviewer's item stays empty, so it can still be filled in later.
    assert!(edited.notification.content.get("contact").is_none_or(|v| v.is_empty()));
    notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();
}

#[test]
fn a_late_draft_asks_for_the_reasons_for_the_delay_where_the_law_puts_them() {
    let (db, id) = setup();
    applies_since(&db, &id, &regime(&db, "gdpr-art33"), None, Utc::now() - Duration::hours(80));
    let draft = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    assert!(
        draft.text.contains("## Reasons for the delay (Art. 33(1))\n[to be completed: Reasons for the delay]\n"),
        "{}",
        draft.text
    );
    let reasons = NotificationChanges {
        delay_reasons: Some("The export was found only in a weekend log review.".into()),
        ..Default::default()
    };
    let text = notification::edit(&db.store, &dana(), &draft.id, reasons).unwrap().notification.text;
    assert!(
        text.contains("## Reasons for the delay (Art. 33(1))\nThe export was found only in a weekend log review.\n"),
        "{text}"
    );

    // LGPD Art. 48 §1 puts the reasons at item V, between the risks (IV) and the measures (VI).
    applies_since(&db, &id, &regime(&db, "br-lgpd"), None, Utc::now() - Duration::days(10));
    let text = notification::start(&db.store, &dana(), &id, "br-lgpd", "notification").unwrap().text;
    let (iv, v, vi) = (text.find("## IV. "), text.find("## V. Reasons for the delay"), text.find("## VI. "));
    assert!(iv < v && v < vi && iv.is_some(), "{text}");

    // California keeps its five headings; the delay is explained under What Happened.
    applies_since(&db, &id, &regime(&db, "us-ca"), None, Utc::now() - Duration::days(35));
    let text = notification::start(&db.store, &dana(), &id, "us-ca", "residents").unwrap().text;
    let happened = sections(&text).into_iter().find(|(h, _)| h == "## What Happened").unwrap().1;
    assert!(happened.contains("Reasons for the delay: [to be completed: Reasons for the delay]"), "{text}");

    // In time: no such section.
    let (db, id) = setup();
    applies_since(&db, &id, &regime(&db, "gdpr-art33"), None, Utc::now() - Duration::hours(2));
    let draft = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    assert!(!draft.text.contains("Reasons for the delay"), "{}", draft.text);
}

fn submit_first(db: &Db, id: &str, regime: &Regime, stage: &str) {
    let items = &regime.stages.iter().find(|s| s.name == stage).unwrap().content;
    let draft = notification::start(&db.store, &dana(), id, &regime.id, stage).unwrap();
    fill(db, &draft, items);
    notification::approve(&db.store, &dana(), &draft.id, LEGAL).unwrap();
    let at = SubmitInput { at: Utc::now(), channel: "Authority portal".into(), reference: "BN-2026-0042".into() };
    notification::submit(&db.store, &dana(), &draft.id, at).unwrap();
}

#[test]
fn a_supplement_says_so_in_its_title_and_heading() {
    let (db, id) = setup();
    let aware = Utc::now() - Duration::hours(3);
    let gdpr = regime(&db, "gdpr-art33");
    applies_since(&db, &id, &gdpr, None, aware);
    submit_first(&db, &id, &gdpr, "notification");
    let supplement = notification::start(&db.store, &dana(), &id, "gdpr-art33", "notification").unwrap();
    assert_eq!(supplement.sequence, 2);
    let text = &supplement.text;
    assert!(text.starts_with("Supplementary information no. 1: personal data breach notification\n"), "{text}");
    assert!(text.contains("## Supplementary information (Art. 33(4))\n"), "{text}");
    assert!(!text.contains("\nDue: "), "a supplement has no due time of its own:\n{text}");

    let sec = regime(&db, "sec-8k-105");
    applies_since(&db, &id, &sec, None, aware);
    submit_first(&db, &id, &sec, "filing");
    let amendment = notification::start(&db.store, &dana(), &id, "sec-8k-105", "filing").unwrap();
    assert!(amendment.text.starts_with("FORM 8-K/A (Amendment No. 1)\n"), "{}", amendment.text);
    assert!(amendment.text.contains("## Explanatory Note\n"), "{}", amendment.text);
}

#[test]
fn an_unverified_regime_says_what_to_check_and_a_verified_one_does_not() {
    let (db, id) = setup();
    let aware = Utc::now() - Duration::hours(1);
    let checks = [
        ("dora", "initial", "12:00 of the next working day"),
        ("eu-ai-act-art73", "report", "Digital Omnibus"),
        ("in-dpdp", "report", "13 May 2027"),
        ("gdpr-art33", "notification", ""),
        ("sec-8k-105", "filing", ""),
    ];
    for (regime_id, stage, point) in checks {
        let r = regime(&db, regime_id);
        applies_since(&db, &id, &r, r.variants.first().map(String::as_str), aware);
        let text = notification::start(&db.store, &dana(), &id, regime_id, stage).unwrap().text;
        let line = text.lines().find(|l| l.starts_with("Check before relying on it: "));
        match (r.verified, line) {
            (false, Some(line)) => assert!(line.contains(point), "{regime_id}: {line}"),
            (true, None) => {}
            (verified, line) => panic!("{regime_id} (verified: {verified}) shows {line:?}"),
        }
    }
}
