//! `firebreak playbook`: the containment playbooks for an incident's types, and ticking their steps.

use crate::output::Output;
use clap::Subcommand;
use firebreak_core::audit::format_instant;
use firebreak_core::phases::playbook;
use firebreak_core::text::one_line;
use firebreak_core::{Actor, Error, Store};

#[derive(Subcommand)]
pub enum PlaybookCommand {
    /// The playbooks for the incident's types, with each step's state.
    Show { id: String },
    /// Tick a step as done (or untick it with --undo).
    Tick {
        id: String,
        /// The playbook's id, e.g. prompt_injection (`playbook show` lists them).
        playbook: String,
        /// The step's key, e.g. cut_outbound.
        step: String,
        /// Mark the step not done again.
        #[arg(long)]
        undo: bool,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &PlaybookCommand,
) -> Result<(), Error> {
    match cmd {
        PlaybookCommand::Show { id } => {
            let views = playbook::playbooks_for(store, id)?;
            if out.json {
                out.print_json(&views);
                return Ok(());
            }
            if views.is_empty() {
                println!("No playbook applies: set the incident's types (incident_types) first.");
            }
            for view in views {
                let customized = if view.playbook.customized { " (your copy)" } else { "" };
                println!("{} — {}{customized}", one_line(&view.playbook.id), one_line(&view.playbook.title));
                for s in view.steps {
                    let (mark, by) = match &s.state {
                        Some(st) if st.done => (
                            "x",
                            format!(
                                "  [done by {} at {}]",
                                one_line(st.done_by.as_deref().unwrap_or("?")),
                                st.done_at.map(format_instant).unwrap_or_default()
                            ),
                        ),
                        _ => (" ", String::new()),
                    };
                    let note = s
                        .state
                        .as_ref()
                        .filter(|st| !st.note.is_empty())
                        .map(|st| format!("  note: {}", one_line(&st.note)));
                    let (key, text) = (one_line(&s.step.key), one_line(&s.step.text));
                    println!("  [{mark}] {key:<28} {text}{by}{}", note.unwrap_or_default());
                }
            }
        }
        PlaybookCommand::Tick { id, playbook: which, step, undo, note } => {
            let state = playbook::tick(store, &actor()?, id, which, step, !undo, note.as_deref())?;
            if out.json {
                out.print_json(&state);
                return Ok(());
            }
            let what = if state.done { "done" } else { "not done" };
            println!("{}: step {} marked {what}.", one_line(&state.playbook), one_line(&state.step));
        }
    }
    Ok(())
}
