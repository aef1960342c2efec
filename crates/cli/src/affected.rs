//! `firebreak affected …` and `firebreak side-effect-questions …`: the side-effect audit and recovery.

use crate::output::Output;
use clap::Subcommand;
use firebreak_core::audit;
use firebreak_core::phases::affected::{
    self, AgentAction, AuditQuestion, NewAffectedObject, ObjectChanges, ObjectQuery, ObjectStatus, RecoveryAction,
};
use firebreak_core::text::one_line;
use firebreak_core::{Actor, Error, Store};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum AffectedCommand {
    /// Import affected objects from CSV (header row: system, object_type, object_id, action required; occurred_at,
    /// evidence, recovery_action, recovery_owner, status optional). A bad row rejects the whole file.
    /// A .tsv file, or --tsv, is read as tab-separated text; FILE "-" reads standard input.
    Import {
        id: String,
        file: PathBuf,
        /// Tab-separated (as pasted from a spreadsheet).
        #[arg(long)]
        tsv: bool,
    },
    /// Add one affected object.
    Add {
        id: String,
        #[arg(long)]
        system: String,
        #[arg(long = "type", value_name = "TYPE")]
        object_type: String,
        #[arg(long)]
        object_id: String,
        /// read, created, changed, sent, deleted, approved, triggered
        #[arg(long)]
        action: String,
        /// When the agent acted, RFC 3339.
        #[arg(long, value_name = "RFC3339")]
        at: Option<String>,
        #[arg(long, default_value = "")]
        evidence: String,
    },
    /// List the affected objects (JSON: an array of rows), all of them or one page.
    List {
        id: String,
        #[arg(long)]
        system: Option<String>,
        #[arg(long)]
        action: Option<String>,
        #[arg(long)]
        status: Option<String>,
        /// Only objects whose system, type or object ID contains this text (any case).
        #[arg(long, default_value = "")]
        search: String,
        /// At most this many rows.
        #[arg(long)]
        limit: Option<u64>,
        /// Skip this many rows first (with --limit: the next page).
        #[arg(long, default_value_t = 0)]
        offset: u64,
    },
    /// Change an object's recovery: recovery_action=, recovery_owner=, status= (OBJECT_ID or row ID).
    Set {
        id: String,
        object_id: String,
        #[arg(value_name = "FIELD=VALUE")]
        assignments: Vec<String>,
        /// Record that you verified the object now.
        #[arg(long)]
        verified: bool,
    },
    /// Append to an object's recovery completion log.
    Log {
        id: String,
        object_id: String,
        #[arg(long)]
        note: String,
    },
}

#[derive(Subcommand)]
pub enum SideEffectQuestionsCommand {
    /// Answer a question (empty text clears the answer). Questions: trigger, inputs, freshness, prompts,
    /// model_calls, tools, writes, sends, approvals, retries, downstream.
    Answer { id: String, question: String, text: String },
    /// The eleven questions with their answers.
    List { id: String },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &AffectedCommand,
) -> Result<(), Error> {
    match cmd {
        AffectedCommand::Import { id, file, tsv } => {
            let report = import(store, &actor()?, id, file, *tsv)?;
            if out.json {
                out.print_json(&report);
            } else {
                println!("Imported {} affected objects", report.added);
            }
        }
        AffectedCommand::Add { id, system, object_type, object_id, action, at, evidence } => {
            let mut new = NewAffectedObject::new(system, object_type, object_id, parse(action, "action")?);
            new.evidence = evidence.clone();
            if let Some(at) = at {
                new.occurred_at = Some(firebreak_core::incident::fields::instant("occurred_at", at)?);
            }
            let object = affected::add(store, &actor()?, id, new)?;
            if out.json {
                out.print_json(&object);
            } else {
                println!(
                    "Added {} {} {} (row ID {})",
                    one_line(&object.system),
                    one_line(&object.object_type),
                    one_line(&object.object_id),
                    object.id
                );
            }
        }
        AffectedCommand::List { id, system, action, status, search, limit, offset } => {
            let query = ObjectQuery {
                system: system.clone(),
                action: action.as_deref().map(|a| parse(a, "action")).transpose()?,
                status: status.as_deref().map(|s| parse(s, "status")).transpose()?,
                text: search.clone(),
                limit: *limit,
                offset: *offset,
                ..Default::default()
            };
            let page = affected::list(store, id, &query)?;
            if out.json {
                out.print_json(&page.rows);
            } else {
                print_objects(&page, *offset).or_else(quiet_when_closed)?;
            }
        }
        AffectedCommand::Set { id, object_id, assignments, verified } => {
            let changes = changes_from(assignments, *verified)?;
            let object = affected::update(store, &actor()?, id, object_id, &changes)?;
            if out.json {
                out.print_json(&object);
            } else {
                println!(
                    "{} {}: recovery {}, status {}.",
                    one_line(&object.system),
                    one_line(&object.object_id),
                    object.recovery_action.map(|a| a.key()).unwrap_or("undecided"),
                    object.status.key()
                );
            }
        }
        AffectedCommand::Log { id, object_id, note } => {
            let entry = affected::log_recovery(store, &actor()?, id, object_id, note)?;
            if out.json {
                out.print_json(&entry);
            } else {
                println!("Logged at {}: {}", audit::format_instant(entry.at), one_line(&entry.note));
            }
        }
    }
    Ok(())
}

