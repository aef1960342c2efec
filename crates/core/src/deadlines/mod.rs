//! Regulatory notification clocks. Regimes and holiday calendars are data: one TOML file per regime under
//! templates/regimes/ and one per calendar under templates/holidays/, compiled into the binary. A file of the same
//! name under `<override dir>/regimes/` replaces a built-in regime (or adds a new one); a file under
//! `<override dir>/holidays/` adds its dates to the built-in calendar of that name (or defines a new calendar).
//! The counting rules follow regulatory-deadlines.md; [`engine`] applies them.

mod engine;

pub use engine::{compute, StageClock};

use crate::error::{Error, Result};
use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The built-in regimes, in the order of the facts table.
const BUILTIN_REGIMES: &[(&str, &str)] = &[
    ("gdpr-art33", include_str!("../../../../templates/regimes/gdpr-art33.toml")),
    ("gdpr-art34", include_str!("../../../../templates/regimes/gdpr-art34.toml")),
    ("uk-gdpr", include_str!("../../../../templates/regimes/uk-gdpr.toml")),
    ("nis2", include_str!("../../../../templates/regimes/nis2.toml")),
    ("dora", include_str!("../../../../templates/regimes/dora.toml")),
    ("eu-ai-act-art73", include_str!("../../../../templates/regimes/eu-ai-act-art73.toml")),
    ("sec-8k-105", include_str!("../../../../templates/regimes/sec-8k-105.toml")),
    ("hipaa", include_str!("../../../../templates/regimes/hipaa.toml")),
    ("us-ny", include_str!("../../../../templates/regimes/us-ny.toml")),
    ("us-ca", include_str!("../../../../templates/regimes/us-ca.toml")),
    ("nydfs-50017", include_str!("../../../../templates/regimes/nydfs-50017.toml")),
    ("sg-pdpa", include_str!("../../../../templates/regimes/sg-pdpa.toml")),
    ("au-ndb", include_str!("../../../../templates/regimes/au-ndb.toml")),
    ("br-lgpd", include_str!("../../../../templates/regimes/br-lgpd.toml")),
    ("in-dpdp", include_str!("../../../../templates/regimes/in-dpdp.toml")),
    ("in-certin", include_str!("../../../../templates/regimes/in-certin.toml")),
];

const BUILTIN_CALENDARS: &[(&str, &str)] = &[
    ("us_federal", include_str!("../../../../templates/holidays/us_federal.toml")),
    ("br_national", include_str!("../../../../templates/holidays/br_national.toml")),
];

/// Prefix of an anchor that is the recorded submission of an earlier stage: `submitted:<stage>`.
pub const SUBMITTED: &str = "submitted:";

/// One notification regime: who is told, what starts its clocks, and its stages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regime {
    pub id: String,
    pub name: String,
    pub legal_reference: String,
    /// Who is told.
    pub notifies: String,
    /// False where the facts were seen only in secondary sources: the app shows that mark beside the regime.
    pub verified: bool,
    /// Trigger kinds this regime's clocks start from; the first is the primary one.
    pub triggers: Vec<String>,
    /// Variants that select stages (eu-ai-act-art73: general, widespread, death); empty when none.
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    /// Only for this variant of the regime; `None` applies to every variant.
    #[serde(default)]
    pub variant: Option<String>,
    pub clock: Clock,
    /// A trigger kind, or `submitted:<earlier stage>`.
    pub anchor: String,
    /// Further clocks; the stage is due at the earliest of them all (DORA initial).
    #[serde(default)]
    pub earliest_of: Vec<Alternative>,
    /// Chained on the latest submission of the anchor stage rather than its first (DORA final: after the latest
    /// intermediate report).
    #[serde(default)]
    pub anchor_latest: bool,
    /// What a notification for this stage contains, in order; the draft form asks for each item.
    #[serde(default)]
    pub content: Vec<ContentItem>,
}

