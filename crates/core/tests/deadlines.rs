//! The deadline engine against cases worked out by hand from the counting rules in docs/ARCHITECTURE.md
//! ("Regulatory deadlines"). Expected instants are written literally; none is computed with the engine's own
//! helpers.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use firebreak_core::deadlines::{self, compute, Catalog};
use firebreak_core::ErrorCode;
use std::collections::BTreeMap;

struct Case {
    what: &'static str,
    regime: &'static str,
    variant: Option<&'static str>,
    triggers: &'static [(&'static str, &'static str)],
    submitted: &'static [(&'static str, &'static str)],
    zone: &'static str,
    stage: &'static str,
    /// (due UTC, due date in the authority zone); None when the clock has not started or has no length.
    due: Option<(&'static str, &'static str)>,
    waits_for: Option<&'static str>,
}

const fn case(
    what: &'static str,
    regime: &'static str,
    triggers: &'static [(&'static str, &'static str)],
    zone: &'static str,
    stage: &'static str,
    due: Option<(&'static str, &'static str)>,
) -> Case {
    Case { what, regime, variant: None, triggers, submitted: &[], zone, stage, due, waits_for: None }
}

const BXL: &str = "Europe/Brussels";
const NY: &str = "America/New_York";
const SP: &str = "America/Sao_Paulo";

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    vec![
        // Hour clocks: absolute, weekends and DST changes do not matter.
        case("GDPR Fri 09:00 -> Mon 09:00 (EDPB)", "gdpr-art33", &[("awareness", "2026-11-20T09:00:00Z")], BXL, "notification", Some(("2026-11-23T09:00:00Z", "2026-11-23"))),
        case("GDPR across EU spring DST", "gdpr-art33", &[("awareness", "2026-03-27T10:00:00Z")], BXL, "notification", Some(("2026-03-30T10:00:00Z", "2026-03-30"))),
        case("GDPR across EU autumn DST", "gdpr-art33", &[("awareness", "2026-10-23T08:00:00Z")], BXL, "notification", Some(("2026-10-26T08:00:00Z", "2026-10-26"))),
        case("GDPR due date is the zone's day", "gdpr-art33", &[("awareness", "2026-11-20T23:30:00Z")], BXL, "notification", Some(("2026-11-23T23:30:00Z", "2026-11-24"))),
        case("UK GDPR across UK spring DST", "uk-gdpr", &[("awareness", "2026-03-28T12:00:00Z")], "Europe/London", "notification", Some(("2026-03-31T12:00:00Z", "2026-03-31"))),
        case("NYDFS across US spring DST", "nydfs-50017", &[("determination", "2026-03-06T15:00:00Z")], NY, "notification", Some(("2026-03-09T15:00:00Z", "2026-03-09"))),
        case("NYDFS across US autumn DST", "nydfs-50017", &[("determination", "2026-10-30T16:00:00Z")], NY, "notification", Some(("2026-11-02T16:00:00Z", "2026-11-02"))),
        case("CERT-In 6 h", "in-certin", &[("noticed", "2026-03-08T04:00:00Z")], "Asia/Kolkata", "report", Some(("2026-03-08T10:00:00Z", "2026-03-08"))),
        case("DPDP 72 h", "in-dpdp", &[("awareness", "2027-06-01T18:30:00Z")], "Asia/Kolkata", "report", Some(("2027-06-04T18:30:00Z", "2027-06-05"))),
        case("NIS2 early warning over the EU autumn change", "nis2", &[("awareness", "2026-10-24T22:00:00Z")], BXL, "early-warning", Some(("2026-10-25T22:00:00Z", "2026-10-25"))),
        case("NIS2 notification 72 h", "nis2", &[("awareness", "2026-10-24T22:00:00Z")], BXL, "notification", Some(("2026-10-27T22:00:00Z", "2026-10-27"))),
        Case { waits_for: Some("notification submitted"), ..case("NIS2 final report waits for the notification", "nis2", &[("awareness", "2026-10-24T22:00:00Z")], BXL, "final-report", None) },
        // Months (Reg. 1182/71): same date, else the month's last day; end of that day in the zone.
        Case { submitted: &[("notification", "2026-01-31T10:00:00Z")], ..case("NIS2 final: Jan 31 + 1 month = Feb 28", "nis2", &[("awareness", "2026-01-28T10:00:00Z")], BXL, "final-report", Some(("2026-02-28T22:59:59Z", "2026-02-28"))) },
        Case { submitted: &[("notification", "2026-01-30T23:30:00Z")], ..case("NIS2 final: submitted Jan 31 00:30 in Brussels", "nis2", &[("awareness", "2026-01-28T10:00:00Z")], BXL, "final-report", Some(("2026-02-28T22:59:59Z", "2026-02-28"))) },
        Case { submitted: &[("notification", "2026-03-15T12:00:00Z")], ..case("NIS2 final over the EU spring change", "nis2", &[("awareness", "2026-03-12T12:00:00Z")], BXL, "final-report", Some(("2026-04-15T21:59:59Z", "2026-04-15"))) },
        Case { submitted: &[("notification", "2028-01-31T12:00:00Z")], ..case("NIS2 final: Jan 31 2028 + 1 month = Feb 29", "nis2", &[("awareness", "2028-01-29T12:00:00Z")], BXL, "final-report", Some(("2028-02-29T22:59:59Z", "2028-02-29"))) },
        // DORA.
        case("DORA initial: classification + 4 h is earlier", "dora", &[("awareness", "2026-06-01T08:00:00Z"), ("classification", "2026-06-01T12:00:00Z")], BXL, "initial", Some(("2026-06-01T16:00:00Z", "2026-06-01"))),
        case("DORA initial: awareness + 24 h is earlier", "dora", &[("awareness", "2026-06-01T08:00:00Z"), ("classification", "2026-06-02T06:00:00Z")], BXL, "initial", Some(("2026-06-02T08:00:00Z", "2026-06-02"))),
        case("DORA initial: only awareness recorded", "dora", &[("awareness", "2026-06-01T08:00:00Z")], BXL, "initial", Some(("2026-06-02T08:00:00Z", "2026-06-02"))),
        case("DORA initial on a Saturday keeps the strict time", "dora", &[("awareness", "2026-06-06T10:00:00Z"), ("classification", "2026-06-06T10:00:00Z")], BXL, "initial", Some(("2026-06-06T14:00:00Z", "2026-06-06"))),
        Case { waits_for: Some("classification"), ..case("DORA initial: nothing recorded", "dora", &[], BXL, "initial", None) },
        Case { waits_for: Some("initial submitted"), ..case("DORA intermediate waits for the initial", "dora", &[("awareness", "2026-06-01T08:00:00Z")], BXL, "intermediate", None) },
        Case { submitted: &[("initial", "2026-06-01T15:00:00Z")], ..case("DORA intermediate: 72 h after the initial was submitted", "dora", &[("awareness", "2026-06-01T08:00:00Z")], BXL, "intermediate", Some(("2026-06-04T15:00:00Z", "2026-06-04"))) },
        Case { submitted: &[("initial", "2026-06-01T15:00:00Z")], waits_for: Some("intermediate submitted"), ..case("DORA final waits for the intermediate", "dora", &[("awareness", "2026-06-01T08:00:00Z")], BXL, "final", None) },
        Case { submitted: &[("initial", "2028-02-25T09:00:00Z"), ("intermediate", "2028-02-29T09:00:00Z")], ..case("DORA final: Feb 29 + 1 month, over the 2028 spring change", "dora", &[("awareness", "2028-02-24T09:00:00Z")], BXL, "final", Some(("2028-03-29T21:59:59Z", "2028-03-29"))) },
        // Calendar days: the trigger's day is not counted; end of the n-th day in the zone.
        Case { variant: Some("general"), ..case("AI Act general: 1 Sep -> end of 16 Sep", "eu-ai-act-art73", &[("awareness", "2026-09-01T10:00:00Z")], BXL, "report", Some(("2026-09-16T21:59:59Z", "2026-09-16"))) },
        Case { variant: Some("general"), ..case("AI Act general: 22:30 UTC is already the next day", "eu-ai-act-art73", &[("awareness", "2026-09-01T22:30:00Z")], BXL, "report", Some(("2026-09-17T21:59:59Z", "2026-09-17"))) },
        Case { variant: Some("widespread"), ..case("AI Act widespread over the EU autumn change", "eu-ai-act-art73", &[("awareness", "2026-10-23T10:00:00Z")], BXL, "report", Some(("2026-10-25T22:59:59Z", "2026-10-25"))) },
        Case { variant: Some("widespread"), ..case("AI Act widespread on the EU spring change day", "eu-ai-act-art73", &[("awareness", "2026-03-27T12:00:00Z")], BXL, "report", Some(("2026-03-29T21:59:59Z", "2026-03-29"))) },
        Case { variant: Some("death"), ..case("AI Act death 10 days", "eu-ai-act-art73", &[("awareness", "2026-03-20T10:00:00Z")], BXL, "report", Some(("2026-03-30T21:59:59Z", "2026-03-30"))) },
        case("HIPAA individuals 60 days over US DST", "hipaa", &[("discovery", "2026-01-15T17:00:00Z")], NY, "individuals", Some(("2026-03-17T03:59:59Z", "2026-03-16"))),
        case("HIPAA HHS 60 days", "hipaa", &[("discovery", "2026-01-15T17:00:00Z")], NY, "hhs", Some(("2026-03-17T03:59:59Z", "2026-03-16"))),
        case("HIPAA media 60 days", "hipaa", &[("discovery", "2026-01-15T17:00:00Z")], NY, "media", Some(("2026-03-17T03:59:59Z", "2026-03-16"))),
        case("NY 30 days ending on the US spring change day", "us-ny", &[("discovery", "2026-02-06T15:00:00Z")], NY, "notification", Some(("2026-03-09T03:59:59Z", "2026-03-08"))),
        case("NY 30 days ending on the US autumn change day", "us-ny", &[("discovery", "2026-10-02T15:00:00Z")], NY, "notification", Some(("2026-11-02T04:59:59Z", "2026-11-01"))),
        case("NY 30 days", "us-ny", &[("discovery", "2026-10-10T14:00:00Z")], NY, "notification", Some(("2026-11-10T04:59:59Z", "2026-11-09"))),
        case("CA residents 30 days", "us-ca", &[("discovery", "2026-02-01T20:00:00Z")], "America/Los_Angeles", "residents", Some(("2026-03-04T07:59:59Z", "2026-03-03"))),
        Case { waits_for: Some("residents submitted"), ..case("CA AG waits for the residents' notice", "us-ca", &[("discovery", "2026-02-01T20:00:00Z")], "America/Los_Angeles", "attorney-general", None) },
        Case { submitted: &[("residents", "2026-03-01T18:00:00Z")], ..case("CA AG 15 days after residents notified, over US DST", "us-ca", &[("discovery", "2026-02-01T20:00:00Z")], "America/Los_Angeles", "attorney-general", Some(("2026-03-17T06:59:59Z", "2026-03-16"))) },
        case("SG 3 days after the day of assessment", "sg-pdpa", &[("assessment", "2026-05-29T02:00:00Z")], "Asia/Singapore", "notification", Some(("2026-06-01T15:59:59Z", "2026-06-01"))),
        case("SG assessment 00:30 local is the next day", "sg-pdpa", &[("assessment", "2026-05-29T16:30:00Z")], "Asia/Singapore", "notification", Some(("2026-06-02T15:59:59Z", "2026-06-02"))),
        case("AU assessment 30 days over the Sydney autumn change", "au-ndb", &[("suspicion", "2026-04-01T00:00:00Z")], "Australia/Sydney", "assessment", Some(("2026-05-01T13:59:59Z", "2026-05-01"))),
        // Business days: SEC (US federal calendar, 17:30 America/New_York whatever the zone given).
        case("SEC: Wednesday before Thanksgiving", "sec-8k-105", &[("materiality", "2026-11-25T15:00:00Z")], NY, "filing", Some(("2026-12-02T22:30:00Z", "2026-12-02"))),
        case("SEC: Saturday trigger, Veterans Day skipped", "sec-8k-105", &[("materiality", "2026-11-07T15:00:00Z")], NY, "filing", Some(("2026-11-13T22:30:00Z", "2026-11-13"))),
        case("SEC: Thu July 3 2025 before July 4", "sec-8k-105", &[("materiality", "2025-07-03T14:00:00Z")], NY, "filing", Some(("2025-07-10T21:30:00Z", "2025-07-10"))),
        case("SEC: on Fri July 3 2026 (July 4 observed)", "sec-8k-105", &[("materiality", "2026-07-03T14:00:00Z")], NY, "filing", Some(("2026-07-09T21:30:00Z", "2026-07-09"))),
        case("SEC: over the US spring change", "sec-8k-105", &[("materiality", "2026-03-04T15:00:00Z")], NY, "filing", Some(("2026-03-10T21:30:00Z", "2026-03-10"))),
        case("SEC: over the US autumn change", "sec-8k-105", &[("materiality", "2026-10-28T14:00:00Z")], NY, "filing", Some(("2026-11-03T22:30:00Z", "2026-11-03"))),
        case("SEC: always New York (Friday evening ET, zone Tokyo given)", "sec-8k-105", &[("materiality", "2026-11-21T03:00:00Z")], "Asia/Tokyo", "filing", Some(("2026-11-27T22:30:00Z", "2026-11-27"))),
        case("SEC: over Christmas", "sec-8k-105", &[("materiality", "2026-12-22T15:00:00Z")], NY, "filing", Some(("2026-12-29T22:30:00Z", "2026-12-29"))),
        // Business days: Brazil (national calendar, end of day in the zone).
        case("LGPD over Carnival 2026", "br-lgpd", &[("knowledge", "2026-02-13T15:00:00Z")], SP, "notification", Some(("2026-02-21T02:59:59Z", "2026-02-20"))),
        case("LGPD over Christmas", "br-lgpd", &[("knowledge", "2026-12-23T13:00:00Z")], SP, "notification", Some(("2026-12-30T02:59:59Z", "2026-12-29"))),
        case("LGPD Saturday trigger, Tiradentes skipped", "br-lgpd", &[("knowledge", "2026-04-18T12:00:00Z")], SP, "notification", Some(("2026-04-24T02:59:59Z", "2026-04-23"))),
        case("LGPD over Good Friday", "br-lgpd", &[("knowledge", "2026-04-01T12:00:00Z")], SP, "notification", Some(("2026-04-08T02:59:59Z", "2026-04-07"))),
        Case { waits_for: Some("notification submitted"), ..case("LGPD supplementary waits", "br-lgpd", &[("knowledge", "2026-02-13T15:00:00Z")], SP, "supplementary", None) },
        Case { submitted: &[("notification", "2026-02-20T18:00:00Z")], ..case("LGPD supplementary 20 business days", "br-lgpd", &[("knowledge", "2026-02-13T15:00:00Z")], SP, "supplementary", Some(("2026-03-21T02:59:59Z", "2026-03-20"))) },
        // No fixed clock, missing triggers.
        case("GDPR Art. 34: no clock", "gdpr-art34", &[("high_risk", "2026-11-20T09:00:00Z")], BXL, "communication", None),
        case("AU statement: no clock", "au-ndb", &[("belief", "2026-04-10T00:00:00Z")], "Australia/Sydney", "statement", None),
        Case { waits_for: Some("belief"), ..case("AU statement without belief recorded", "au-ndb", &[("suspicion", "2026-04-01T00:00:00Z")], "Australia/Sydney", "statement", None) },
        Case { waits_for: Some("high_risk"), ..case("GDPR Art. 34 without trigger", "gdpr-art34", &[], BXL, "communication", None) },
        Case { waits_for: Some("awareness"), ..case("GDPR without awareness", "gdpr-art33", &[], BXL, "notification", None) },
        Case { waits_for: Some("materiality"), ..case("SEC without materiality", "sec-8k-105", &[], NY, "filing", None) },
    ]
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, DateTime<Utc>> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.parse().unwrap())).collect()
}

