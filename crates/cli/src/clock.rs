//! `firebreak clock`: a regime's notification clocks from trigger instants, without the database.

use crate::output::Output;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use clap::Args;
use firebreak_core::deadlines::{self, StageClock};
use firebreak_core::text::one_line;
use firebreak_core::{profile, Error};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Args)]
pub struct ClockArgs {
    /// Regime id, e.g. gdpr-art33, nis2, dora, sec-8k-105.
    regime: String,
    /// The regime's variant (eu-ai-act-art73: general, widespread, death).
    #[arg(long)]
    variant: Option<String>,
    /// A trigger instant: KIND=RFC3339, or just RFC3339 for the regime's primary trigger (repeatable).
    #[arg(long = "trigger", value_name = "[KIND=]RFC3339", required = true)]
    triggers: Vec<String>,
    /// When a stage was actually submitted: STAGE=RFC3339 (repeatable); chained stages start from it.
    #[arg(long = "submitted", value_name = "STAGE=RFC3339")]
    submitted: Vec<String>,
    /// The authority's IANA time zone for day counts. Default: this computer's zone.
    #[arg(long, value_name = "ZONE")]
    tz: Option<String>,
}

#[derive(Serialize)]
struct ClockReport<'a> {
    regime: &'a str,
    stages: &'a [StageClock],
}

/// `data_dir` is the folder of the database: a user's regimes/ and holidays/ under its templates/ override the
/// built-in ones. The database itself is not opened.
pub fn run(args: &ClockArgs, data_dir: Option<&Path>, out: &Output) -> Result<(), Error> {
    let templates = data_dir.map(|d| d.join("templates"));
    let catalog = deadlines::load(templates.as_deref())?;
    let regime = catalog.regime(args.regime.trim())?;
    let zone_name = args.tz.clone().unwrap_or_else(profile::system_zone);
    let zone: Tz = zone_name.trim().parse().map_err(|_| {
        Error::invalid("tz", format!("\"{zone_name}\" is not an IANA time zone; use a name like Europe/Paris or UTC."))
    })?;
    let mut triggers = BTreeMap::new();
    for text in &args.triggers {
        let (kind, at) = match text.split_once('=') {
            Some((kind, at)) => (kind.trim().to_string(), at),
            None => (regime.triggers[0].clone(), text.as_str()),
        };
        triggers.insert(kind, instant("trigger", at)?);
    }
    let mut submitted = BTreeMap::new();
    for text in &args.submitted {
        let (stage, at) = text.split_once('=').ok_or_else(|| {
            Error::invalid(
                "submitted",
                format!("\"{text}\" is not STAGE=RFC3339, e.g. notification=2026-11-21T10:00:00Z."),
            )
        })?;
        submitted.insert(stage.trim().to_string(), instant("submitted", at)?);
    }
    let stages = deadlines::compute(&catalog, regime, args.variant.as_deref(), &triggers, &submitted, zone)?;
    if out.json {
        out.print_json(&ClockReport { regime: &regime.id, stages: &stages });
        return Ok(());
    }
    // The facts behind some regimes were seen only in secondary sources; say so wherever their clocks are shown.
    let mark = if regime.verified { "" } else { " [UNVERIFIED: check the legal source before relying on it]" };
    println!("{} — {}{mark}", one_line(&regime.id), one_line(&regime.name));
    // Escaped first, so the column is as wide as the longest stage name shown.
    let names: Vec<_> = stages.iter().map(|s| one_line(&s.stage)).collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for (s, name) in stages.iter().zip(&names) {
        let when = match (s.due, &s.waits_for) {
            (Some(due), _) => format!(
                "due {} ({} {})",
                due.format("%Y-%m-%d %H:%M:%S UTC"),
                due.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S"),
                zone
            ),
            (None, Some(w)) => format!("waits for {}", one_line(w)),
            (None, None) => "no fixed deadline".to_string(),
        };
        println!("{name:<width$}  {when}  — {}", one_line(&s.rule));
    }
    Ok(())
}

fn instant(field: &str, text: &str) -> Result<DateTime<Utc>, Error> {
    firebreak_core::incident::fields::instant(field, text)
}