/// One item of a notification's content. `key` names the value in drafts and templates (the same key means the same
/// thing in every regime, so the record can prefill it); `label` is the regime's own wording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export_to = "ContentItem.ts")]
pub struct ContentItem {
    pub key: String,
    pub label: String,
    /// Required items block approval while empty; the others are asked for but optional.
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub clock: Clock,
    pub anchor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Clock {
    /// An absolute duration from the trigger instant (added in UTC).
    Hours { n: u32 },
    /// The trigger's day is not counted; ends 23:59:59 of the n-th following day in the zone.
    CalendarDays { n: u32 },
    /// Days that are not Saturday, Sunday or a holiday of `calendar`; the first business day after the trigger's
    /// day is day 1. Due at `due_time` (default 23:59:59) of day n, in `zone` when set (SEC: America/New_York).
    BusinessDays {
        n: u32,
        calendar: String,
        #[serde(default)]
        due_time: Option<String>,
        #[serde(default)]
        zone: Option<String>,
    },
    /// Reg. 1182/71 Art. 3(2)(c): the same date n months later (else that month's last day), at its end.
    Months { n: u32 },
    /// "Without undue delay": no due time; the app shows the time elapsed since the trigger.
    #[serde(rename = "none")]
    NoFixedClock,
}

/// A holiday calendar for business-day counting.
#[derive(Debug, Clone, PartialEq)]
pub struct HolidayCalendar {
    pub id: String,
    pub name: String,
    /// The years the list covers; counting outside them is refused rather than silently ignoring holidays.
    pub first_year: i32,
    pub last_year: i32,
    pub dates: BTreeMap<NaiveDate, String>,
}

impl HolidayCalendar {
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.dates.contains_key(&date)
    }

    pub fn covers(&self, date: NaiveDate) -> bool {
        use chrono::Datelike;
        (self.first_year..=self.last_year).contains(&date.year())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    first_year: Option<i32>,
    #[serde(default)]
    last_year: Option<i32>,
    #[serde(default)]
    holiday: Vec<HolidayEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    date: String,
    #[serde(default)]
    name: String,
}

/// Every regime and holiday calendar, built-in plus the user's.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub regimes: Vec<Regime>,
    pub calendars: BTreeMap<String, HolidayCalendar>,
}

impl Catalog {
    pub fn regime(&self, id: &str) -> Result<&Regime> {
        self.regimes.iter().find(|r| r.id == id).ok_or_else(|| {
            let known: Vec<&str> = self.regimes.iter().map(|r| r.id.as_str()).collect();
            Error::invalid("regime", format!("\"{id}\" is not a known regime. Regimes: {}.", known.join(", ")))
        })
    }

    /// Adds dates to a calendar (e.g. a day offices were closed by decree).
    pub fn add_holiday(&mut self, calendar: &str, date: NaiveDate, name: &str) -> Result<()> {
        let cal = self.calendars.get_mut(calendar).ok_or_else(|| {
            Error::invalid(
                "calendar",
                format!("\"{calendar}\" is not a holiday calendar. Calendars: us_federal, br_national."),
            )
        })?;
        cal.dates.insert(date, name.to_string());
        Ok(())
    }
}

/// Loads the built-in regimes and calendars, then the user's files under `override_dir` (`regimes/*.toml`,
/// `holidays/*.toml`) when given. A malformed file is an `invalid_input` error naming it.
pub fn load(override_dir: Option<&Path>) -> Result<Catalog> {
    let mut calendars = BTreeMap::new();
    for (id, text) in BUILTIN_CALENDARS {
        let file = format!("templates/holidays/{id}.toml (built in)");
        calendars.insert(id.to_string(), parse_calendar(id, text, &file, None)?);
    }
    let mut regimes = Vec::new();
    for (id, text) in BUILTIN_REGIMES {
        regimes.push(parse_regime(id, text, &format!("templates/regimes/{id}.toml (built in)"))?);
    }
    if let Some(dir) = override_dir {
        for (path, id, text) in toml_files(&dir.join("holidays"))? {
            let file = path.display().to_string();
            let cal = parse_calendar(&id, &text, &file, calendars.remove(&id))?;
            calendars.insert(id, cal);
        }
        for (path, id, text) in toml_files(&dir.join("regimes"))? {
            let regime = parse_regime(&id, &text, &path.display().to_string())?;
            match regimes.iter_mut().find(|r| r.id == id) {
                Some(existing) => *existing = regime,
                None => regimes.push(regime),
            }
        }
    }
    for regime in &regimes {
        validate(regime, &calendars)?;
    }
    Ok(Catalog { regimes, calendars })
}

fn toml_files(dir: &Path) -> Result<Vec<(std::path::PathBuf, String, String)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let Some(id) = path.file_stem().and_then(|s| s.to_str()).map(str::to_string) else { continue };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::invalid_input(format!("Could not read {}: {e}. Fix or remove the file.", path.display()))
        })?;
        files.push((path, id, text));
    }
    files.sort();
    Ok(files)
}

fn parse_regime(id: &str, text: &str, file: &str) -> Result<Regime> {
    let regime: Regime = toml::from_str(text).map_err(|e| {
        Error::invalid(
            "regime",
            format!("{file} is not a valid regime file: {}. Fix or remove the file.", toml_error(text, &e)),
        )
    })?;
    if regime.id != id {
        return Err(Error::invalid(
            "regime",
            format!(
                "{file} declares id \"{}\": a regime file must be named after its id ({}.toml).",
                regime.id, regime.id
            ),
        ));
    }
    Ok(regime)
}

