//! DORA's "next working day" note. RTS (EU) 2025/301 lets some financial entities hand in a report due on a
//! weekend or bank holiday by 12:00 of the next working day; which entities is unverified (docs/ARCHITECTURE.md),
//! so Firebreak keeps the strict instant as the due time and only shows this later one beside it.

use super::engine::{at_local, local_date};
use super::Catalog;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// One holiday calendar, for a picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "CalendarChoice.ts")]
pub struct CalendarChoice {
    pub id: String,
    pub name: String,
}

/// Every calendar, built-in and the user's, by name: the ids (eu_de, us_federal) mean little to people.
pub fn calendars(catalog: &Catalog) -> Vec<CalendarChoice> {
    let mut choices: Vec<CalendarChoice> =
        catalog.calendars.values().map(|c| CalendarChoice { id: c.id.clone(), name: c.name.clone() }).collect();
    choices.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    choices
}

/// When `due` falls, in `zone`, on a Saturday, a Sunday or a holiday of `calendar`: 12:00 in `zone` of the next day
/// that is none of those. `None` when `due` is already on a working day. Dates outside the calendar's years are
/// refused rather than treated as working days, since a missing holiday would move the note to a closed day.
pub fn next_working_noon(
    catalog: &Catalog,
    calendar: &str,
    due: DateTime<Utc>,
    zone: Tz,
) -> Result<Option<DateTime<Utc>>> {
    let cal = catalog.calendar(calendar)?;
    let mut day = local_date(due, zone);
    cal.check_covers(day)?;
    if cal.is_business_day(day) {
        return Ok(None);
    }
    loop {
        day = day.succ_opt().ok_or_else(|| Error::invalid_input("The date is out of range."))?;
        cal.check_covers(day)?;
        if cal.is_business_day(day) {
            break;
        }
    }
    let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN);
    Ok(Some(at_local(day, noon, zone)))
}