fn catalog() -> Catalog {
    deadlines::load(None).unwrap()
}

#[test]
fn hand_worked_cases() {
    let catalog = catalog();
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut regimes_seen = std::collections::BTreeSet::new();
    for c in &cases {
        let regime = catalog.regime(c.regime).unwrap();
        let zone: Tz = c.zone.parse().unwrap();
        let clocks = compute(&catalog, regime, c.variant, &map(c.triggers), &map(c.submitted), zone)
            .unwrap_or_else(|e| panic!("{}: {e}", c.what));
        let clock = clocks.iter().find(|s| s.stage == c.stage).unwrap_or_else(|| panic!("{}: no stage", c.what));
        let expected_due = c.due.map(|(d, _)| d.parse::<DateTime<Utc>>().unwrap());
        assert_eq!(clock.due, expected_due, "{}: due ({})", c.what, clock.rule);
        assert_eq!(clock.due_date.map(|d| d.to_string()).as_deref(), c.due.map(|(_, d)| d), "{}: due_date", c.what);
        assert_eq!(clock.waits_for.as_deref(), c.waits_for, "{}: waits_for", c.what);
        regimes_seen.insert(c.regime);
    }
    for r in &catalog.regimes {
        assert!(regimes_seen.contains(r.id.as_str()), "no case for {}", r.id);
    }
}

