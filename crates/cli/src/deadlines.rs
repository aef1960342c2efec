//! `firebreak deadlines`: an incident's regulatory clocks — every applicable regime's stages with their due times
//! (your zone and the authority's), state, what they wait for, and legal overrides — or them all as a calendar file.

use crate::output::{path_line, Output};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use firebreak_core::deadlines::ContentItem;
use firebreak_core::phases::notification::{
    self, ClockState, DueOverride, IncidentClocks, NotificationStatus, RegimeClocks, StageView,
};
use firebreak_core::text::one_line;
use firebreak_core::{audit, Error, Store};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Args)]
pub struct DeadlinesArgs {
    /// The incident (omit with --all).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    id: Option<String>,
    /// Every incident's open deadlines, most urgent first.
    #[arg(long)]
    all: bool,
    /// Write the deadlines to FILE as an iCalendar (.ics) file: open ones with reminders 24, 4 and 1 hours before,
    /// submitted ones marked so and without reminders. Importing a newer export updates the events instead of
    /// duplicating them.
    #[arg(long, value_name = "FILE")]
    ics: Option<PathBuf>,
}

/// The `--json` shape: the applicable regimes only, without the notifications' texts.
#[derive(Serialize)]
struct Deadlines<'a> {
    incident: &'a str,
    /// Your zone (`due_user`).
    zone: &'a str,
    computed_at: DateTime<Utc>,
    regimes: Vec<RegimeDeadlines<'a>>,
}

#[derive(Serialize)]
struct RegimeDeadlines<'a> {
    regime: &'a str,
    name: &'a str,
    legal_reference: &'a str,
    notifies: &'a str,
    verified: bool,
    /// A person decided that it applies; false while it is only suggested by the answers.
    confirmed: bool,
    /// The authority's zone (`due_authority`, day counts).
    zone: &'a str,
    variant: Option<&'a str>,
    problem: Option<&'a str>,
    stages: Vec<StageDeadline<'a>>,
}

#[derive(Serialize)]
struct StageDeadline<'a> {
    stage: &'a str,
    state: ClockState,
    state_label: &'static str,
    rule: &'a str,
    waits_for: Option<&'a str>,
    due: Option<DateTime<Utc>>,
    due_user: Option<&'a str>,
    due_authority: Option<&'a str>,
    computed_due: Option<DateTime<Utc>>,
    computed_due_date: Option<NaiveDate>,
    due_override: Option<&'a DueOverride>,
    started_at: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
    /// The status of the stage's newest notification, if one was drafted.
    notification: Option<NotificationStatus>,
    working_day_note: Option<&'a str>,
    /// What the stage's notification contains: the keys `firebreak notification set` fills in.
    content: &'a [ContentItem],
}

pub fn run(store: &Store, out: &Output, args: &DeadlinesArgs) -> Result<(), Error> {
    let now = Utc::now();
    if let Some(path) = &args.ics {
        let file = store.out_file(path)?;
        let text = match &args.id {
            Some(id) => notification::incident_deadlines_ics(store, id, now)?,
            None => notification::all_deadlines_ics(store, now)?,
        };
        let path = file.finish(&text)?;
        firebreak_core::seal::seal_export(store)?;
        let events = text.matches("BEGIN:VEVENT").count();
        if out.json {
            out.print_json(&serde_json::json!({ "path": path.display().to_string(), "events": events }));
        } else {
            println!("{} ({events} deadline{})", path_line(&path), if events == 1 { "" } else { "s" });
        }
        return Ok(());
    }
    let Some(id) = &args.id else {
        return all(store, out, now);
    };
    let view = notification::clocks(store, id, now)?;
    if out.json {
        out.print_json(&shape(&view));
    } else {
        print(store, &view)?;
    }
    Ok(())
}

fn all(store: &Store, out: &Output, now: DateTime<Utc>) -> Result<(), Error> {
    let open = notification::open_clocks(store, now)?;
    if out.json {
        out.print_json(&open);
        return Ok(());
    }
    if open.is_empty() {
        println!("No open deadlines.");
        return Ok(());
    }
    println!("{:<22} {:<18} {:<22} {:<16} DEADLINE", "DUE (UTC)", "STATE", "INCIDENT", "REGIME");
    for c in &open {
        let mark = if c.verified { "" } else { " [UNVERIFIED]" };
        let suggested = if c.confirmed { "" } else { " (suggested, not confirmed)" };
        println!(
            "{:<22} {:<18} {:<22} {:<16} {} {}{mark}{suggested}",
            c.due.format("%Y-%m-%d %H:%M"),
            c.state.label(),
            c.incident,
            one_line(&c.regime),
            one_line(&c.regime_name),
            one_line(&c.stage)
        );
    }
    Ok(())
}

