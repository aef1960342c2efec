//! `firebreak notification`: regulatory notification from the applicability questions to a recorded submission —
//! answer, decide each regime, record its triggers, draft, fill in, approve, submit.

use crate::communication::parse_instant;
use crate::output::{path_line, Output};
use chrono::Utc;
use clap::{Args, Subcommand};
use firebreak_core::phases::notification::{
    self, Decision, DecisionInput, Notification, NotificationChanges, SubmitInput,
};
use firebreak_core::text::{one_line, visible};
use firebreak_core::{audit, Actor, Error, Store};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum NotificationCommand {
    /// The applicability questions: their keys, text and help.
    Questions,
    /// Answer an applicability question. VALUE is yes, no or unsure ("" clears it); for `locations`, a
    /// comma-separated list of places: eu_eea, uk, us_ny, us_ca, us_other, sg, au, br, in, other.
    Answer {
        id: String,
        /// personal_data, risk, high_risk, locations, nis2, dora, ai_act, sec, hipaa, nydfs or certin
        question: String,
        value: String,
    },
    /// Every regime: whether the answers suggest it and why, and what was decided.
    Regimes { id: String },
    /// Record whether REGIME applies. not_applicable needs --reason (it is kept in the breach register).
    Decide(DecideArgs),
    /// Record when one of REGIME's triggers happened (awareness, materiality, discovery…) and who decided it. It
    /// starts the regime's clocks; moving a recorded time needs --note saying why.
    Trigger {
        id: String,
        regime: String,
        kind: String,
        #[arg(long, value_name = "RFC3339")]
        at: String,
        #[arg(long, value_name = "NAME")]
        by: String,
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// The authority's time zone for day counts and the holiday calendar for working-day notes. An option left out
    /// keeps its value; an empty value clears it (back to your zone, no calendar).
    Zone {
        id: String,
        regime: String,
        /// IANA zone, e.g. Europe/Dublin.
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
        /// Holiday calendar id, e.g. eu_ie, us_federal.
        #[arg(long, value_name = "ID")]
        calendar: Option<String>,
    },
    /// Draft the notification of a stage from the record (or reuse its open draft) and print its text. Default
    /// stage: the regime's first stage not submitted yet. After a stage was submitted, drafting it again starts a
    /// supplement.
    Draft {
        id: String,
        regime: String,
        /// The stage, e.g. notification, early-warning (`firebreak deadlines ID` lists them).
        #[arg(long, value_name = "S")]
        stage: Option<String>,
        /// Write the text to FILE instead of printing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Fill in content items of the stage's open draft: KEY=VALUE (keys as in the regime's content list; an empty
    /// value clears the item). Changing an approved draft sends it back for approval.
    Set(SetArgs),
    /// Approve the stage's open draft, by a named person from the people directory. Refused while a required item
    /// is missing.
    Approve {
        id: String,
        regime: String,
        /// The stage, e.g. notification, early-warning, final-report (`firebreak deadlines ID` lists them).
        #[arg(long, value_name = "S")]
        stage: String,
        #[arg(long, value_name = "NAME")]
        by: String,
    },
    /// Replace a stage's computed due time with a legal reviewer's (`--due none` withdraws it); the computed time
    /// stays shown beside it.
    Override(OverrideArgs),
    /// Record that the stage's approved notification was submitted; its text is frozen and hashed, and stages
    /// chained on it start their clocks.
    Submit(SubmitArgs),
}

#[derive(Args)]
pub struct DecideArgs {
    pub id: String,
    /// A regime id, e.g. gdpr-art33, nis2, dora, sec-8k-105 (`firebreak notification regimes ID` lists them).
    pub regime: String,
    /// applies or not_applicable
    pub decision: String,
    /// Who decided: a name from the people directory.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub reason: String,
    /// The regime's variant, where it has variants (eu-ai-act-art73: general, widespread, death).
    #[arg(long, value_name = "V")]
    pub variant: Option<String>,
}

#[derive(Args)]
pub struct SetArgs {
    pub id: String,
    pub regime: String,
    /// The stage, e.g. notification, early-warning, final-report (`firebreak deadlines ID` lists them).
    #[arg(long, value_name = "S")]
    pub stage: String,
    /// A content item of the stage: its keys are in `firebreak deadlines ID --json` (`content`); an unknown key is
    /// refused with the list.
    #[arg(value_name = "KEY=VALUE")]
    pub items: Vec<String>,
    /// Why the notification is late (required once it is past its due time).
    #[arg(long, value_name = "TEXT")]
    pub delay_reasons: Option<String>,
}

#[derive(Args)]
pub struct OverrideArgs {
    pub id: String,
    pub regime: String,
    /// The stage, e.g. notification, early-warning, final-report (`firebreak deadlines ID` lists them).
    #[arg(long, value_name = "S")]
    pub stage: String,
    #[arg(long, value_name = "RFC3339|none")]
    pub due: String,
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[arg(long, value_name = "NAME")]
    pub by: String,
}

#[derive(Args)]
pub struct SubmitArgs {
    pub id: String,
    pub regime: String,
    /// The stage, e.g. notification, early-warning, final-report (`firebreak deadlines ID` lists them).
    #[arg(long, value_name = "S")]
    pub stage: String,
    #[arg(long, value_name = "RFC3339")]
    pub at: String,
    /// The authority's reference (case number, accession number…).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub reference: String,
    /// How it was submitted: the authority's portal, email, letter…
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub channel: String,
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &NotificationCommand,
) -> Result<(), Error> {
    match cmd {
        NotificationCommand::Questions => {
            let questions = notification::questions();
            if out.json {
                out.print_json(&questions);
                return Ok(());
            }
            for q in questions {
                println!("{:<14} {}", q.key, q.text);
                println!("{:<14} {}", "", q.help);
            }
        }
        NotificationCommand::Answer { id, question, value } => {
            let answers = notification::answer(store, &actor()?, id, question.trim(), value)?;
            if out.json {
                out.print_json(&answers);
            } else {
                let shown = one_line(if value.trim().is_empty() { "(cleared)" } else { value.trim() });
                println!("{}: {} = {shown}", one_line(id.trim()), one_line(question.trim()));
            }
        }
        NotificationCommand::Regimes { id } => regimes(store, out, id)?,
        NotificationCommand::Decide(args) => decide(store, out, actor, args)?,
        NotificationCommand::Trigger { id, regime, kind, at, by, note } => {
            let at = parse_instant("at", at)?;
            let t = notification::set_trigger(store, &actor()?, id, regime.trim(), kind, at, by, note)?;
            if out.json {
                out.print_json(&t);
            } else {
                let name = regime_name(store, &t.regime)?;
                let (kind, by) = (one_line(&t.kind), one_line(&t.decided_by));
                println!("{name} {kind}: {} — decided by {by}.", audit::format_instant(t.at));
            }
        }
        NotificationCommand::Zone { id, regime, tz, calendar } => {
            let current = notification::regime_clocks(store, id, regime)?.decision;
            let keep = |given: &Option<String>, now: Option<String>| given.clone().or(now).unwrap_or_default();
            let tz = keep(tz, current.as_ref().and_then(|d| d.zone.clone()));
            let calendar = keep(calendar, current.as_ref().and_then(|d| d.calendar.clone()));
            let d = notification::set_zone(store, &actor()?, id, regime.trim(), &tz, &calendar)?;
            if out.json {
                out.print_json(&d);
            } else {
                let zone = one_line(d.zone.as_deref().unwrap_or("your zone"));
                let calendar = one_line(d.calendar.as_deref().unwrap_or("none"));
                println!("{}: authority zone {zone}, holiday calendar {calendar}.", regime_name(store, &d.regime)?);
            }
        }
        NotificationCommand::Draft { id, regime, stage, out: file } => {
            draft(store, out, actor, id, regime, stage, file)?
        }
        NotificationCommand::Set(args) => set_items(store, out, actor, args)?,
        NotificationCommand::Approve { id, regime, stage, by } => {
            let n = open_notification(store, id, regime, stage)?;
            let n = notification::approve(store, &actor()?, &n.id, by)?;
            if out.json {
                out.print_json(&n);
            } else {
                let by = one_line(n.approved_by.as_deref().unwrap_or_default());
                println!("{} {} approved by {by}.", regime_name(store, &n.regime)?, one_line(&n.stage));
            }
        }
        NotificationCommand::Override(args) => override_due(store, out, actor, args)?,
        NotificationCommand::Submit(args) => submit(store, out, actor, args)?,
    }
    Ok(())
}

/// Records that a regime applies or not, with who decided and why.
fn decide(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    args: &DecideArgs,
) -> Result<(), Error> {
    let DecideArgs { id, regime, decision, by, reason, variant } = args;
    let decision = Decision::parse(decision.trim()).ok_or_else(|| {
        Error::invalid("decision", format!("\"{decision}\" is not a decision; use applies or not_applicable."))
    })?;
    let input = DecisionInput {
        decision: Some(decision),
        reason: reason.to_string(),
        decided_by: by.to_string(),
        variant: variant.clone(),
    };
    let d = notification::decide(store, &actor()?, id, regime.trim(), input)?;
    if out.json {
        out.print_json(&d);
    } else {
        let name = regime_name(store, &d.regime)?;
        let variant = d.variant.as_deref().map(|v| format!(" ({})", one_line(v))).unwrap_or_default();
        let what = if decision == Decision::Applies { "applies" } else { "does not apply" };
        let (id, by) = (one_line(id.trim()), one_line(d.decided_by.as_deref().unwrap_or_default()));
        println!("{name}{variant} {what} to {id} — decided by {by}.");
    }
    Ok(())
}

/// Sets items of the open draft (`KEY=VALUE`) and its reasons for delay, then says what is still missing.
fn set_items(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    args: &SetArgs,
) -> Result<(), Error> {
    let SetArgs { id, regime, stage, items, delay_reasons } = args;
    if items.is_empty() && delay_reasons.is_none() {
        return Err(Error::invalid_input("Nothing to set: give KEY=VALUE items and/or --delay-reasons TEXT."));
    }
    let mut content = BTreeMap::new();
    for item in items {
        let (key, value) = crate::split_assignment(item)?;
        content.insert(key.to_string(), value.to_string());
    }
    let n = open_notification(store, id, regime, stage)?;
    let changes = NotificationChanges { content, delay_reasons: delay_reasons.clone() };
    let edit = notification::edit(store, &actor()?, &n.id, changes)?;
    if out.json {
        out.print_json(&edit);
        return Ok(());
    }
    if let Some(notice) = &edit.notice {
        println!("{}", one_line(notice));
    }
    let n = &edit.notification;
    println!("{} {} saved ({}).", regime_name(store, &n.regime)?, one_line(&n.stage), n.status.key());
    print_missing(store, id, n)?;
    Ok(())
}

/// A legal override of a stage's due time ("none" withdraws it).
fn override_due(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    args: &OverrideArgs,
) -> Result<(), Error> {
    let OverrideArgs { id, regime, stage, due, reason, by } = args;
    let due = match due.trim() {
        "none" => None,
        text => Some(parse_instant("due", text)?),
    };
    let o = notification::override_due(store, &actor()?, id, regime.trim(), stage.trim(), due, reason, by)?;
    if out.json {
        out.print_json(&o);
        return Ok(());
    }
    let (name, stage) = (regime_name(store, &o.regime)?, one_line(&o.stage));
    match o.due {
        Some(due) => {
            let by = one_line(&o.decided_by);
            println!("{name} {stage}: due {} (set by {by}).", audit::format_instant(due))
        }
        None => println!("{name} {stage}: the override is withdrawn; the computed due time applies."),
    }
    Ok(())
}

/// Submits the approved notification and says which chained stage's clock starts now.
fn submit(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    args: &SubmitArgs,
) -> Result<(), Error> {
    let SubmitArgs { id, regime, stage, at, reference, channel } = args;
    let at = parse_instant("at", at)?;
    let n = open_notification(store, id, regime, stage)?;
    let input = SubmitInput { at, channel: channel.to_string(), reference: reference.to_string() };
    let n = notification::submit(store, &actor()?, &n.id, input)?;
    if out.json {
        out.print_json(&n);
        return Ok(());
    }
    let name = regime_name(store, &n.regime)?;
    let at = n.submitted_at.map(audit::format_instant).unwrap_or_default();
    let (stage, hash) = (one_line(&n.stage), n.text_hash.as_deref().unwrap_or_default());
    println!("{name} {stage} submitted at {at}; SHA-256 {hash}.");
    // Say what runs now: a stage chained on this submission has just started its clock.
    for s in notification::regime_clocks(store, id, regime)?.stages.iter().filter(|s| s.submitted_at.is_none()) {
        if let Some(due) = &s.due_user {
            println!("Next: {} due {} ({}).", one_line(&s.stage), one_line(due), s.state.label());
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct RegimeLine<'a> {
    regime: &'a str,
    name: &'a str,
    verified: bool,
    suggested: bool,
    reasons: &'a [String],
    decision: Option<Decision>,
    reason: Option<&'a str>,
    decided_by: Option<&'a str>,
    decided_at: Option<chrono::DateTime<Utc>>,
    variant: Option<&'a str>,
    variants: &'a [String],
    triggers: &'a [String],
    zone: &'a str,
    calendar: Option<&'a str>,
    /// Applies, or suggested and not decided: its clocks run.
    applicable: bool,
}

fn regimes(store: &Store, out: &Output, id: &str) -> Result<(), Error> {
    let view = notification::clocks(store, id, Utc::now())?;
    let lines: Vec<RegimeLine> = view
        .regimes
        .iter()
        .map(|r| {
            let d = r.decision.as_ref();
            RegimeLine {
                regime: &r.regime,
                name: &r.name,
                verified: r.verified,
                suggested: r.suggestion.suggested,
                reasons: &r.suggestion.reasons,
                decision: d.and_then(|d| d.decision),
                reason: d.map(|d| d.reason.as_str()).filter(|r| !r.is_empty()),
                decided_by: d.and_then(|d| d.decided_by.as_deref()),
                decided_at: d.and_then(|d| d.decided_at),
                variant: d.and_then(|d| d.variant.as_deref()),
                variants: &r.variants,
                triggers: &r.trigger_kinds,
                zone: &r.zone,
                calendar: d.and_then(|d| d.calendar.as_deref()),
                applicable: r.applicable,
            }
        })
        .collect();
    if out.json {
        out.print_json(&lines);
        return Ok(());
    }
    if view.record_mentions_personal_data && view.answers.personal_data.is_none() {
        println!("The record's data classes mention personal data: answer personal_data first.");
    }
    println!("{:<16} {:<10} {:<15} NAME", "REGIME", "SUGGESTED", "DECISION");
    for l in &lines {
        let decision = l.decision.map_or("-", |d| d.key());
        let mark = if l.verified { "" } else { " [UNVERIFIED]" };
        let suggested = if l.suggested { "yes" } else { "no" };
        println!("{:<16} {suggested:<10} {decision:<15} {}{mark}", one_line(l.regime), one_line(l.name));
        if l.suggested || l.decision.is_some() {
            println!("{:<16} why: {}", "", one_line(&l.reasons.join("; ")));
        }
        if let (Some(by), Some(at)) = (l.decided_by, l.decided_at) {
            let reason = l.reason.map(|r| format!(": {}", one_line(r))).unwrap_or_default();
            println!("{:<16} decided by {} on {}{reason}", "", one_line(by), audit::format_instant(at));
        }
    }
    Ok(())
}

fn draft(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    id: &str,
    regime: &str,
    stage: &Option<String>,
    file: &Option<PathBuf>,
) -> Result<(), Error> {
    let catalog = notification::catalog(store)?;
    let def = catalog.regime(regime.trim())?;
    let stage = match stage {
        Some(s) => s.trim().to_string(),
        None => notification::first_open_stage(store, id, regime)?,
    };
    // Opened before drafting, so a path that cannot be written refuses the command before the draft is stored.
    let target = file.as_deref().map(|f| store.out_file(f)).transpose()?;
    let n = notification::start(store, &actor()?, id, &def.id, &stage)?;
    let written = target.map(|t| t.finish(&n.text)).transpose()?;
    if written.is_some() {
        firebreak_core::seal::seal_export(store)?;
    }
    if out.json {
        out.print_json(&n);
        return Ok(());
    }
    match written {
        // The text is a block of lines on purpose: its line feeds stay, every other control character is shown.
        None => print!("{}", visible(&n.text)),
        Some(path) => {
            let kind = if n.is_supplement() { format!(" supplement {}", n.sequence - 1) } else { String::new() };
            let (name, stage, path) = (one_line(&def.name), one_line(&n.stage), path_line(&path));
            println!("{name} {stage}{kind}: {} written to {path}.", n.status.key());
            print_missing(store, id, &n)?;
        }
    }
    Ok(())
}

/// The open draft of a stage, or why there is none.
fn open_notification(store: &Store, id: &str, regime: &str, stage: &str) -> Result<Notification, Error> {
    let catalog = notification::catalog(store)?;
    let def = catalog.regime(regime.trim())?;
    let stage = stage.trim();
    if !def.stages.iter().any(|s| s.name == stage) {
        let mut names: Vec<&str> = def.stages.iter().map(|s| s.name.as_str()).collect();
        names.dedup();
        return Err(Error::invalid(
            "stage",
            format!("{} has no stage \"{stage}\". Its stages: {}.", def.name, names.join(", ")),
        ));
    }
    if let Some(n) = notification::open_draft(store, id, &def.id, stage)? {
        return Ok(n);
    }
    let view = notification::regime_clocks(store, id, regime)?;
    let submitted = view.stages.iter().find(|s| s.stage == stage).and_then(|s| s.submitted_at);
    Err(match submitted {
        Some(at) => Error::Conflict {
            message: format!(
                "The {} {stage} was submitted on {}; to add information, draft a supplement with `firebreak notification \
                 draft {} {} --stage {stage}`.",
                def.name,
                audit::format_instant(at),
                id.trim(),
                def.id
            ),
        },
        None => Error::not_found(format!(
            "There is no draft of the {} {stage} for {}: start one with `firebreak notification draft {} {} --stage {stage}`.",
            def.name,
            id.trim(),
            id.trim(),
            def.id
        )),
    })
}

/// The regime's name as printed: one line (a user's regime file may hold any text).
fn regime_name(store: &Store, regime: &str) -> Result<String, Error> {
    Ok(one_line(&notification::catalog(store)?.regime(regime)?.name).into_owned())
}

/// The required items still empty, one line each (the rule is core's: `notification::missing_items`).
fn print_missing(store: &Store, id: &str, n: &Notification) -> Result<(), Error> {
    for (key, label) in notification::missing_items(store, id, n)? {
        println!("Missing: {} — {}", one_line(&key), one_line(&label));
    }
    Ok(())
}
