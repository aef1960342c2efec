//! `firebreak trace …`: importing agent traces into an incident and reading their runs and steps.

use crate::output::Output;
use clap::Subcommand;
use firebreak_core::audit;
use firebreak_core::investigation::findings::{self, FindingRules, Findings};
use firebreak_core::investigation::side_effects::{self, Acceptance, CallClass, SideEffectProposals};
use firebreak_core::investigation::{self, ImportOptions, StepFilter, StepPage, StoredRun, StoredStep, TraceImport};
use firebreak_core::phases::affected::AgentAction;
use firebreak_core::text::{one_line, visible};
use firebreak_core::trace::{Format, StepKind};
use firebreak_core::{Actor, Error, Store};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum TraceCommand {
    /// Attach a trace file as tool-call-trace evidence and read it into runs and steps (all or nothing).
    Import {
        id: String,
        file: PathBuf,
        /// otlp_json, openai_chat or anthropic_messages; detected from the content when not given.
        #[arg(long)]
        format: Option<String>,
        /// Import the readable lines and record which lines were skipped and why, instead of refusing the file.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Read an evidence file already attached to the incident as a trace.
    ImportEvidence {
        id: String,
        file_id: String,
        #[arg(long)]
        format: Option<String>,
        #[arg(long)]
        skip_invalid: bool,
    },
    /// The incident's imports and their runs.
    List { id: String },
    /// The incident's steps in time order, a page at a time (arguments and results cut to a preview).
    Steps {
        id: String,
        /// Only this import's steps (its ID, as `trace list` shows it).
        #[arg(long)]
        import: Option<String>,
        /// Only this run (its trace, session or conversation ID).
        #[arg(long)]
        run: Option<String>,
        #[arg(long)]
        agent: Option<String>,
        #[arg(long)]
        tool: Option<String>,
        /// user_input, model_call, tool_call, tool_result, handoff, guardrail, retrieval, error, message
        #[arg(long)]
        kind: Option<String>,
        /// Only steps that failed.
        #[arg(long)]
        failed: bool,
        /// Only steps at or after this time (RFC 3339, e.g. 2026-11-20T14:30:00Z).
        #[arg(long)]
        from: Option<String>,
        /// Only steps at or before this time.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 0)]
        offset: u64,
        #[arg(long, default_value_t = 200)]
        limit: u64,
    },
    /// One step with its whole arguments, result and error.
    Step { id: String, step: i64 },
    /// The step as its evidence file holds it: its line (at most 64 KiB), read from the preserved copy.
    Original { id: String, step: i64 },
    /// What the traces show that needs a look: failed tool calls, retry loops, spikes, destinations outside the
    /// allowlist, calls without an approval before them, admin tools.
    Findings { id: String },
    /// The steps behind one finding (by its key, as `trace findings` shows it).
    FindingSteps { id: String, finding: String },
    /// Set a finding aside with a written reason; it stays listed as dismissed.
    Dismiss {
        id: String,
        finding: String,
        #[arg(long)]
        reason: String,
    },
    /// Bring a dismissed finding back.
    Restore { id: String, finding: String },
    /// Write the minimal reproducible case: the chosen steps with what led up to them in their runs (the prompt and
    /// context the model saw, its calls and the tool responses, in order) as one JSON file; logged in custody.
    Repro {
        id: String,
        /// The steps' numbers, as `trace steps` shows them.
        #[arg(required = true)]
        steps: Vec<i64>,
        #[arg(long)]
        out: PathBuf,
    },
    /// The write calls proposed as affected objects (system, object type and ID, action, the step as evidence) and
    /// how each tool was classed; with --accept, enter them in the side-effect audit.
    SideEffects {
        id: String,
        /// `all` (every proposal not accepted yet, failed calls left out), or step numbers.
        #[arg(long, num_args = 1..)]
        accept: Vec<String>,
    },
    /// Class a tool as a read or a write for every incident (`auto` gives it back to the judgement by its name and
    /// arguments).
    ToolClass {
        tool: String,
        /// read, write or auto
        class: String,
        /// For a write: created, changed, sent, deleted, approved or triggered.
        #[arg(long)]
        action: Option<String>,
    },
    /// Show the rules the findings are judged by, or change them (a list option replaces that list; give it once
    /// with '' to empty it).
    Rules {
        id: String,
        /// A retry loop is at least this many calls of one tool with the same arguments …
        #[arg(long)]
        retry_calls: Option<u32>,
        /// … within this many minutes.
        #[arg(long)]
        retry_minutes: Option<u32>,
        /// A spike is a step at least this many times its run's median tokens or cost.
        #[arg(long)]
        spike_factor: Option<f64>,
        /// A domain the workflow may reach (its subdomains too); repeat for more.
        #[arg(long = "allow")]
        allowed_destinations: Vec<String>,
        /// A tool name (or word in it) that needs a human approval before each call; repeat for more.
        #[arg(long = "approval-tool")]
        approval_tools: Vec<String>,
        /// A tool or step name (or word in it) that is such an approval; repeat for more.
        #[arg(long = "approval-step")]
        approval_steps: Vec<String>,
        /// A tool name (or word in it) that acts with administrative power; repeat for more.
        #[arg(long = "admin-tool")]
        admin_tools: Vec<String>,
    },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &TraceCommand,
) -> Result<(), Error> {
    match cmd {
        TraceCommand::Import { id, file, format, skip_invalid } => {
            let options = options(format.as_deref(), *skip_invalid)?;
            let import = investigation::import_file(store, &actor()?, id, file, &options)?;
            print_import(out, &import);
        }
        TraceCommand::ImportEvidence { id, file_id, format, skip_invalid } => {
            let options = options(format.as_deref(), *skip_invalid)?;
            let import = investigation::import_evidence(store, &actor()?, id, file_id, &options)?;
            print_import(out, &import);
        }
        TraceCommand::List { id } => {
            print_list(out, id, &investigation::imports(store, id)?, &investigation::runs(store, id)?)
        }
        TraceCommand::Steps { id, import, run, agent, tool, kind, failed, from, to, offset, limit } => {
            let instant = |field: &str, text: &Option<String>| {
                text.as_deref().map(|t| firebreak_core::incident::fields::instant(field, t)).transpose()
            };
            let filter = StepFilter {
                import: import.clone(),
                run: run.clone(),
                agent: agent.clone(),
                tool: tool.clone(),
                kind: kind.as_deref().map(parse_kind).transpose()?,
                errors_only: *failed,
                from: instant("from", from)?,
                to: instant("to", to)?,
                offset: *offset,
                limit: Some(*limit),
            };
            print_steps(out, &investigation::steps(store, id, &filter)?, *offset);
        }
        TraceCommand::Step { id, step } => print_step(out, &investigation::step(store, id, *step)?),
        TraceCommand::Original { id, step } => {
            let original = investigation::original(store, id, *step)?;
            if out.json {
                out.print_json(&original);
            } else {
                println!("{}, line {} (byte {}):", one_line(&original.file_name), original.line, original.offset);
                println!("{}", visible(&original.text));
                if original.cut {
                    println!("… (cut at {} bytes)", investigation::ORIGINAL_BYTES);
                }
            }
        }
        TraceCommand::Findings { id } => print_findings(out, id, &findings::findings(store, id)?),
        TraceCommand::FindingSteps { id, finding } => {
            let steps = findings::finding_steps(store, id, finding)?;
            let page = StepPage { total_matching: steps.len() as u64, rows: steps };
            print_steps(out, &page, 0);
        }
        TraceCommand::Dismiss { id, finding, reason } => {
            let dismissal = findings::dismiss(store, &actor()?, id, finding, reason)?;
            if out.json {
                out.print_json(&dismissal);
            } else {
                println!("Dismissed {}.", one_line(&dismissal.finding));
            }
        }
        TraceCommand::Restore { id, finding } => {
            let restored = findings::restore(store, &actor()?, id, finding)?;
            if out.json {
                out.print_json(&restored);
            } else {
                println!("Restored {}.", one_line(&restored.finding));
            }
        }
        TraceCommand::Repro { id, steps, out: path } => {
            let written = investigation::repro::export_repro(store, &actor()?, id, steps, path)?;
            if out.json {
                out.print_json(&written);
            } else {
                println!(
                    "Wrote the repro bundle of {} chosen step(s), {} step(s) with their context from {} run(s), to {}",
                    written.chosen,
                    written.steps,
                    written.runs,
                    one_line(&written.path.display().to_string())
                );
            }
        }
        TraceCommand::SideEffects { id, accept } => {
            if accept.is_empty() {
                print_proposals(out, id, &side_effects::proposals(store, id)?);
            } else {
                let choice = acceptance(accept)?;
                let done = side_effects::accept(store, &actor()?, id, &choice)?;
                if out.json {
                    out.print_json(&done);
                } else {
                    println!(
                        "Accepted into the side-effect audit: {} new affected object(s), {} call(s) linked to objects \
                         already there, {} accepted before.",
                        done.created, done.linked, done.already
                    );
                    if done.failed_left > 0 {
                        println!(
                            "{} failed call(s) left out; accept one by its step if it did change something.",
                            done.failed_left
                        );
                    }
                }
            }
        }
        TraceCommand::ToolClass { tool, class, action } => {
            let class = match class.trim() {
                "auto" => None,
                other => Some(CallClass::parse(other).ok_or_else(|| {
                    Error::invalid(
                        "class",
                        format!("\"{}\" is not a class: give read, write or auto.", one_line(other)),
                    )
                })?),
            };
            let action = action.as_deref().map(parse_action).transpose()?;
            let set = side_effects::set_tool_class(store, &actor()?, tool, class, action)?;
            if out.json {
                out.print_json(&set);
            } else {
                match set.class {
                    Some(c) => println!(
                        "{} is classed as a {} in every incident.",
                        one_line(&set.tool),
                        c.label().to_lowercase()
                    ),
                    None => println!("{} is judged by its name and arguments again.", one_line(&set.tool)),
                }
            }
        }
        TraceCommand::Rules {
            id,
            retry_calls,
            retry_minutes,
            spike_factor,
            allowed_destinations,
            approval_tools,
            approval_steps,
            admin_tools,
        } => {
            let (mut rules, set) = findings::rules(store, id)?;
            let lists = [allowed_destinations, approval_tools, approval_steps, admin_tools];
            let changed = retry_calls.is_some()
                || retry_minutes.is_some()
                || spike_factor.is_some()
                || lists.iter().any(|l| !l.is_empty());
            let set = if changed {
                rules.retry_calls = retry_calls.unwrap_or(rules.retry_calls);
                rules.retry_minutes = retry_minutes.unwrap_or(rules.retry_minutes);
                rules.spike_factor = spike_factor.unwrap_or(rules.spike_factor);
                for (given, list) in [
                    (allowed_destinations, &mut rules.allowed_destinations),
                    (approval_tools, &mut rules.approval_tools),
                    (approval_steps, &mut rules.approval_steps),
                    (admin_tools, &mut rules.admin_tools),
                ] {
                    if !given.is_empty() {
                        *list = given.clone();
                    }
                }
                rules = findings::set_rules(store, &actor()?, id, &rules)?;
                true
            } else {
                set
            };
            print_rules(out, &rules, set);
        }
    }
    Ok(())
}

fn print_findings(out: &Output, id: &str, found: &Findings) {
    if out.json {
        out.print_json(found);
        return;
    }
    let rules = if found.rules_set { "the incident's rules" } else { "the default rules" };
    if found.findings.is_empty() {
        println!("No findings in {} step(s), judged by {rules}.", found.steps);
        return;
    }
    println!("{} finding(s) in {} step(s), judged by {rules}:", found.findings.len() as u64 + found.more, found.steps);
    for f in &found.findings {
        println!();
        let state = if f.dismissal.is_some() { "  (dismissed)" } else { "" };
        println!("{}  {}{state}", f.kind.label(), one_line(&f.title));
        println!("  key: {}", one_line(&f.key));
        println!("  {}", one_line(&f.detail));
        let mut steps: Vec<String> = f.steps.iter().map(|s| s.to_string()).collect();
        if f.step_count > f.steps.len() as u64 {
            steps.push(format!("… {} in all", f.step_count));
        }
        if !steps.is_empty() {
            println!("  steps: {}", steps.join(", "));
        }
        if let (Some(first), Some(last)) = (f.first_at, f.last_at) {
            println!("  from {} to {}", audit::format_instant(first), audit::format_instant(last));
        }
        if !f.suggests.is_empty() {
            let types: Vec<&str> = f.suggests.iter().map(|t| t.label()).collect();
            println!("  suggests: {}", types.join(", "));
        }
        if let Some(d) = &f.dismissal {
            println!(
                "  dismissed by {} at {}: {}",
                one_line(&d.dismissed_by),
                audit::format_instant(d.dismissed_at),
                one_line(&d.reason)
            );
        }
    }
    if found.more > 0 {
        println!("\n… and {} more not listed.", found.more);
    }
    println!("\nThe steps behind one: `firebreak trace finding-steps {} KEY`.", one_line(id.trim()));
}

fn print_rules(out: &Output, rules: &FindingRules, set: bool) {
    if out.json {
        out.print_json(&serde_json::json!({ "rules": rules, "set": set }));
        return;
    }
    let list = |l: &[String]| if l.is_empty() { "(none)".to_string() } else { one_line(&l.join(", ")).into_owned() };
    println!("{}", if set { "The incident's rules:" } else { "The default rules (not set for this incident):" });
    println!("Retry loop        {} calls within {} minutes", rules.retry_calls, rules.retry_minutes);
    println!("Spike             {}× the run's median", rules.spike_factor);
    println!("Allowed           {}", list(&rules.allowed_destinations));
    println!("Approval needed   {}", list(&rules.approval_tools));
    println!("Approval steps    {}", list(&rules.approval_steps));
    println!("Admin tools       {}", list(&rules.admin_tools));
}

fn print_list(out: &Output, id: &str, imports: &[TraceImport], runs: &[StoredRun]) {
    if out.json {
        out.print_json(&serde_json::json!({ "imports": imports, "runs": runs }));
        return;
    }
    if imports.is_empty() {
        println!("No traces imported. Import one with `firebreak trace import {} FILE`.", one_line(id.trim()));
        return;
    }
    for i in imports {
        println!(
            "Import {}  {}  {} run(s), {} step(s), {} tool call(s), {} failed; by {} at {}",
            i.id,
            i.format.label(),
            i.runs,
            i.steps,
            i.tool_calls,
            i.failed_tool_calls,
            one_line(&i.imported_by),
            audit::format_instant(i.imported_at)
        );
    }
    println!();
    println!("{:<36}  {:<20} {:<20} {:>7} {:>7}  STARTED", "RUN", "AGENT", "MODEL", "STEPS", "ERRORS");
    for r in runs {
        let started = r.started_at.map(audit::format_instant).unwrap_or_else(|| "-".into());
        println!(
            "{:<36}  {:<20} {:<20} {:>7} {:>7}  {started}",
            column(&r.source_id, 36),
            column(r.agent.as_deref().unwrap_or("-"), 20),
            column(r.model.as_deref().unwrap_or("-"), 20),
            r.steps,
            r.errors
        );
    }
}

/// A page of steps, a line each, and where the page sits among the matching steps.
fn print_steps(out: &Output, page: &StepPage, offset: u64) {
    if out.json {
        out.print_json(page);
        return;
    }
    println!("{:>8}  {:<24} {:<12} {:<24} {:<5} WHAT", "STEP", "AT", "KIND", "TOOL", "ERROR");
    for s in &page.rows {
        println!(
            "{:>8}  {:<24} {:<12} {:<24} {:<5} {}",
            s.id,
            s.step.at.map(audit::format_instant).unwrap_or_else(|| "-".into()),
            s.step.kind.key(),
            column(s.step.tool.as_deref().unwrap_or("-"), 24),
            if s.step.is_error { "yes" } else { "" },
            summary(s)
        );
    }
    let shown = page.rows.len() as u64;
    if shown == 0 && page.total_matching > offset {
        println!("No steps shown of the {} that match: ask for more with --limit.", page.total_matching);
    } else if shown == 0 {
        println!("No steps match.");
    } else if page.total_matching > offset + shown || offset > 0 {
        println!(
            "Steps {}–{} of {}. More with --offset {}.",
            (offset + 1).min(page.total_matching),
            offset + shown,
            page.total_matching,
            offset + shown
        );
    }
}

/// One step: its facts a line each, then its whole arguments, result and error.
fn print_step(out: &Output, s: &StoredStep) {
    if out.json {
        out.print_json(s);
        return;
    }
    let line = |label: &str, value: Option<&str>| {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            println!("{label:<12} {}", one_line(v));
        }
    };
    line("Step", Some(&s.id.to_string()));
    line("Kind", Some(s.step.kind.label()));
    line("Run", Some(&s.run_id));
    line("At", s.step.at.map(audit::format_instant).as_deref());
    line("Agent", s.step.agent.as_deref());
    line("Model", s.step.model.as_deref());
    line("Tool", s.step.tool.as_deref());
    line("Call ID", s.step.call_id.as_deref());
    line("Failed", s.step.is_error.then_some("yes"));
    line("Origin", Some(&format!("line {}, byte {}", s.step.origin.line, s.step.origin.offset)));
    for (label, text) in [("Arguments", &s.step.arguments), ("Result", &s.step.result), ("Error", &s.step.error)] {
        if let Some(text) = text {
            // As stored, not re-indented: re-serialising would reorder keys and misquote the agent.
            println!("\n{label}:\n{}", visible(text));
        }
    }
}

