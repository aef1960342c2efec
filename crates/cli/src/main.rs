//! `firebreak`: Firebreak's operations on the command line, for scripts, alert pipelines and tests.
//! The contract (flags, JSON shapes, exit codes) is relied on by scripts: extend it, do not change it.

mod affected;
mod clock;
mod communication;
mod containment;
mod deadlines;
mod evidence;
mod notification;
mod output;
mod pause;
mod playbook;
mod postmortem;
mod reenable;
mod register;
mod report;
mod search;
mod severity;
mod trace;

use clap::{Args, Parser, Subcommand};
use firebreak_core::incident::{self, FieldChange, IncidentFields, ListFilter};
use firebreak_core::people::{self, PersonDetails};
use firebreak_core::phases::guidance;
use firebreak_core::text::one_line;
use firebreak_core::vocabulary::Status;
use firebreak_core::{profile, verify, Actor, Error, ErrorCode, Store};
use serde_json::{Map, Value};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "firebreak",
    version,
    about = "Firebreak: incident response for AI-agent incidents, on the command line."
)]
struct Cli {
    /// Database file. Default: the one the desktop app uses (~/.local/share/firebreak/firebreak.db).
    #[arg(long, global = true, env = "FIREBREAK_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// Name stamped on the changes you make. Default: the desktop profile's name, else your login name.
    #[arg(long, global = true, env = "FIREBREAK_ACTOR", value_name = "NAME")]
    actor: Option<String>,
    /// Machine-readable JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create (or upgrade) the database and print its path.
    Init,
    /// Open, list, show and change incidents.
    #[command(subcommand)]
    Incident(IncidentCommand),
    /// The people directory owners are picked from.
    #[command(subcommand)]
    People(PeopleCommand),
    /// The tamper-evident audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Severity: answer the rubric, see the suggested level, choose a level.
    #[command(subcommand)]
    Severity(severity::SeverityCommand),
    /// Pause actions: what was stopped, at which scope, approved by whom, and when it was lifted.
    #[command(subcommand)]
    Pause(pause::PauseCommand),
    /// Containment playbooks for the incident's types.
    #[command(subcommand)]
    Playbook(playbook::PlaybookCommand),
    /// The containment checklist (also `contain`).
    #[command(subcommand, visible_alias = "contain")]
    Containment(containment::ContainmentCommand),
    /// The communication matrix: who must be told, messages, approval, sending (also `comms`).
    #[command(subcommand, visible_alias = "comms")]
    Communication(communication::CommunicationCommand),
    /// The postmortem and its timeline.
    #[command(subcommand)]
    Postmortem(postmortem::PostmortemCommand),
    /// Remediation items of the postmortem.
    #[command(subcommand)]
    Remediation(postmortem::RemediationCommand),
    /// Re-enable questions and staged sign-offs.
    #[command(subcommand)]
    Reenable(reenable::ReenableCommand),
    /// Every phase's progress: complete or not, what is missing, and what to do next.
    Gates { id: String },
    /// Evidence to preserve: kinds, attached files, export, re-verification, chain of custody.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCommand),
    /// Agent traces: import a trace file into runs and steps, list them, read a step.
    #[command(subcommand)]
    Trace(trace::TraceCommand),
    /// Search the trace steps and the record of one incident (--incident) or of every incident.
    Search(search::SearchArgs),
    /// The side-effect audit: affected objects and their recovery.
    #[command(subcommand)]
    Affected(affected::AffectedCommand),
    /// The side-effect audit's questions (also `audit-questions`).
    #[command(subcommand, name = "side-effect-questions", visible_alias = "audit-questions")]
    SideEffectQuestions(affected::SideEffectQuestionsCommand),
    /// A regime's notification clocks from trigger instants (no database needed).
    Clock(clock::ClockArgs),
    /// Regulatory notification: applicability questions, a decision per regime, triggers, due-time overrides, and
    /// each notification from draft to approval to submission (also `notify`).
    #[command(subcommand, visible_alias = "notify")]
    Notification(notification::NotificationCommand),
    /// An incident's regulatory deadlines: every applicable regime's stages, due times, states and overrides; or
    /// all open deadlines (--all), or an iCalendar file of them (--ics FILE).
    Deadlines(deadlines::DeadlinesArgs),
    /// The breach register of every incident involving personal data.
    #[command(subcommand)]
    Register(register::RegisterCommand),
    /// PDF documents: `report ID --kind full|summary|notification|postmortem --out FILE.pdf`,
    /// `report register --from DATE --to DATE --out FILE.pdf`, and `report check FILE.pdf`.
    Report(report::ReportArgs),
}

