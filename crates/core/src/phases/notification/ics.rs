//! Deadlines as an iCalendar file (RFC 5545) for the calendar people already watch: one event per stage that has a
//! due time, with reminders 24, 4 and 1 hours before while it is open. A submitted stage keeps its event, marked
//! submitted and without reminders, so importing a newer export turns off the reminders of an earlier one.

use super::clocks::{self, IncidentClocks, RegimeClocks, StageView};
use crate::error::Result;
use crate::store::Store;
use chrono::{DateTime, Utc};

const PRODID: &str = "-//Firebreak//Regulatory deadlines//EN";
const REMINDERS: &[&str] = &["-PT24H", "-PT4H", "-PT1H"];

/// The open deadlines of the given incidents' clocks as an iCalendar document (CRLF line ends, folded lines).
pub fn deadlines_ics(clocks: &[IncidentClocks], now: DateTime<Utc>) -> String {
    let mut lines: Vec<String> = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Firebreak regulatory deadlines",
    ]
    .iter()
    .map(|l| l.to_string())
    .collect();
    for incident in clocks {
        for regime in incident.regimes.iter().filter(|r| r.applicable) {
            for stage in &regime.stages {
                if let Some(due) = stage.due {
                    event(&mut lines, &incident.incident, regime, stage, due, now);
                }
            }
        }
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l) + "\r\n").collect()
}

/// One incident's open deadlines (`firebreak deadlines ID --ics FILE`).
pub fn incident_deadlines_ics(store: &Store, key: &str, now: DateTime<Utc>) -> Result<String> {
    Ok(deadlines_ics(&[clocks::clocks(store, key, now)?], now))
}

/// Every incident's open deadlines, for one calendar of them all (the app's "Export calendar").
pub fn all_deadlines_ics(store: &Store, now: DateTime<Utc>) -> Result<String> {
    let mut all = Vec::new();
    clocks::for_every_incident(store, now, |_, clocks| {
        all.push(clocks);
        Ok(())
    })?;
    Ok(deadlines_ics(&all, now))
}

fn event(
    lines: &mut Vec<String>,
    incident: &str,
    regime: &RegimeClocks,
    stage: &StageView,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) {
    let submitted = stage.submitted_at.is_some();
    let status = if submitted { "submitted" } else { "due" };
    let summary = format!("{} {} {status} — {incident}", regime.name, stage.stage);
    lines.push("BEGIN:VEVENT".into());
    // The same incident, regime and stage always get the same UID, so importing a newer export updates the event
    // (a moved trigger or an override moves it) instead of adding a second one.
    lines.push(format!("UID:{}", escape(&format!("{incident}.{}.{}@firebreak", regime.regime, stage.stage))));
    lines.push(format!("DTSTAMP:{}", stamp(now)));
    // Some calendars apply an update only when its SEQUENCE grew; minutes since the epoch grow with every later export.
    lines.push(format!("SEQUENCE:{}", now.timestamp().max(0) / 60));
    // A deadline is an instant. RFC 5545 wants DTEND later than DTSTART, and an event without DTEND (or DURATION)
    // ends at its start, so DTEND is left out rather than set equal.
    lines.push(format!("DTSTART:{}", stamp(due)));
    lines.push(format!("SUMMARY:{}", escape(&summary)));
    lines.push(format!("DESCRIPTION:{}", escape(&description(regime, stage))));
    lines.push("TRANSP:TRANSPARENT".into());
    // A submitted stage reminds nobody; its event stays only so that a newer import replaces the old reminders.
    let reminders: &[&str] = if submitted { &[] } else { REMINDERS };
    for trigger in reminders {
        lines.push("BEGIN:VALARM".into());
        lines.push("ACTION:DISPLAY".into());
        lines.push(format!("DESCRIPTION:{}", escape(&summary)));
        lines.push(format!("TRIGGER:{trigger}"));
        lines.push("END:VALARM".into());
    }
    lines.push("END:VEVENT".into());
}

fn description(regime: &RegimeClocks, stage: &StageView) -> String {
    let mut parts = Vec::new();
    if let Some(at) = stage.submitted_at {
        parts.push(format!("{}: {}.", stage.state.label(), stamp_readable(at)));
    }
    parts.push(format!("{} ({}), to {}.", regime.name, regime.legal_reference, regime.notifies));
    parts.push(format!("Rule: {}.", stage.rule.trim_end_matches('.')));
    if let Some(due) = &stage.due_user {
        parts.push(format!("Due {due}."));
    }
    if stage.due_authority.is_some() && stage.due_authority != stage.due_user {
        parts.push(format!("In the authority's zone: {}.", stage.due_authority.as_deref().unwrap_or_default()));
    }
    if let Some(o) = stage.due_override.as_ref().filter(|o| o.due.is_some()) {
        let computed = stage.computed_due.map(stamp_readable).unwrap_or_else(|| "none".into());
        parts.push(format!("Due time set by {} (computed: {computed}). Reason: {}", o.decided_by, o.reason.trim()));
    }
    if let Some(note) = &stage.working_day_note {
        parts.push(note.clone());
    }
    if !regime.verified {
        parts.push(
            "UNVERIFIED: the facts behind this regime were seen only in secondary sources; check the legal source \
             before relying on it."
                .into(),
        );
    }
    if !regime.confirmed {
        parts.push("Suggested by the applicability questions; nobody has confirmed yet that it applies.".into());
    }
    parts.push("Earliest defensible reading of the regulation; Firebreak is not a lawyer.".into());
    parts.join("\n")
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn stamp_readable(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// TEXT escaping of RFC 5545 §3.3.11.
fn escape(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 §3.1): each continuation starts with one space, which counts, and
/// no UTF-8 character is split.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}
