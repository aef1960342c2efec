//! `firebreak severity`: answer the rubric, see the suggested level and what triggered it, choose a level.

use crate::output::Output;
use clap::Subcommand;
use firebreak_core::audit::format_instant;
use firebreak_core::incident;
use firebreak_core::phases::{pause, severity};
use firebreak_core::text::one_line;
use firebreak_core::vocabulary::Severity;
use firebreak_core::{Actor, Error, Store};
use std::collections::BTreeMap;

#[derive(Subcommand)]
pub enum SeverityCommand {
    /// Record an assessment: answers, the suggested level, the chosen level. Sets the incident's severity.
    Assess {
        id: String,
        /// A rubric answer, KEY=yes or KEY=no (repeatable). `firebreak severity questions` lists the keys.
        #[arg(long = "answer", value_name = "KEY=yes|no")]
        answers: Vec<String>,
        /// The level you choose (sev0, sev1, sev2, sev3). Default: the suggested one.
        #[arg(long, value_name = "LEVEL")]
        choose: Option<String>,
        /// Why; required when choosing a lower level than suggested (logged as an override).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Every assessment of the incident, oldest first.
    History { id: String },
    /// The rubric's questions and their answer keys.
    Questions,
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &SeverityCommand,
) -> Result<(), Error> {
    match cmd {
        SeverityCommand::Assess { id, answers, choose, reason } => {
            let answers = parse_answers(answers)?;
            let chosen = choose.as_deref().map(parse_level).transpose()?;
            let a = severity::assess(store, &actor()?, id, answers, chosen, reason.clone())?;
            if out.json {
                out.print_json(&a);
                return Ok(());
            }
            let triggers = if a.triggered_by.is_empty() {
                "no trigger answered yes".to_string()
            } else {
                a.triggered_by.join(", ")
            };
            println!("Suggested {} (triggered by: {triggers}); chosen {}.", a.suggested, a.chosen);
            if a.chosen > a.suggested {
                println!("Logged as an override: {}", one_line(a.reason.as_deref().unwrap_or_default()));
            }
            let incident = incident::get(store, id)?;
            if pause::needs_pause_warning(&store.connect()?, &incident)? {
                println!("The agent is still running and nothing is paused: `firebreak pause add {}`.", incident.id);
            }
        }
        SeverityCommand::History { id } => {
            let history = severity::history(store, id)?;
            if out.json {
                out.print_json(&history);
                return Ok(());
            }
            if history.is_empty() {
                println!("No severity assessment yet.");
            }
            for a in history {
                let reason = a.reason.map(|r| format!("  [{}]", one_line(&r))).unwrap_or_default();
                println!(
                    "{}  {}  suggested {} ({}), chosen {}{reason}",
                    format_instant(a.assessed_at),
                    one_line(&a.assessed_by),
                    a.suggested,
                    if a.triggered_by.is_empty() { "no trigger".to_string() } else { a.triggered_by.join(", ") },
                    a.chosen
                );
            }
        }
        SeverityCommand::Questions => {
            let questions = severity::questions();
            if out.json {
                out.print_json(&questions);
                return Ok(());
            }
            for q in questions {
                println!("{:<30} {:<18} {}", q.key, q.effect, q.question);
            }
        }
    }
    Ok(())
}

fn parse_answers(texts: &[String]) -> Result<BTreeMap<String, bool>, Error> {
    let mut answers = BTreeMap::new();
    for text in texts {
        let (key, value) = text.split_once('=').ok_or_else(|| {
            Error::invalid("answers", format!("\"{text}\" is not KEY=yes or KEY=no, e.g. --answer material_harm=no."))
        })?;
        let key = key.trim().to_lowercase();
        let value = match value.trim().to_lowercase().as_str() {
            "yes" | "y" | "true" => true,
            "no" | "n" | "false" => false,
            other => {
                return Err(Error::invalid("answers", format!("The answer to {key} is \"{other}\"; answer yes or no.")))
            }
        };
        if answers.insert(key.clone(), value).is_some_and(|before| before != value) {
            return Err(Error::invalid("answers", format!("{key} is answered both yes and no; give one answer.")));
        }
    }
    Ok(answers)
}

fn parse_level(text: &str) -> Result<Severity, Error> {
    Severity::parse(&text.trim().to_lowercase()).ok_or_else(|| {
        let levels: Vec<&str> = Severity::ALL.iter().map(|s| s.key()).collect();
        Error::invalid("chosen", format!("\"{text}\" is not a severity level. Levels: {}.", levels.join(", ")))
    })
}