fn shape(view: &IncidentClocks) -> Deadlines<'_> {
    Deadlines {
        incident: &view.incident,
        zone: &view.zone,
        computed_at: view.computed_at,
        regimes: view
            .regimes
            .iter()
            .filter(|r| r.applicable)
            .map(|r| RegimeDeadlines {
                regime: &r.regime,
                name: &r.name,
                legal_reference: &r.legal_reference,
                notifies: &r.notifies,
                verified: r.verified,
                confirmed: r.confirmed,
                zone: &r.zone,
                variant: r.decision.as_ref().and_then(|d| d.variant.as_deref()),
                problem: r.problem.as_deref(),
                stages: r.stages.iter().map(stage).collect(),
            })
            .collect(),
    }
}

fn stage(s: &StageView) -> StageDeadline<'_> {
    StageDeadline {
        stage: &s.stage,
        state: s.state,
        state_label: s.state.label(),
        rule: &s.rule,
        waits_for: s.waits_for.as_deref(),
        due: s.due,
        due_user: s.due_user.as_deref(),
        due_authority: s.due_authority.as_deref(),
        computed_due: s.computed_due,
        computed_due_date: s.computed_due_date,
        due_override: s.due_override.as_ref(),
        started_at: s.started_at,
        submitted_at: s.submitted_at,
        notification: s.notifications.last().map(|n| n.status),
        working_day_note: s.working_day_note.as_deref(),
        content: &s.content,
    }
}

fn print(store: &Store, view: &IncidentClocks) -> Result<(), Error> {
    let incident = firebreak_core::incident::get(store, &view.incident)?;
    println!("{} — {}", view.incident, one_line(&incident.fields.title));
    let applicable: Vec<&RegimeClocks> = view.regimes.iter().filter(|r| r.applicable).collect();
    if applicable.is_empty() {
        println!(
            "No regime applies yet: answer the applicability questions (`firebreak notification answer`) or decide a regime \
             (`firebreak notification decide`)."
        );
        return Ok(());
    }
    for r in applicable {
        // The facts behind some regimes were seen only in secondary sources; say so wherever their clocks are shown.
        let mark = if r.verified { "" } else { " [UNVERIFIED: check the legal source before relying on it]" };
        let how = if r.confirmed { "applies" } else { "suggested, not confirmed" };
        println!();
        let (name, regime, zone) = (one_line(&r.name), one_line(&r.regime), one_line(&r.zone));
        println!("{name} ({regime}){mark} — {how}; authority zone {zone}");
        if let Some(problem) = &r.problem {
            println!("  ! {}", one_line(problem));
        }
        for s in &r.stages {
            let when = match (&s.due_user, &s.waits_for, s.started_at) {
                (Some(due), _, _) => format!("due {due}"),
                (None, Some(w), _) => format!("waits for {w}"),
                (None, None, Some(start)) => format!("running since {}", audit::format_instant(start)),
                (None, None, None) => "no fixed deadline".into(),
            };
            println!("  {:<16} {:<20} {}", one_line(&s.stage), s.state.label(), one_line(&when));
            let pad = "";
            if s.due_authority.is_some() && s.due_authority != s.due_user {
                let due = one_line(s.due_authority.as_deref().unwrap_or_default());
                println!("  {pad:<16} {pad:<20} authority: {due}");
            }
            if let Some(o) = s.due_override.as_ref().filter(|o| o.due.is_some()) {
                let computed = s.computed_due.map(audit::format_instant).unwrap_or_else(|| "none".into());
                let (by, reason) = (one_line(&o.decided_by), one_line(&o.reason));
                println!("  {pad:<16} {pad:<20} override by {by} (computed {computed}): {reason}");
            }
            if let Some(at) = s.submitted_at {
                println!("  {pad:<16} {pad:<20} submitted {}", audit::format_instant(at));
            }
            println!("  {pad:<16} {pad:<20} rule: {}", one_line(&s.rule));
            if let Some(note) = &s.working_day_note {
                println!("  {pad:<16} {pad:<20} note: {}", one_line(note));
            }
        }
    }
    Ok(())
}