#[test]
fn rules_say_how_the_time_was_counted() {
    let catalog = catalog();
    let get = |id: &str, trig: &[(&str, &str)], sub: &[(&str, &str)], zone: Tz| {
        compute(&catalog, catalog.regime(id).unwrap(), None, &map(trig), &map(sub), zone).unwrap()
    };
    let gdpr = get("gdpr-art33", &[("awareness", "2026-11-20T09:00:00Z")], &[], Tz::UTC);
    assert_eq!(gdpr[0].rule, "72 hours after awareness (2026-11-20 09:00 UTC)");
    let art34 = get("gdpr-art34", &[("high_risk", "2026-11-20T09:00:00Z")], &[], Tz::UTC);
    assert!(art34[0].rule.starts_with("without undue delay: show time elapsed since high_risk"), "{}", art34[0].rule);
    let nis2 = get("nis2", &[("awareness", "2026-11-20T09:00:00Z")], &[], Tz::UTC);
    assert!(nis2[2].rule.contains("starts when notification is submitted"), "{}", nis2[2].rule);
    let sec = get("sec-8k-105", &[("materiality", "2026-11-25T15:00:00Z")], &[], Tz::UTC);
    assert!(sec[0].rule.contains("17:30 America/New_York"), "{}", sec[0].rule);
}

