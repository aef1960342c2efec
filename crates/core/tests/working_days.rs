//! DORA's "12:00 of the next working day" note against cases worked out by hand with a calendar and the zones'
//! offsets (Berlin and Paris UTC+2 in summer, UTC+1 in winter; Athens UTC+3 in summer; Dublin UTC+0 in winter).
//! Expected instants are written literally.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use firebreak_core::deadlines::{self, calendars, next_working_noon, Catalog};
use firebreak_core::ErrorCode;

const EU: [&str; 27] = [
    "eu_at", "eu_be", "eu_bg", "eu_cy", "eu_cz", "eu_de", "eu_dk", "eu_ee", "eu_es", "eu_fi", "eu_fr", "eu_gr",
    "eu_hr", "eu_hu", "eu_ie", "eu_it", "eu_lt", "eu_lu", "eu_lv", "eu_mt", "eu_nl", "eu_pl", "eu_pt", "eu_ro",
    "eu_se", "eu_si", "eu_sk",
];

fn catalog() -> Catalog {
    deadlines::load(None).unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn zone(name: &str) -> Tz {
    name.parse().unwrap()
}

#[test]
fn hand_worked_cases() {
    let catalog = catalog();
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &str, Option<&str>)] = &[
        // (what, calendar, zone, due, next working noon)
        ("Wednesday: already a working day",
            "eu_de", "Europe/Berlin", "2026-09-16T10:00:00Z", None),
        ("Saturday 10:00 CEST -> Monday 12:00 CEST",
            "eu_de", "Europe/Berlin", "2026-09-19T08:00:00Z", Some("2026-09-21T10:00:00Z")),
        ("Sunday 22:00 CEST -> Monday 12:00 CEST",
            "eu_de", "Europe/Berlin", "2026-09-20T20:00:00Z", Some("2026-09-21T10:00:00Z")),
        ("Easter Monday 2026 -> Tuesday 7 April 12:00 CEST",
            "eu_de", "Europe/Berlin", "2026-04-06T09:00:00Z", Some("2026-04-07T10:00:00Z")),
        ("Friday 22:30 UTC is Saturday 00:30 in Berlin -> Monday",
            "eu_de", "Europe/Berlin", "2026-09-18T22:30:00Z", Some("2026-09-21T10:00:00Z")),
        ("Sunday 22:30 UTC is Monday 00:30 in Berlin: a working day",
            "eu_de", "Europe/Berlin", "2026-09-20T22:30:00Z", None),
        ("Good Friday + weekend + Easter Monday -> Tuesday",
            "eu_de", "Europe/Berlin", "2026-04-03T14:00:00Z", Some("2026-04-07T10:00:00Z")),
        ("Saturday in summer time -> Monday noon in winter time (DST ends Sunday 25 October)",
            "eu_de", "Europe/Berlin", "2026-10-24T10:00:00Z", Some("2026-10-26T11:00:00Z")),
        ("Sunday 02:30 CEST, the hour that repeats -> Monday 12:00 CET",
            "eu_de", "Europe/Berlin", "2026-10-25T00:30:00Z", Some("2026-10-26T11:00:00Z")),
        ("Saturday in winter time -> Monday noon in summer time (DST starts Sunday 29 March)",
            "eu_de", "Europe/Berlin", "2026-03-28T10:00:00Z", Some("2026-03-30T10:00:00Z")),
        ("St Brigid's Day 2026, first Monday of February -> Tuesday 12:00 GMT",
            "eu_ie", "Europe/Dublin", "2026-02-02T09:00:00Z", Some("2026-02-03T12:00:00Z")),
        ("St Brigid's Day 2030 is Friday 1 February -> Monday 4 February",
            "eu_ie", "Europe/Dublin", "2030-02-01T15:00:00Z", Some("2030-02-04T12:00:00Z")),
        ("Bastille Day, Tuesday -> Wednesday 12:00 CEST",
            "eu_fr", "Europe/Paris", "2026-07-14T08:00:00Z", Some("2026-07-15T10:00:00Z")),
        ("Orthodox Good Friday 2027, then Saturday 1 May, Easter, Easter Monday, Labour Day moved to Tuesday 4 May",
            "eu_gr", "Europe/Athens", "2027-04-30T08:00:00Z", Some("2027-05-05T09:00:00Z")),
        ("A German holiday means nothing to the Irish calendar",
            "eu_ie", "Europe/Dublin", "2026-05-14T09:00:00Z", None),
        ("Last covered day, a working day",
            "eu_de", "Europe/Berlin", "2030-12-31T09:00:00Z", None),
    ];
    for (what, calendar, zone_name, due, expected) in cases {
        let got = next_working_noon(&catalog, calendar, at(due), zone(zone_name)).unwrap();
        assert_eq!(got, expected.map(at), "{what}");
    }
}