fn parse_calendar(id: &str, text: &str, file: &str, base: Option<HolidayCalendar>) -> Result<HolidayCalendar> {
    let parsed: CalendarFile = toml::from_str(text).map_err(|e| {
        Error::invalid(
            "calendar",
            format!("{file} is not a valid holiday file: {}. Fix or remove the file.", toml_error(text, &e)),
        )
    })?;
    let mut cal = base.unwrap_or_else(|| HolidayCalendar {
        id: id.to_string(),
        name: id.to_string(),
        first_year: i32::MAX,
        last_year: i32::MIN,
        dates: BTreeMap::new(),
    });
    if let Some(name) = parsed.name {
        cal.name = name;
    }
    for h in parsed.holiday {
        let date = NaiveDate::parse_from_str(h.date.trim(), "%Y-%m-%d").map_err(|_| {
            Error::invalid("calendar", format!("{file}: \"{}\" is not a date; write dates as YYYY-MM-DD.", h.date))
        })?;
        cal.dates.insert(date, h.name);
    }
    // A user's file may extend the years covered, never shrink them.
    if let Some(y) = parsed.first_year {
        cal.first_year = cal.first_year.min(y);
    }
    if let Some(y) = parsed.last_year {
        cal.last_year = cal.last_year.max(y);
    }
    if cal.first_year > cal.last_year {
        return Err(Error::invalid(
            "calendar",
            format!("{file} needs first_year and last_year (the years it covers)."),
        ));
    }
    Ok(cal)
}

/// Checks what the TOML types cannot: anchors, variants, calendars, zones and times exist.
fn validate(regime: &Regime, calendars: &BTreeMap<String, HolidayCalendar>) -> Result<()> {
    let bad = |msg: String| Error::invalid("regime", format!("Regime {}: {msg} Fix its file.", regime.id));
    if regime.triggers.is_empty() {
        return Err(bad("lists no triggers.".into()));
    }
    if regime.stages.is_empty() {
        return Err(bad("has no stages.".into()));
    }
    let mut seen: BTreeSet<(&str, Option<&str>)> = BTreeSet::new();
    for stage in &regime.stages {
        if !seen.insert((&stage.name, stage.variant.as_deref())) {
            return Err(bad(format!("stage \"{}\" appears twice.", stage.name)));
        }
        match (&stage.variant, regime.variants.is_empty()) {
            (Some(v), _) if !regime.variants.contains(v) => {
                return Err(bad(format!(
                    "stage \"{}\" names variant \"{v}\", which the regime does not list.",
                    stage.name
                )))
            }
            _ => {}
        }
        let alternatives = std::iter::once((&stage.clock, &stage.anchor))
            .chain(stage.earliest_of.iter().map(|a| (&a.clock, &a.anchor)));
        for (clock, anchor) in alternatives {
            if let Some(prev) = anchor.strip_prefix(SUBMITTED) {
                if !regime.stages.iter().any(|s| s.name == prev && s.name != stage.name) {
                    return Err(bad(format!("stage \"{}\" waits for unknown stage \"{prev}\".", stage.name)));
                }
            } else if !regime.triggers.contains(anchor) {
                return Err(bad(format!("stage \"{}\" starts at \"{anchor}\", which is not in triggers.", stage.name)));
            }
            if let Clock::BusinessDays { calendar, due_time, zone, .. } = clock {
                if !calendars.contains_key(calendar) {
                    return Err(bad(format!("holiday calendar \"{calendar}\" does not exist.")));
                }
                if let Some(t) = due_time {
                    parse_time(t).ok_or_else(|| bad(format!("due_time \"{t}\" is not HH:MM.")))?;
                }
                if let Some(z) = zone {
                    z.parse::<Tz>().map_err(|_| bad(format!("zone \"{z}\" is not an IANA time zone.")))?;
                }
            }
            let n = match clock {
                Clock::Hours { n }
                | Clock::CalendarDays { n }
                | Clock::BusinessDays { n, .. }
                | Clock::Months { n } => *n,
                Clock::NoFixedClock => 1,
            };
            if n == 0 {
                return Err(bad(format!("stage \"{}\" has a clock of 0.", stage.name)));
            }
        }
    }
    Ok(())
}

/// A TOML error on one line: "line N: what is wrong".
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let line = text.get(..span.start).map_or(0, |before| before.matches('\n').count()) + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
}

pub(crate) fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M").or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S")).ok()
}