#[derive(Subcommand)]
enum IncidentCommand {
    /// Open a new incident and print its ID.
    New(NewArgs),
    /// List incidents, newest first.
    List {
        /// Only incidents with this status (investigating, contained, recovering, monitoring, closed).
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one incident.
    Show { id: String },
    /// Change fields: FIELD=VALUE (field names as in the JSON; lists comma-separated; empty value clears).
    Set {
        id: String,
        #[arg(value_name = "FIELD=VALUE", required = true)]
        assignments: Vec<String>,
        /// Accept an awareness time earlier than the detection time (it starts the legal clocks earlier).
        #[arg(long)]
        confirm_early_awareness: bool,
    },
    /// Who changed what, from what to what, when.
    History { id: String },
    /// Move the incident to another status. Refused, listing what is missing, when the record does not support it
    /// yet, unless an owner overrides with a written reason (logged as an override).
    Status {
        id: String,
        /// investigating, contained, recovering, monitoring or closed
        status: String,
        #[arg(long, value_name = "TEXT")]
        override_reason: Option<String>,
    },
}

#[derive(Args)]
struct NewArgs {
    #[arg(long)]
    title: String,
    #[arg(long)]
    workflow: Option<String>,
    /// alert, user_report, failed_run, policy_violation, downstream_anomaly, security_signal, cost_signal,
    /// qa_sample, vendor, customer
    #[arg(long, value_name = "KIND")]
    detected_by: Option<String>,
    /// RFC 3339, e.g. 2026-11-20T14:30:00Z
    #[arg(long, value_name = "RFC3339")]
    detected_at: Option<String>,
    /// When you became aware; starts the regulatory clocks. RFC 3339.
    #[arg(long, value_name = "RFC3339")]
    aware_at: Option<String>,
    #[arg(long, value_name = "NAME")]
    business_owner: Option<String>,
    #[arg(long, value_name = "NAME")]
    technical_owner: Option<String>,
    #[arg(long, value_name = "NAME")]
    commander: Option<String>,
    #[arg(long)]
    summary: Option<String>,
    /// Any other field, as FIELD=VALUE (repeatable).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    extra: Vec<String>,
    /// Accept an awareness time earlier than the detection time.
    #[arg(long)]
    confirm_early_awareness: bool,
}

#[derive(Subcommand)]
enum PeopleCommand {
    /// List the directory.
    List,
    /// Add a person.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        role: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit chain, that every current value is the last audited one, and every seal kept in the
    /// database; with --seal or --anchor, also that the trail still extends a head sealed elsewhere (a rewrite of
    /// the history before it fails, naming the first sealed entry that no longer matches). Exit 1 if not intact.
    Verify {
        /// A seal file written by `audit seal --out`.
        #[arg(long, value_name = "FILE")]
        seal: Vec<PathBuf>,
        /// SEQ:HASH as a document prints it (its integrity section's anchor).
        #[arg(long, value_name = "SEQ:HASH")]
        anchor: Vec<String>,
    },
    /// Sign the trail's head now with this installation's key and keep the seal in the database; --out also writes
    /// it to FILE, to keep somewhere the database is not.
    Seal {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            let hint = match e.code() {
                ErrorCode::ConfirmationRequired => " (add --confirm-early-awareness)",
                _ => "",
            };
            // Messages quote what was typed: one line each, control characters shown, never sent to the terminal.
            eprintln!("firebreak: {}{hint}", one_line(&e.to_string()));
            if let Error::GateBlocked { missing, .. } = &e {
                for item in missing {
                    eprintln!("  - {}", one_line(item));
                }
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode, Error> {
    let path = cli.db.clone().unwrap_or_else(firebreak_core::store::default_db_path);
    let out = output::Output { json: cli.json };
    // Only commands that work on incidents open (and migrate) the database, and only `init` creates one: a
    // mistyped --db is an error naming the path, not a new empty register.
    let store = match &cli.command {
        Command::Clock(args) => return clock::run(args, path.parent(), &out).map(|()| ExitCode::SUCCESS),
        Command::Init => Store::create(&path)?,
        _ => Store::open(&path)?,
    };
    if store.is_read_only() {
        eprintln!(
            "firebreak: {} is a read-only copy: it can be read and verified; changes are refused.",
            firebreak_core::text::one_line(&store.path().display().to_string())
        );
    }
    match &cli.command {
        Command::Init => out.path(store.path()),
        Command::Incident(cmd) => incident_command(cli, &store, &out, cmd)?,
        Command::People(PeopleCommand::List) => out.people(&people::list(&store)?),
        Command::People(PeopleCommand::Add { name, role, email, phone }) => {
            let details =
                PersonDetails { name: name.clone(), role: role.clone(), email: email.clone(), phone: phone.clone() };
            out.person(&people::add(&store, &actor(cli, &store)?, details)?)
        }
        Command::Severity(cmd) => severity::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Pause(cmd) => pause::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Playbook(cmd) => playbook::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Containment(cmd) => containment::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Communication(cmd) => communication::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Postmortem(cmd) => postmortem::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Remediation(cmd) => postmortem::run_remediation(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Reenable(cmd) => reenable::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Gates { id } => out.guidance(&incident::get(&store, id)?, &guidance::guidance(&store, id)?),
        Command::Audit(AuditCommand::Verify { seal, anchor }) => {
            let mut outside = Vec::new();
            for file in seal {
                outside.push(verify::Outside::Seal(firebreak_core::seal::read_file(file)?));
            }
            for text in anchor {
                let (seq, hash) = firebreak_core::seal::parse_anchor(text)?;
                outside.push(verify::Outside::Anchor { seq, hash });
            }
            // A long trail takes seconds: a person at a terminal sees how far it has come (on stderr, which a
            // script's captured output does not mix with).
            let terminal = std::io::stderr().is_terminal();
            let mut shown = false;
            let mut progress = |p: verify::VerifyProgress| {
                if terminal && p.total > 0 && p.done < p.total {
                    eprint!("\rVerifying the audit trail… {}%", p.done * 100 / p.total);
                    shown = true;
                }
            };
            let report = verify::verify_against(&store, &outside, &mut progress)?;
            if shown {
                eprint!("\r\x1b[2K");
            }
            out.verify(&report);
            if !report.intact {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Audit(AuditCommand::Seal { out: file }) => {
            let target = file.as_deref().map(|f| store.out_file(f)).transpose()?;
            let seal = firebreak_core::seal::seal_now(&store, "manual")?;
            if let Some(target) = target {
                target.finish(&format!("{}\n", serde_json::to_string_pretty(&seal)?))?;
            }
            out.seal(&seal, &firebreak_core::seal::key_home());
        }
        Command::Evidence(cmd) => return evidence::run(&store, &out, &|| actor(cli, &store), cmd),
        Command::Trace(cmd) => trace::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Search(args) => search::run(&store, &out, args)?,
        Command::Affected(cmd) => affected::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::SideEffectQuestions(cmd) => affected::run_questions(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Notification(cmd) => notification::run(&store, &out, &|| actor(cli, &store), cmd)?,
        Command::Deadlines(args) => deadlines::run(&store, &out, args)?,
        Command::Register(cmd) => register::run(&store, &out, cmd)?,
        Command::Report(args) => return report::run(&store, &out, &|| actor(cli, &store), args),
        Command::Clock(_) => {} // answered above, without the database
    }
    Ok(ExitCode::SUCCESS)
}

fn incident_command(cli: &Cli, store: &Store, out: &output::Output, cmd: &IncidentCommand) -> Result<(), Error> {
    match cmd {
        IncidentCommand::New(args) => {
            let fields = new_fields(args)?;
            let created = incident::create(store, &actor(cli, store)?, fields, args.confirm_early_awareness)?;
            out.created(&created);
        }
        IncidentCommand::List { status } => {
            let status = status.as_deref().map(parse_status).transpose()?;
            out.incidents(&incident::list(store, &ListFilter { status })?);
        }
        IncidentCommand::Show { id } => out.incident(&incident::get(store, id)?),
        IncidentCommand::Set { id, assignments, confirm_early_awareness } => {
            let changes = assignments
                .iter()
                .map(|a| {
                    let (field, value) = split_assignment(a)?;
                    Ok(FieldChange::new(field, incident::spec(field)?.parse_text(value)?))
                })
                .collect::<Result<Vec<_>, Error>>()?;
            let before = incident::get(store, id)?;
            let after = guidance::update_incident(store, &actor(cli, store)?, id, &changes, *confirm_early_awareness)?;
            out.updated(&before, &after);
        }
        IncidentCommand::History { id } => {
            let incident = incident::get(store, id)?;
            out.history(&incident, &incident::history(store, id)?);
        }
        IncidentCommand::Status { id, status, override_reason } => {
            let to = parse_status(status)?;
            let after = guidance::set_status(store, &actor(cli, store)?, id, to, override_reason.as_deref())?;
            out.status_changed(&after, override_reason.is_some());
        }
    }
    Ok(())
}

fn parse_status(text: &str) -> Result<Status, Error> {
    Status::parse(text.trim()).ok_or_else(|| {
        let known: Vec<&str> = Status::ALL.iter().map(|s| s.key()).collect();
        Error::invalid("status", format!("\"{text}\" is not a status. Statuses: {}.", known.join(", ")))
    })
}

fn split_assignment(text: &str) -> Result<(&str, &str), Error> {
    text.split_once('=').map(|(f, v)| (f.trim(), v)).ok_or_else(|| {
        Error::invalid_input(format!(
            "\"{text}\" is not FIELD=VALUE, e.g. status=contained or title=\"Refund bot emails\"."
        ))
    })
}

fn new_fields(args: &NewArgs) -> Result<IncidentFields, Error> {
    let mut texts: Vec<(&str, &str)> = vec![("title", args.title.as_str())];
    for (field, value) in [
        ("workflow", &args.workflow),
        ("detected_by", &args.detected_by),
        ("detected_at", &args.detected_at),
        ("aware_at", &args.aware_at),
        ("business_owner", &args.business_owner),
        ("technical_owner", &args.technical_owner),
        ("commander", &args.commander),
        ("summary", &args.summary),
    ] {
        if let Some(value) = value {
            texts.push((field, value.as_str()));
        }
    }
    for extra in &args.extra {
        texts.push(split_assignment(extra)?);
    }
    let mut map = Map::new();
    for (field, text) in texts {
        map.insert(field.to_string(), incident::spec(field)?.parse_text(text)?);
    }
    Ok(serde_json::from_value(Value::Object(map))?)
}

/// `--actor`/`FIREBREAK_ACTOR`, else the desktop profile on this database, else the login name.
fn actor(cli: &Cli, store: &Store) -> Result<Actor, Error> {
    if let Some(name) = cli.actor.as_deref().filter(|n| !n.trim().is_empty()) {
        return Ok(Actor::new(name, None));
    }
    if let Some(p) = profile::get(store)? {
        return Ok(p.actor());
    }
    let login = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_default();
    if login.trim().is_empty() {
        return Err(Error::invalid_input("Say who is making this change with --actor NAME or FIREBREAK_ACTOR."));
    }
    Ok(Actor::new(login, Some("command line".into())))
}

/// Rust ignores SIGPIPE, which turns `firebreak incident list | head` into a panic when `head` exits early. A
/// command-line tool should simply stop, as `ls` or `cat` do.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; it only resets the signal's disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