/// A CSV file (or TSV, by `--tsv` or its extension), or standard input when the path is `-`.
fn import(store: &Store, actor: &Actor, id: &str, file: &Path, tsv: bool) -> Result<affected::ImportReport, Error> {
    let delimiter = if tsv || is_tsv(file) { b'\t' } else { b',' };
    if file.as_os_str() == "-" {
        affected::import_delimited(store, actor, id, std::io::stdin().lock(), delimiter)
    } else {
        let opened = firebreak_core::input::open_regular(file, "the import")?;
        affected::import_delimited(store, actor, id, std::io::BufReader::new(opened.file), delimiter)
    }
}

/// `affected set`'s FIELD=VALUE assignments (and `--verified`) as the changes to make; at least one is needed.
fn changes_from(assignments: &[String], verified: bool) -> Result<ObjectChanges, Error> {
    let mut changes = ObjectChanges { verified: verified.then_some(true), ..Default::default() };
    for assignment in assignments {
        let (field, value) = assignment.split_once('=').ok_or_else(|| {
            Error::invalid_input(format!(
                "\"{assignment}\" is not FIELD=VALUE, e.g. recovery_action=roll_back or status=recovered."
            ))
        })?;
        match field.trim() {
            "recovery_action" => changes.recovery_action = Some(parse(value, "recovery_action")?),
            "recovery_owner" => changes.recovery_owner = Some(value.to_string()),
            "status" => changes.status = Some(parse(value, "status")?),
            other => {
                return Err(Error::invalid_input(format!(
                    "\"{other}\" cannot be set here. Fields: recovery_action, recovery_owner, status (and --verified)."
                )))
            }
        }
    }
    if changes == ObjectChanges::default() {
        return Err(Error::invalid_input(
            "Say what to change: recovery_action=…, recovery_owner=…, status=… or --verified.",
        ));
    }
    Ok(changes)
}

pub fn run_questions(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &SideEffectQuestionsCommand,
) -> Result<(), Error> {
    match cmd {
        SideEffectQuestionsCommand::Answer { id, question, text } => {
            let question: AuditQuestion = parse(question, "question")?;
            let answer = affected::answer(store, &actor()?, id, question, text)?;
            if out.json {
                out.print_json(&answer);
            } else if answer.answer.is_empty() {
                println!("Cleared the answer to \"{}\"", question.label());
            } else {
                println!("Answered \"{}\"", question.label());
            }
        }
        SideEffectQuestionsCommand::List { id } => {
            let answers = affected::answers(store, id)?;
            if out.json {
                out.print_json(&answers);
            } else {
                for a in &answers {
                    let answer = if a.answer.is_empty() { "—" } else { &a.answer };
                    println!("{:<12} {:<42} {}", a.question.key(), a.question.label(), one_line(answer));
                }
            }
        }
    }
    Ok(())
}

fn is_tsv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"))
}

/// A choice given on the command line by its key.
trait Choice: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn key(self) -> &'static str;
}

macro_rules! choice {
    ($($t:ty),+) => {$(
        impl Choice for $t {
            const ALL: &'static [Self] = <$t>::ALL;
            fn key(self) -> &'static str {
                <$t>::key(self)
            }
        }
    )+};
}
choice!(AgentAction, ObjectStatus, RecoveryAction, AuditQuestion);

fn parse<T: Choice>(text: &str, field: &str) -> Result<T, Error> {
    let text = text.trim();
    T::ALL.iter().copied().find(|c| c.key() == text).ok_or_else(|| {
        let keys: Vec<&str> = T::ALL.iter().map(|c| c.key()).collect();
        Error::invalid(field, format!("{field} \"{text}\" is not one of: {}.", keys.join(", ")))
    })
}

/// The objects as a table, written through one buffer (a hundred thousand rows are a few large writes, not one per
/// line), with where the page sits when it is not all of them.
fn print_objects(page: &affected::ObjectPage, offset: u64) -> std::io::Result<()> {
    use std::io::Write;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if page.rows.is_empty() {
        writeln!(w, "No affected objects{}.", if page.total_matching > 0 { " on this page" } else { "" })?;
    } else {
        writeln!(
            w,
            "{:<16} {:<16} {:<20} {:<10} {:<20} {:<13} {:<16} STATUS",
            "SYSTEM", "TYPE", "OBJECT", "ACTION", "WHEN", "RECOVERY", "OWNER"
        )?;
        for r in &page.rows {
            writeln!(
                w,
                "{:<16} {:<16} {:<20} {:<10} {:<20} {:<13} {:<16} {}{}",
                one_line(&r.system),
                one_line(&r.object_type),
                one_line(&r.object_id),
                r.action.key(),
                r.occurred_at.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or("-".into()),
                r.recovery_action.map(|a| a.key()).unwrap_or("-"),
                one_line(if r.recovery_owner.is_empty() { "-" } else { &r.recovery_owner }),
                r.status.key(),
                r.verified_by.as_deref().map(|v| format!(" (verified by {})", one_line(v))).unwrap_or_default()
            )?;
        }
    }
    let shown = page.rows.len() as u64;
    if offset > 0 || shown < page.total_matching {
        let next = if offset + shown < page.total_matching {
            format!("; the next page: --offset {}", offset + shown)
        } else {
            String::new()
        };
        let range = if shown == 0 { "none".to_string() } else { format!("{}–{}", offset + 1, offset + shown) };
        writeln!(w, "Rows {range} of {} matching{next}.", page.total_matching)?;
    }
    w.flush()
}

/// A reader that stops early (`| head`) closes the pipe: that ends the listing, it is not an error.
fn quiet_when_closed(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}