#[test]
fn every_regime_loads_with_the_stage_names_of_the_issue() {
    let catalog = catalog();
    let expected: &[(&str, &[&str], bool)] = &[
        ("gdpr-art33", &["notification"], true),
        ("gdpr-art34", &["communication"], true),
        ("uk-gdpr", &["notification"], true),
        ("nis2", &["early-warning", "notification", "final-report"], true),
        ("dora", &["initial", "intermediate", "final"], false),
        ("eu-ai-act-art73", &["report", "report", "report"], false),
        ("sec-8k-105", &["filing"], true),
        ("hipaa", &["individuals", "hhs", "media"], true),
        ("us-ny", &["notification"], true),
        ("us-ca", &["residents", "attorney-general"], true),
        ("nydfs-50017", &["notification"], true),
        ("sg-pdpa", &["notification"], true),
        ("au-ndb", &["assessment", "statement"], true),
        ("br-lgpd", &["notification", "supplementary"], true),
        ("in-dpdp", &["report"], false),
        ("in-certin", &["report"], true),
    ];
    assert_eq!(catalog.regimes.len(), expected.len());
    for (id, stages, verified) in expected {
        let r = catalog.regime(id).unwrap();
        let names: Vec<&str> = r.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(&names, stages, "{id}");
        assert_eq!(r.verified, *verified, "{id} verified");
        assert!(!r.legal_reference.is_empty() && !r.notifies.is_empty(), "{id}");
    }
    let ai = catalog.regime("eu-ai-act-art73").unwrap();
    assert_eq!(ai.variants, ["general", "widespread", "death"]);
    assert!(catalog.regime("colorado-sb24-205").is_err());
    assert!(catalog.calendars["us_federal"].covers("2030-12-31".parse().unwrap()));
    assert!(catalog.calendars["br_national"].covers("2025-01-01".parse().unwrap()));
}