fn options(format: Option<&str>, skip_invalid: bool) -> Result<ImportOptions, Error> {
    let format = format
        .map(|f| {
            Format::parse(f.trim()).ok_or_else(|| {
                let keys: Vec<&str> = Format::ALL.iter().map(|f| f.key()).collect();
                Error::invalid("format", format!("\"{f}\" is not a trace format. Formats: {}.", keys.join(", ")))
            })
        })
        .transpose()?;
    Ok(ImportOptions { format, skip_invalid })
}

fn acceptance(given: &[String]) -> Result<Acceptance, Error> {
    if given.len() == 1 && given[0].trim() == "all" {
        return Ok(Acceptance { all: true, steps: Vec::new() });
    }
    let steps = given
        .iter()
        .map(|s| {
            s.trim().parse::<i64>().map_err(|_| {
                Error::invalid(
                    "accept",
                    format!("\"{}\" is not a step number; give `all` or the steps' numbers.", one_line(s)),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Acceptance { all: false, steps })
}

fn parse_action(text: &str) -> Result<AgentAction, Error> {
    AgentAction::parse(text.trim()).ok_or_else(|| {
        let keys: Vec<&str> = AgentAction::ALL.iter().filter(|a| **a != AgentAction::Read).map(|a| a.key()).collect();
        Error::invalid("action", format!("\"{}\" is not an action. Actions: {}.", one_line(text), keys.join(", ")))
    })
}

fn print_proposals(out: &Output, id: &str, found: &SideEffectProposals) {
    if out.json {
        out.print_json(found);
        return;
    }
    let id = one_line(id.trim());
    if found.total == 0 {
        println!("No write calls among {} tool call(s).", found.calls);
    } else {
        println!("{} write call(s) among {} tool call(s) proposed as affected objects:", found.total, found.calls);
        for p in &found.proposals {
            let at = p.at.map(audit::format_instant).unwrap_or_else(|| "(no time)".into());
            let failed = if p.failed { "  FAILED" } else { "" };
            println!();
            println!(
                "step {}  {at}  {}  {} {} {} in {}{failed}",
                p.step,
                one_line(&p.tool),
                p.action.label(),
                one_line(&p.object_type),
                one_line(&p.object_id),
                one_line(&p.system)
            );
            println!("  a write because {}; the ID is {}", one_line(&p.basis), one_line(&p.id_from));
            let state = match (p.state, p.same_as, &p.object) {
                (side_effects::ProposalState::Repeat, Some(s), _) => format!("{} (step {s})", p.state.label()),
                (_, _, Some(o)) => format!("{} (object {o})", p.state.label()),
                _ => p.state.label().to_string(),
            };
            println!("  {state}");
            if let Some(e) = &p.error {
                println!("  error: {}", one_line(e));
            }
        }
        if found.total > found.proposals.len() as u64 {
            println!("\n… and {} more not listed.", found.total - found.proposals.len() as u64);
        }
    }
    println!("\nTools:");
    for t in &found.tools {
        let chosen = if t.chosen.as_ref().is_some_and(|c| c.class.is_some()) { "" } else { " (automatic)" };
        println!("  {}  {} of {} call(s) writes; {}{chosen}", one_line(&t.tool), t.writes, t.calls, one_line(&t.basis));
    }
    if found.total > 0 {
        println!(
            "\nAccept them with `firebreak trace side-effects {id} --accept all` or by step; class a tool with \
             `firebreak trace tool-class TOOL read|write|auto`."
        );
    }
}

fn parse_kind(text: &str) -> Result<StepKind, Error> {
    StepKind::parse(text.trim()).ok_or_else(|| {
        let keys: Vec<&str> = StepKind::ALL.iter().map(|k| k.key()).collect();
        Error::invalid("kind", format!("\"{text}\" is not a step kind. Kinds: {}.", keys.join(", ")))
    })
}

fn print_import(out: &Output, import: &investigation::TraceImport) {
    if out.json {
        out.print_json(&serde_json::json!({
            "import": import.id,
            "format": import.format,
            "runs": import.runs,
            "steps": import.steps,
            "tool_calls": import.tool_calls,
            "failed_tool_calls": import.failed_tool_calls,
            "skipped": import.skipped,
            "skipped_total": import.skipped_total,
            "file": import.file,
            "sha256": import.sha256,
        }));
        return;
    }
    println!(
        "Imported {} run(s) and {} step(s) ({} tool call(s), {} failed) as {}; import {}",
        import.runs,
        import.steps,
        import.tool_calls,
        import.failed_tool_calls,
        import.format.label(),
        import.id
    );
    if import.skipped_total > 0 {
        println!("Skipped {} line(s) that could not be read:", import.skipped_total);
        for s in &import.skipped {
            println!("  line {}: {}", s.line, one_line(&s.reason));
        }
        if import.skipped_total > import.skipped.len() as u64 {
            println!("  … and {} more", import.skipped_total - import.skipped.len() as u64);
        }
    }
}

/// The step in a few words for a listing: its error, else what went in or came out.
fn summary(s: &StoredStep) -> String {
    let text =
        s.step.error.as_deref().or(s.step.arguments.as_deref()).or(s.step.result.as_deref()).or(s.step.name.as_deref());
    column(text.unwrap_or(""), 80)
}

/// `text` on one line, cut to `width` characters with a `…`, so a long name keeps the columns of a listing in line
/// (`trace step` and `--json` give it whole).
fn column(text: &str, width: usize) -> String {
    let flat = one_line(text).into_owned();
    match flat.char_indices().nth(width.saturating_sub(1)) {
        Some((at, _)) if flat.chars().count() > width => format!("{}…", &flat[..at]),
        _ => flat,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_name_is_cut_to_its_column_and_a_short_one_is_kept() {
        assert_eq!(super::column("send_email", 24), "send_email");
        assert_eq!(super::column(&"x".repeat(24), 24), "x".repeat(24));
        assert_eq!(super::column(&"ü".repeat(30), 24), format!("{}…", "ü".repeat(23)));
        assert_eq!(super::column("a\nb", 24), "a\\x0Ab");
    }
}
