//! Computes each stage's due instant from the recorded triggers and submissions, following the counting rules in
//! docs/ARCHITECTURE.md ("Regulatory deadlines"):
//! - hours: an absolute duration added in UTC (weekends, holidays and DST changes do not matter);
//! - calendar days: the trigger's day (in the zone) is not counted; due 23:59:59 of the n-th following day;
//! - business days: not Saturday, Sunday or a holiday of the calendar. Whether the trigger falls on a business day
//!   (the next business day is day 1) or not (Form 8-K B.1: the first business day after it is day 1), day 1 is the
//!   first business day after the trigger's day. Due at the regime's time on day n (SEC: 17:30 America/New_York),
//!   else 23:59:59;
//! - months (Reg. 1182/71 Art. 3(2)(c)): the same date n months later, or the last day of that month when the date
//!   does not exist; the period ends with the last hour of that day, so due 23:59:59 in the zone;
//! - chained stages start from the previous stage's recorded submission, not its due time;
//! - "none": without undue delay, no due time.

use super::{parse_time, Catalog, Clock, Regime, Stage, SUBMITTED};
use crate::error::{Error, Result};
use chrono::{DateTime, Days, Duration, LocalResult, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

/// One stage's clock. `due` is null while the clock has not started (see `waits_for`) or has no fixed length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "StageClock.ts")]
pub struct StageClock {
    pub stage: String,
    /// The due instant, UTC.
    pub due: Option<DateTime<Utc>>,
    /// The due day in the authority's zone.
    #[ts(type = "string | null")]
    pub due_date: Option<NaiveDate>,
    /// What must be recorded before the clock starts: a trigger kind, or "<stage> submitted".
    pub waits_for: Option<String>,
    /// How the due time was counted, for people.
    pub rule: String,
}

/// The stages of `regime` (of `variant`, when it has variants) with their due times. `zone` is the authority's zone
/// for day counts (a clock with its own zone, like the SEC's, uses that). Unknown variants, trigger kinds and stages
/// are refused.
pub fn compute(
    catalog: &Catalog,
    regime: &Regime,
    variant: Option<&str>,
    triggers: &BTreeMap<String, DateTime<Utc>>,
    submitted: &BTreeMap<String, DateTime<Utc>>,
    zone: Tz,
) -> Result<Vec<StageClock>> {
    let variant = check_variant(regime, variant)?;
    for kind in triggers.keys() {
        if !regime.triggers.contains(kind) {
            return Err(Error::invalid(
                "trigger",
                format!("{} has no trigger \"{kind}\". Its triggers: {}.", regime.id, regime.triggers.join(", ")),
            ));
        }
    }
    let stages: Vec<&Stage> =
        regime.stages.iter().filter(|s| s.variant.is_none() || s.variant.as_deref() == variant).collect();
    for name in submitted.keys() {
        if !stages.iter().any(|s| &s.name == name) {
            let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
            return Err(Error::invalid(
                "submitted",
                format!("{} has no stage \"{name}\". Its stages: {}.", regime.id, names.join(", ")),
            ));
        }
    }
    stages.iter().map(|stage| stage_clock(catalog, stage, triggers, submitted, zone)).collect()
}

fn check_variant<'a>(regime: &Regime, variant: Option<&'a str>) -> Result<Option<&'a str>> {
    match variant {
        None if !regime.variants.is_empty() => {
            Err(Error::invalid("variant", format!("{} needs a variant: {}.", regime.id, regime.variants.join(", "))))
        }
        Some(v) if !regime.variants.iter().any(|k| k == v) => Err(Error::invalid(
            "variant",
            if regime.variants.is_empty() {
                format!("{} has no variants; leave the variant out.", regime.id)
            } else {
                format!("\"{v}\" is not a variant of {}. Variants: {}.", regime.id, regime.variants.join(", "))
            },
        )),
        v => Ok(v),
    }
}

/// One clock evaluated from its anchor: started (with a due time, or none for "without undue delay") or waiting.
enum Outcome {
    Due { due: Option<DateTime<Utc>>, due_date: Option<NaiveDate>, rule: String },
    Waiting { waits_for: String, rule: String },
}

fn stage_clock(
    catalog: &Catalog,
    stage: &Stage,
    triggers: &BTreeMap<String, DateTime<Utc>>,
    submitted: &BTreeMap<String, DateTime<Utc>>,
    zone: Tz,
) -> Result<StageClock> {
    let mut outcomes = vec![evaluate(catalog, &stage.clock, &stage.anchor, triggers, submitted, zone)?];
    for alt in &stage.earliest_of {
        outcomes.push(evaluate(catalog, &alt.clock, &alt.anchor, triggers, submitted, zone)?);
    }
    let name = stage.name.clone();
    if outcomes.len() == 1 {
        return Ok(match outcomes.remove(0) {
            Outcome::Due { due, due_date, rule } => StageClock { stage: name, due, due_date, waits_for: None, rule },
            Outcome::Waiting { waits_for, rule } => {
                StageClock { stage: name, due: None, due_date: None, waits_for: Some(waits_for), rule }
            }
        });
    }
    // The earliest of the clocks that have started; the others are named so nobody forgets them.
    let mut best: Option<(DateTime<Utc>, Option<NaiveDate>)> = None;
    let mut parts = Vec::new();
    let mut first_wait = None;
    for outcome in outcomes {
        match outcome {
            Outcome::Due { due, due_date, rule } => {
                if let Some(d) = due {
                    if best.is_none_or(|(b, _)| d < b) {
                        best = Some((d, due_date));
                    }
                }
                parts.push(rule);
            }
            Outcome::Waiting { waits_for, rule } => {
                parts.push(rule);
                first_wait.get_or_insert(waits_for);
            }
        }
    }
    let rule = format!("the earliest of: {}", parts.join("; "));
    Ok(match best {
        Some((due, due_date)) => StageClock { stage: name, due: Some(due), due_date, waits_for: None, rule },
        None => StageClock { stage: name, due: None, due_date: None, waits_for: first_wait, rule },
    })
}