#[test]
fn unknown_inputs_are_clear_errors() {
    let catalog = catalog();
    let ai = catalog.regime("eu-ai-act-art73").unwrap();
    let aware = map(&[("awareness", "2026-09-01T10:00:00Z")]);
    let none = BTreeMap::new();
    let err = compute(&catalog, ai, None, &aware, &none, Tz::UTC).unwrap_err();
    assert!(err.to_string().contains("general, widespread, death"), "{err}");
    let err = compute(&catalog, ai, Some("minor"), &aware, &none, Tz::UTC).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let gdpr = catalog.regime("gdpr-art33").unwrap();
    let err = compute(&catalog, gdpr, None, &map(&[("detected", "2026-09-01T10:00:00Z")]), &none, Tz::UTC).unwrap_err();
    assert!(err.to_string().contains("awareness"), "{err}");
    let err = compute(&catalog, gdpr, None, &aware, &map(&[("final", "2026-09-01T10:00:00Z")]), Tz::UTC).unwrap_err();
    assert!(err.to_string().contains("notification"), "{err}");
    assert!(catalog.regime("gdpr").unwrap_err().to_string().contains("gdpr-art33"));
    // Beyond the holiday lists: refused, not silently counted without holidays.
    let sec = catalog.regime("sec-8k-105").unwrap();
    let err =
        compute(&catalog, sec, None, &map(&[("materiality", "2030-12-30T15:00:00Z")]), &none, Tz::UTC).unwrap_err();
    assert!(err.to_string().contains("2031"), "{err}");
}

