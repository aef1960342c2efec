//! `firebreak pause`: record what was paused, at which scope, approved by whom; lift it; list pauses.

use crate::output::Output;
use clap::Subcommand;
use firebreak_core::audit::format_instant;
use firebreak_core::incident::{self, fields::parse_instant};
use firebreak_core::phases::pause::{self, PauseAction, PauseScope};
use firebreak_core::text::one_line;
use firebreak_core::{Actor, Error, Store};

#[derive(Subcommand)]
pub enum PauseCommand {
    /// Record a pause action and print its ID.
    Add {
        id: String,
        /// workflow, trigger, tool, permission, queue, session, source, sends, downstream
        #[arg(long)]
        scope: String,
        /// What exactly is paused, e.g. "refund-sender tool".
        #[arg(long)]
        target: String,
        #[arg(long, value_name = "NAME")]
        approved_by: String,
        /// When it was paused (RFC 3339). Default: now.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
    /// Record that a pause was lifted.
    Lift {
        id: String,
        pause_id: String,
        #[arg(long = "by", value_name = "NAME")]
        by: String,
        /// When it was lifted (RFC 3339). Default: now.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
    /// The incident's pauses, and suggested first pauses when there are none.
    List { id: String },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &PauseCommand,
) -> Result<(), Error> {
    match cmd {
        PauseCommand::Add { id, scope, target, approved_by, at } => {
            let scope = parse_scope(scope)?;
            let at = at.as_deref().map(|t| parse_at("paused_at", t)).transpose()?;
            let p = pause::pause(store, &actor()?, id, scope, target, approved_by, at)?;
            if out.json {
                out.print_json(&p);
                return Ok(());
            }
            let (target, approved_by) = (one_line(&p.target), one_line(&p.approved_by));
            println!("Paused {target} ({}), approved by {approved_by}. Pause ID: {}", p.scope.label(), p.id);
        }
        PauseCommand::Lift { id, pause_id, by, at } => {
            let at = at.as_deref().map(|t| parse_at("lifted_at", t)).transpose()?;
            let p = pause::lift(store, &actor()?, id, pause_id, by, at)?;
            if out.json {
                out.print_json(&p);
                return Ok(());
            }
            let (target, by) = (one_line(&p.target), one_line(p.lifted_by.as_deref().unwrap_or_default()));
            println!("Lifted the pause of {target} ({}), by {by}.", p.scope.label());
        }
        PauseCommand::List { id } => {
            let pauses = pause::list(store, id)?;
            if out.json {
                out.print_json(&pauses);
                return Ok(());
            }
            let incident = incident::get(store, id)?;
            if pause::needs_pause_warning(&store.connect()?, &incident)? {
                println!("The agent is still running and nothing is paused.");
            }
            for p in &pauses {
                println!("{}", line(p));
            }
            if pauses.is_empty() {
                println!("Nothing paused.");
                for s in pause::suggestions(&incident) {
                    println!("Suggested: pause {} ({}) — {}", one_line(&s.target), s.scope, one_line(&s.why));
                }
            }
        }
    }
    Ok(())
}

fn line(p: &PauseAction) -> String {
    let lifted = match (&p.lifted_by, p.lifted_at) {
        (Some(by), Some(at)) => format!("lifted by {} at {}", one_line(by), format_instant(at)),
        _ => "in force".to_string(),
    };
    format!(
        "{}  {:<10} {}  approved by {}, paused at {}, {lifted}",
        p.id,
        p.scope,
        one_line(&p.target),
        one_line(&p.approved_by),
        format_instant(p.paused_at)
    )
}

fn parse_scope(text: &str) -> Result<PauseScope, Error> {
    PauseScope::parse(&text.trim().to_lowercase()).ok_or_else(|| {
        let scopes: Vec<&str> = PauseScope::ALL.iter().map(|s| s.key()).collect();
        Error::invalid("scope", format!("\"{text}\" is not a pause scope. Scopes: {}.", scopes.join(", ")))
    })
}

fn parse_at(field: &str, text: &str) -> Result<chrono::DateTime<chrono::Utc>, Error> {
    parse_instant(text).ok_or_else(|| {
        Error::invalid(
            field,
            format!("\"{text}\" is not a date and time Firebreak understands. Use RFC 3339 with a zone, e.g. 2026-11-20T14:30:00Z."),
        )
    })
}
