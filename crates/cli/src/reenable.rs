//! `firebreak reenable`: the eleven re-enable questions, the staged sign-offs and the first monitored run.

use crate::communication::parse_instant;
use crate::output::Output;
use clap::Subcommand;
use firebreak_core::phases::reenable::{self, ReenableAnswerValue, ReenableQuestion, ReenableStage};
use firebreak_core::text::one_line;
use firebreak_core::{Actor, Error, Store};

#[derive(Subcommand)]
pub enum ReenableCommand {
    /// Answer questions: KEY=yes|no|exception (several at once; one bad key and nothing is written).
    Answer {
        id: String,
        #[arg(value_name = "KEY=yes|no|exception", required = true)]
        answers: Vec<String>,
        /// A note for these answers; an exception needs one naming the owner who approved it.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Sign off a stage (read_only, draft_only, human_approved_writeback, limited_production, normal) or retire
    /// the workflow (retired). Refused while any answer is "no" or missing.
    Signoff {
        id: String,
        #[arg(long)]
        stage: String,
        #[arg(long, value_name = "NAME")]
        approver: String,
        #[arg(long)]
        statement: String,
    },
    /// The answers, the sign-offs and the next stage.
    Show { id: String },
    /// Record when the first run at a signed stage was watched by a person.
    FirstRun {
        id: String,
        #[arg(long)]
        stage: String,
        #[arg(long, value_name = "RFC3339")]
        at: String,
    },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &ReenableCommand,
) -> Result<(), Error> {
    match cmd {
        ReenableCommand::Answer { id, answers, note } => {
            let parsed = answers.iter().map(|a| parse_answer(a)).collect::<Result<Vec<_>, Error>>()?;
            let saved = reenable::answer_all(store, &actor()?, id, &parsed, note)?;
            if out.json {
                out.print_json(&saved);
                return Ok(());
            }
            println!("Saved {} answer{}.", saved.len(), if saved.len() == 1 { "" } else { "s" });
        }
        ReenableCommand::Signoff { id, stage, approver, statement } => {
            let signed = reenable::signoff(store, &actor()?, id, parse_stage(stage)?, approver, statement)?;
            if out.json {
                out.print_json(&signed);
                return Ok(());
            }
            let approver = one_line(&signed.approver);
            println!("Stage {} signed off by {approver} (state {}).", signed.stage.key(), signed.state_hash);
        }
        ReenableCommand::Show { id } => {
            let answers = reenable::answers(store, id)?;
            let signoffs = reenable::signoffs(store, id)?;
            let next = reenable::next_stage(&signoffs);
            if out.json {
                out.print_json(&serde_json::json!({
                    "answers": answers, "signoffs": signoffs, "next_stage": next
                }));
                return Ok(());
            }
            for a in &answers {
                let answer = a.answer.map_or("-", |v| v.key());
                let note = if a.note.is_empty() { String::new() } else { format!("  ({})", one_line(&a.note)) };
                println!("{:<22} {:<10} {}{note}", a.question.key(), answer, a.label);
            }
            println!();
            for s in &signoffs {
                let first = s.first_run_at.map(firebreak_core::audit::format_instant).unwrap_or_default();
                println!(
                    "{:<26} {}  {:<20} {}  {}",
                    s.stage.key(),
                    firebreak_core::audit::format_instant(s.signed_at),
                    one_line(&s.approver),
                    one_line(&s.statement),
                    if first.is_empty() { String::new() } else { format!("first run {first}") }
                );
            }
            match next {
                Some(stage) => println!("Next stage to sign: {}", stage.key()),
                None => println!("No stage left to sign."),
            }
        }
        ReenableCommand::FirstRun { id, stage, at } => {
            let stage = parse_stage(stage)?;
            let signed = reenable::signoffs(store, id)?.into_iter().find(|s| s.stage == stage).ok_or_else(|| {
                Error::invalid("stage", format!("Stage {} is not signed off yet on {id}.", stage.key()))
            })?;
            let run = reenable::record_first_run(store, &actor()?, id, &signed.id, parse_instant("at", at)?)?;
            if out.json {
                out.print_json(&run);
                return Ok(());
            }
            println!("First run at stage {} recorded.", run.stage.key());
        }
    }
    Ok(())
}

fn parse_answer(text: &str) -> Result<(ReenableQuestion, ReenableAnswerValue), Error> {
    let (key, value) = text.split_once('=').ok_or_else(|| {
        Error::invalid_input(format!("\"{text}\" is not KEY=yes|no|exception, e.g. root_cause_identified=yes."))
    })?;
    let question = ReenableQuestion::parse(key.trim()).ok_or_else(|| {
        let keys: Vec<&str> = ReenableQuestion::ALL.iter().map(|q| q.key()).collect();
        Error::invalid(
            "question",
            format!("\"{}\" is not a re-enable question. Questions: {}.", key.trim(), keys.join(", ")),
        )
    })?;
    let value = ReenableAnswerValue::parse(value.trim().to_ascii_lowercase().as_str()).ok_or_else(|| {
        Error::invalid("answer", format!("\"{}\" for {} is not yes, no or exception.", value.trim(), question.key()))
    })?;
    Ok((question, value))
}

fn parse_stage(text: &str) -> Result<ReenableStage, Error> {
    ReenableStage::parse(text.trim()).ok_or_else(|| {
        let keys: Vec<&str> = ReenableStage::ALL.iter().map(|s| s.key()).collect();
        Error::invalid("stage", format!("\"{text}\" is not a stage. Stages: {}.", keys.join(", ")))
    })
}