#[test]
fn a_users_files_override_regimes_and_add_holidays() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("regimes")).unwrap();
    std::fs::create_dir_all(dir.path().join("holidays")).unwrap();
    let own = deadlines::load(None).unwrap();
    let text = toml::to_string(own.regime("us-ny").unwrap()).unwrap().replace("n = 30", "n = 10");
    std::fs::write(dir.path().join("regimes/us-ny.toml"), text).unwrap();
    // The day after Thanksgiving 2026 declared closed.
    std::fs::write(
        dir.path().join("holidays/us_federal.toml"),
        "[[holiday]]\ndate = \"2026-11-27\"\nname = \"Closed\"\n",
    )
    .unwrap();
    let catalog = deadlines::load(Some(dir.path())).unwrap();
    let ny = catalog.regime("us-ny").unwrap();
    let clocks =
        compute(&catalog, ny, None, &map(&[("discovery", "2026-10-10T14:00:00Z")]), &BTreeMap::new(), Tz::UTC).unwrap();
    assert_eq!(clocks[0].due, Some("2026-10-20T23:59:59Z".parse().unwrap()));
    let sec = catalog.regime("sec-8k-105").unwrap();
    let clocks =
        compute(&catalog, sec, None, &map(&[("materiality", "2026-11-25T15:00:00Z")]), &BTreeMap::new(), Tz::UTC)
            .unwrap();
    assert_eq!(clocks[0].due, Some("2026-12-03T22:30:00Z".parse().unwrap()));
    assert_eq!(catalog.regimes.len(), 16);
}

#[test]
fn a_malformed_override_is_a_clear_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("regimes")).unwrap();
    std::fs::write(dir.path().join("regimes/gdpr-art33.toml"), "id = \"gdpr-art33\"\nstages = [").unwrap();
    let err = deadlines::load(Some(dir.path())).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("gdpr-art33.toml"), "{err}");

    std::fs::write(
        dir.path().join("regimes/gdpr-art33.toml"),
        "id = \"gdpr-art33\"\nname = \"x\"\nlegal_reference = \"x\"\nnotifies = \"x\"\nverified = true\ntriggers = [\"awareness\"]\n\
         [[stages]]\nname = \"notification\"\nclock = { kind = \"hours\", n = 72 }\nanchor = \"discovery\"\n",
    )
    .unwrap();
    let err = deadlines::load(Some(dir.path())).unwrap_err();
    assert!(err.to_string().contains("discovery"), "{err}");

    std::fs::remove_file(dir.path().join("regimes/gdpr-art33.toml")).unwrap();
    std::fs::create_dir_all(dir.path().join("holidays")).unwrap();
    std::fs::write(dir.path().join("holidays/br_national.toml"), "[[holiday]]\ndate = \"20/02/2026\"\n").unwrap();
    let err = deadlines::load(Some(dir.path())).unwrap_err();
    assert!(err.to_string().contains("br_national.toml") && err.to_string().contains("YYYY-MM-DD"), "{err}");
}
