//! `firebreak communication`: the communication matrix — who must be told, the drafted message, approval, sending.

use crate::output::Output;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use firebreak_core::phases::communication::{self, Audience, Communication, EditCommunication};
use firebreak_core::text::{one_line, visible};
use firebreak_core::{Actor, Error, Store};
use std::path::PathBuf;

/// A message file is a letter or an email: far below this.
const MAX_MESSAGE_FILE: u64 = 1024 * 1024;

#[derive(Subcommand)]
pub enum CommunicationCommand {
    /// The matrix: every audience, whether it must be told and why, when, and the message's progress.
    List { id: String },
    /// Draft (or redraft) the message to AUDIENCE from its template, prefilled from the record; prints it.
    Draft { id: String, audience: String },
    /// Record that a named person (from the people directory) approved the message.
    Approve {
        id: String,
        audience: String,
        #[arg(long, value_name = "NAME")]
        approver: String,
    },
    /// Record that the approved message was sent (refused before approval).
    Sent {
        id: String,
        audience: String,
        /// How it was sent: email, phone call, status page, letter…
        #[arg(long, value_name = "HOW")]
        via: String,
        /// When it was sent (RFC 3339). Default: now.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
    },
    /// Decide whether AUDIENCE must be told, change when, the message text or its owner.
    Set {
        id: String,
        audience: String,
        #[arg(long, value_name = "yes|no")]
        required: Option<String>,
        /// Why (needed when the decision differs from what the record suggests).
        #[arg(long, value_name = "TEXT")]
        because: Option<String>,
        /// When to tell them, e.g. "now", "within 24 hours".
        #[arg(long, value_name = "TEXT")]
        when: Option<String>,
        /// A file holding the message text (changing an approved message sends it back for approval).
        #[arg(long, value_name = "FILE")]
        message_file: Option<PathBuf>,
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
    },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &CommunicationCommand,
) -> Result<(), Error> {
    match cmd {
        CommunicationCommand::List { id } => {
            let matrix = communication::matrix(store, id)?;
            if out.json {
                out.print_json(&matrix);
                return Ok(());
            }
            println!("{:<26} {:<9} {:<9} {:<28} {:<20} WHY", "AUDIENCE", "REQUIRED", "STATUS", "WHEN", "OWNER");
            for v in matrix {
                let c = v.communication.as_ref();
                println!(
                    "{:<26} {:<9} {:<9} {:<28} {:<20} {}",
                    v.label,
                    if v.required { "yes" } else { "no" },
                    c.map_or("-", |c| c.status.key()),
                    one_line(&v.when_to_tell),
                    one_line(c.map_or("", |c| c.owner.as_str())),
                    one_line(&v.required_because)
                );
            }
        }
        CommunicationCommand::Draft { id, audience } => {
            let c = communication::draft(store, &actor()?, id, parse_audience(audience)?)?;
            if out.json {
                out.print_json(&c);
                return Ok(());
            }
            // The message is a block of lines on purpose: its line feeds stay, every other control character is shown.
            print!("{}", visible(&c.message));
        }
        CommunicationCommand::Approve { id, audience, approver } => {
            let c = communication::approve(store, &actor()?, id, parse_audience(audience)?, approver)?;
            done(out, &c, &format!("approved by {}", one_line(c.approved_by.as_deref().unwrap_or_default())));
        }
        CommunicationCommand::Sent { id, audience, via, at } => {
            let at = match at {
                Some(text) => parse_instant("at", text)?,
                None => Utc::now(),
            };
            let c = communication::mark_sent(store, &actor()?, id, parse_audience(audience)?, at, via)?;
            done(out, &c, &format!("marked sent via {}", one_line(c.sent_via.as_deref().unwrap_or_default())));
        }
        CommunicationCommand::Set { id, audience, required, because, when, message_file, owner } => {
            let required = match required.as_deref().map(str::trim) {
                None => None,
                Some("yes") => Some(true),
                Some("no") => Some(false),
                Some(other) => {
                    return Err(Error::invalid("required", format!("--required is yes or no, not \"{other}\".")))
                }
            };
            let message = match message_file {
                None => None,
                Some(path) => Some(firebreak_core::input::read_text(path, MAX_MESSAGE_FILE, "the message file")?),
            };
            let changes = EditCommunication {
                required,
                required_because: because.clone(),
                when_to_tell: when.clone(),
                message,
                owner: owner.clone(),
            };
            let edit = communication::edit(store, &actor()?, id, parse_audience(audience)?, changes)?;
            if out.json {
                out.print_json(&edit);
                return Ok(());
            }
            if let Some(notice) = &edit.notice {
                println!("{}", one_line(notice));
            }
            println!("Message to {} saved ({}).", edit.communication.audience.label(), edit.communication.status.key());
        }
    }
    Ok(())
}

fn done(out: &Output, c: &Communication, what: &str) {
    if out.json {
        out.print_json(c);
    } else {
        println!("Message to {} {what}.", c.audience.label());
    }
}

pub fn parse_audience(text: &str) -> Result<Audience, Error> {
    Audience::parse(text.trim()).ok_or_else(|| {
        let keys: Vec<&str> = Audience::ALL.iter().map(|a| a.key()).collect();
        Error::invalid("audience", format!("\"{text}\" is not an audience. Audiences: {}.", keys.join(", ")))
    })
}

pub fn parse_instant(field: &str, text: &str) -> Result<DateTime<Utc>, Error> {
    firebreak_core::incident::fields::instant(field, text)
}
