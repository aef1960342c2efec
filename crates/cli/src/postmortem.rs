//! `firebreak postmortem` and `firebreak remediation`: the postmortem, its timeline and the remediation items.

use crate::communication::parse_instant;
use crate::output::Output;
use chrono::NaiveDate;
use clap::Subcommand;
use firebreak_core::incident;
use firebreak_core::phases::postmortem::{self, ControlType, RemediationStatus, RemediationUpdate};
use firebreak_core::text::one_line;
use firebreak_core::{Actor, Error, Store};
use serde_json::Value;

#[derive(Subcommand)]
pub enum PostmortemCommand {
    /// Show the postmortem (and warn when the only fix is a prompt change).
    Show { id: String },
    /// Set fields: FIELD=VALUE (names as in the JSON; lists comma-separated; five_whys separated by `|`).
    Set {
        id: String,
        #[arg(value_name = "FIELD=VALUE", required = true)]
        assignments: Vec<String>,
    },
    /// Mark the postmortem complete (refused until summary, root cause, a layer and a remediation item exist).
    Complete { id: String },
    /// The timeline built from the record, plus manual entries, oldest first.
    Timeline { id: String },
    /// Add a manual timeline entry.
    AddEntry {
        id: String,
        #[arg(long, value_name = "RFC3339")]
        at: String,
        #[arg(long)]
        text: String,
    },
}

#[derive(Subcommand)]
pub enum RemediationCommand {
    /// Add a remediation item.
    Add {
        id: String,
        /// narrower_permissions, input_freshness, idempotency, blocked_actions, approval_gate, run_records,
        /// alert_thresholds, adversarial_tests, prompt_versioning, change_control, training, reenable_criteria,
        /// prompt_change
        #[arg(long, value_name = "TYPE")]
        control: String,
        #[arg(long)]
        description: String,
        #[arg(long, value_name = "NAME")]
        owner: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        due: Option<String>,
    },
    /// Change an item's status (open, in_progress, done), owner or due date.
    Set {
        id: String,
        item: String,
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        due: Option<String>,
    },
    /// List the remediation items.
    List { id: String },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &PostmortemCommand,
) -> Result<(), Error> {
    match cmd {
        PostmortemCommand::Show { id } => {
            let pm = postmortem::get(store, id)?;
            if out.json {
                out.print_json(&pm);
                return Ok(());
            }
            let value = serde_json::to_value(&pm)?;
            for (field, shown) in value.as_object().into_iter().flatten() {
                if field != "id" && field != "incident" {
                    println!("{:<22} {}", field, one_line(&text(shown)));
                }
            }
            let conn = store.connect()?;
            if let Some(warning) = postmortem::shallow_warning(&conn, &incident::get(store, id)?)? {
                println!("\nWarning: {}", one_line(&warning));
            }
        }
        PostmortemCommand::Set { id, assignments } => {
            let mut pm = postmortem::get(store, id)?;
            for assignment in assignments {
                let (field, value) = assignment.split_once('=').ok_or_else(|| {
                    Error::invalid_input(format!(
                        "\"{assignment}\" is not FIELD=VALUE, e.g. root_cause=\"Retries were not idempotent\"."
                    ))
                })?;
                pm = postmortem::assign(pm, field.trim(), value)?;
            }
            saved(out, &postmortem::save(store, &actor()?, id, pm)?);
        }
        PostmortemCommand::Complete { id } => {
            let pm = postmortem::get(store, id)?;
            saved(out, &postmortem::save(store, &actor()?, id, postmortem::Postmortem { completed: true, ..pm })?);
        }
        PostmortemCommand::Timeline { id } => {
            let events = postmortem::timeline(store, id)?;
            if out.json {
                out.print_json(&events);
                return Ok(());
            }
            for e in events {
                println!("{}  {:<14} {}", firebreak_core::audit::format_instant(e.at), e.kind.key(), one_line(&e.text));
            }
        }
        PostmortemCommand::AddEntry { id, at, text } => {
            let entry = postmortem::add_timeline_entry(store, &actor()?, id, parse_instant("at", at)?, text)?;
            if out.json {
                out.print_json(&entry);
                return Ok(());
            }
            println!("Timeline entry added.");
        }
    }
    Ok(())
}

pub fn run_remediation(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &RemediationCommand,
) -> Result<(), Error> {
    match cmd {
        RemediationCommand::Add { id, control, description, owner, due } => {
            let control = ControlType::parse(control.trim()).ok_or_else(|| {
                let keys: Vec<&str> = ControlType::ALL.iter().map(|c| c.key()).collect();
                Error::invalid("control", format!("\"{control}\" is not a control type. Types: {}.", keys.join(", ")))
            })?;
            let due = due.as_deref().map(parse_date).transpose()?;
            let item = postmortem::add_remediation(store, &actor()?, id, control, description, owner, due)?;
            if out.json {
                out.print_json(&item);
                return Ok(());
            }
            println!("{}", item.id);
        }
        RemediationCommand::Set { id, item, status, owner, due } => {
            let status = status
                .as_deref()
                .map(|s| {
                    RemediationStatus::parse(s.trim()).ok_or_else(|| {
                        Error::invalid("status", format!("\"{s}\" is not a status: open, in_progress or done."))
                    })
                })
                .transpose()?;
            let update = RemediationUpdate {
                status,
                owner: owner.clone(),
                due_date: due.as_deref().map(parse_date).transpose()?,
                description: None,
            };
            let item = postmortem::update_remediation(store, &actor()?, id, item, update)?;
            if out.json {
                out.print_json(&item);
                return Ok(());
            }
            println!("Remediation item {} is {}.", item.id, item.status.key());
        }
        RemediationCommand::List { id } => {
            let items = postmortem::remediation(store, id)?;
            if out.json {
                out.print_json(&items);
                return Ok(());
            }
            for i in items {
                let due = i.due_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
                println!(
                    "{}  {:<22} {:<12} {:<20} {:<10} {}",
                    i.id,
                    i.control_type.key(),
                    i.status.key(),
                    one_line(&i.owner),
                    due,
                    one_line(&i.description)
                );
            }
        }
    }
    Ok(())
}

fn saved(out: &Output, pm: &postmortem::Postmortem) {
    if out.json {
        out.print_json(pm);
    } else if pm.completed {
        println!("Postmortem saved and complete.");
    } else {
        println!("Postmortem saved.");
    }
}

fn parse_date(text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("due", format!("\"{text}\" is not a date; write YYYY-MM-DD, e.g. 2026-12-31.")))
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => "—".into(),
        Value::String(s) if s.is_empty() => "—".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "—".into(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(" | "),
        other => other.to_string(),
    }
}