#[test]
fn an_unknown_calendar_is_refused_naming_the_calendars() {
    let catalog = catalog();
    let err = next_working_noon(&catalog, "eu_uk", at("2026-09-19T08:00:00Z"), Tz::UTC).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let text = err.to_string();
    assert!(text.contains("eu_uk") && text.contains("eu_de") && text.contains("us_federal"), "{text}");
    assert!(text.contains("templates/holidays/eu_uk.toml"), "{text}");

    let mut catalog = catalog;
    let err = catalog.add_holiday("eu_uk", NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), "x").unwrap_err();
    assert!(err.to_string().contains("eu_ie") && err.to_string().contains("br_national"), "{err}");
}

#[test]
fn a_year_outside_the_list_is_refused() {
    let mut catalog = catalog();
    // A Saturday before and after the covered years: no silent guess at the holidays.
    for (due, year) in [("2031-01-04T10:00:00Z", "2031"), ("2024-12-28T10:00:00Z", "2024")] {
        let err = next_working_noon(&catalog, "eu_de", at(due), zone("Europe/Berlin")).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput);
        let text = err.to_string();
        assert!(text.contains(year) && text.contains("2025–2030") && text.contains("eu_de.toml"), "{text}");
    }
    // A due inside the years whose next working day would be after them.
    catalog.add_holiday("eu_de", NaiveDate::from_ymd_opt(2030, 12, 31).unwrap(), "Closed").unwrap();
    let err = next_working_noon(&catalog, "eu_de", at("2030-12-31T09:00:00Z"), zone("Europe/Berlin")).unwrap_err();
    assert!(err.to_string().contains("2031"), "{err}");
}

#[test]
fn every_eu_calendar_covers_2025_to_2030_with_a_plausible_list() {
    let catalog = catalog();
    for id in EU {
        let cal = catalog.calendar(id).unwrap();
        assert_eq!((cal.first_year, cal.last_year), (2025, 2030), "{id}");
        assert!(cal.name.ends_with("(national public holidays)"), "{id}: {}", cal.name);
        for year in 2025..=2030 {
            let n = cal.dates.keys().filter(|d| d.year() == year).count();
            assert!((5..=20).contains(&n), "{id} {year}: {n} holidays");
            assert!(cal.is_holiday(NaiveDate::from_ymd_opt(year, 1, 1).unwrap()), "{id} {year}: no 1 January");
        }
        assert!(cal.dates.keys().all(|d| (2025..=2030).contains(&d.year())), "{id}: a date outside its years");
    }
}

#[test]
fn the_picker_lists_every_calendar_by_name() {
    let catalog = catalog();
    let choices = calendars(&catalog);
    assert_eq!(choices.len(), catalog.calendars.len());
    assert_eq!(choices.len(), EU.len() + 2);
    assert!(choices.windows(2).all(|w| w[0].name <= w[1].name), "not sorted by name");
    assert_eq!(choices[0].id, "eu_at");
    let de = choices.iter().find(|c| c.id == "eu_de").unwrap();
    assert_eq!(de.name, "Germany (national public holidays)");
    assert!(choices.iter().any(|c| c.id == "us_federal"));
}
