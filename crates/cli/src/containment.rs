//! `firebreak contain`: the containment checklist (tokens, grants, sessions, queues, webhooks, retrieval, …).

use crate::output::Output;
use clap::Subcommand;
use firebreak_core::audit::format_instant;
use firebreak_core::phases::containment::{self, ContainmentArea, ContainmentStatus};
use firebreak_core::text::one_line;
use firebreak_core::{Actor, Error, Store};

#[derive(Subcommand)]
pub enum ContainmentCommand {
    /// Set an area's status: not_needed, to_do or done.
    Set {
        id: String,
        /// tokens_secrets, oauth_grants, browser_sessions, queues, webhooks, retrieval, write_tools,
        /// notifications, downstream_automations
        area: String,
        status: String,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Every area with its status, who and when.
    List { id: String },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &ContainmentCommand,
) -> Result<(), Error> {
    match cmd {
        ContainmentCommand::Set { id, area, status, note } => {
            let area = choice("area", "containment area", area, ContainmentArea::parse, ContainmentArea::ALL)?;
            let status =
                choice("status", "containment status", status, ContainmentStatus::parse, ContainmentStatus::ALL)?;
            let item = containment::set(store, &actor()?, id, area, status, note.as_deref())?;
            if out.json {
                out.print_json(&item);
                return Ok(());
            }
            println!("{}: {}.", item.area.label(), item.status.label().to_lowercase());
        }
        ContainmentCommand::List { id } => {
            let lines = containment::list(store, id)?;
            if out.json {
                out.print_json(&lines);
                return Ok(());
            }
            for l in lines {
                let who = match (&l.done_by, l.done_at) {
                    (Some(by), Some(at)) => format!("{} at {}", one_line(by), format_instant(at)),
                    _ => String::new(),
                };
                let text = format!("{:<24} {:<10} {:<40} {}", l.area.key(), l.status.key(), who, one_line(&l.note));
                println!("{}", text.trim_end());
            }
        }
    }
    Ok(())
}

/// A choice key from the command line, forgiving case and dashes; refused with the valid keys.
fn choice<T: Copy + std::fmt::Display>(
    field: &str,
    what: &str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    all: &[T],
) -> Result<T, Error> {
    parse(&text.trim().to_lowercase().replace('-', "_")).ok_or_else(|| {
        let keys: Vec<String> = all.iter().map(|c| c.to_string()).collect();
        Error::invalid(field, format!("\"{text}\" is not a {what}. Choose one of: {}.", keys.join(", ")))
    })
}