fn evaluate(
    catalog: &Catalog,
    clock: &Clock,
    anchor: &str,
    triggers: &BTreeMap<String, DateTime<Utc>>,
    submitted: &BTreeMap<String, DateTime<Utc>>,
    zone: Tz,
) -> Result<Outcome> {
    let (label, start) = match anchor.strip_prefix(SUBMITTED) {
        Some(prev) => (format!("{prev} submitted"), submitted.get(prev).copied()),
        None => (anchor.to_string(), triggers.get(anchor).copied()),
    };
    let length = describe(catalog, clock);
    let Some(start) = start else {
        let rule = match clock {
            Clock::NoFixedClock => format!("without undue delay after {label}; {label} not recorded yet"),
            _ if anchor.starts_with(SUBMITTED) => {
                format!("{length} after {label}; starts when {} is submitted", &anchor[SUBMITTED.len()..])
            }
            _ => format!("{length} after {label}; {label} not recorded yet"),
        };
        return Ok(Outcome::Waiting { waits_for: label, rule });
    };
    let at = format!("{label} ({})", start.format("%Y-%m-%d %H:%M UTC"));
    let (due, due_zone) = match clock {
        Clock::NoFixedClock => {
            let rule = format!("without undue delay: show time elapsed since {at}");
            return Ok(Outcome::Due { due: None, due_date: None, rule });
        }
        Clock::Hours { n } => (start + Duration::hours(i64::from(*n)), zone),
        Clock::CalendarDays { n } => {
            let day = local_date(start, zone) + Days::new(u64::from(*n));
            (end_of_day(day, zone), zone)
        }
        Clock::Months { n } => {
            let day = add_months(local_date(start, zone), *n);
            (end_of_day(day, zone), zone)
        }
        Clock::BusinessDays { n, calendar, due_time, zone: own } => {
            let z: Tz = own.as_deref().and_then(|z| z.parse().ok()).unwrap_or(zone);
            let day = business_day(catalog, calendar, local_date(start, z), *n)?;
            let time = due_time.as_deref().and_then(parse_time);
            (at_local(day, time.unwrap_or_else(last_second), z), z)
        }
    };
    let due_date = due.with_timezone(&due_zone).date_naive();
    let tail = match clock {
        Clock::Hours { .. } => String::new(),
        Clock::BusinessDays { due_time: Some(t), .. } => format!(", due {t} {due_zone} on day {}", due_date),
        _ => format!(", ends 23:59:59 {due_zone} on {due_date}"),
    };
    Ok(Outcome::Due { due: Some(due), due_date: Some(due_date), rule: format!("{length} after {at}{tail}") })
}

fn describe(catalog: &Catalog, clock: &Clock) -> String {
    let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match clock {
        Clock::Hours { n } => plural(*n, "hour", "hours"),
        Clock::CalendarDays { n } => plural(*n, "calendar day", "calendar days"),
        Clock::BusinessDays { n, calendar, .. } => {
            let name = catalog.calendars.get(calendar).map_or(calendar.as_str(), |c| c.name.as_str());
            format!("{} ({name})", plural(*n, "business day", "business days"))
        }
        Clock::Months { n } => plural(*n, "month", "months"),
        Clock::NoFixedClock => "without undue delay".into(),
    }
}

pub(crate) fn local_date(t: DateTime<Utc>, zone: Tz) -> NaiveDate {
    t.with_timezone(&zone).date_naive()
}

fn last_second() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
}

fn end_of_day(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    at_local(day, last_second(), zone)
}

/// A wall-clock time in `zone`: the later instant when the clock is set back, an hour on when it falls in a gap.
pub(crate) fn at_local(day: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let local = day.and_time(time);
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(_, later) => later.with_timezone(&Utc),
        LocalResult::None => match zone.from_local_datetime(&(local + Duration::hours(1))) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            LocalResult::None => local.and_utc(),
        },
    }
}

/// Reg. 1182/71: the same date n months later, else the last day of that month.
pub(crate) fn add_months(day: NaiveDate, n: u32) -> NaiveDate {
    // checked_add_months already clamps to the month's last day (Jan 31 + 1 month = Feb 28/29).
    day.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

fn business_day(catalog: &Catalog, calendar: &str, trigger_day: NaiveDate, n: u32) -> Result<NaiveDate> {
    let cal = catalog.calendar(calendar)?;
    let mut day = trigger_day;
    let mut counted = 0;
    while counted < n {
        day = day.succ_opt().ok_or_else(|| Error::invalid_input("The date is out of range."))?;
        cal.check_covers(day)?;
        if cal.is_business_day(day) {
            counted += 1;
        }
    }
    Ok(day)
}
