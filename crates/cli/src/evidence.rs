//! `firebreak evidence …`: the evidence kinds, attached files, export, re-verification and chain of custody.

use crate::output::{path_line, Output};
use clap::Subcommand;
use firebreak_core::audit;
use firebreak_core::phases::evidence::{self, EvidenceKind, EvidenceStatus, FileCheckStatus};
use firebreak_core::text::one_line;
use firebreak_core::{Actor, Error, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Set an evidence kind to required, preserved or not_applicable (which needs --reason).
    Status {
        id: String,
        /// run_record, prompt_version, model_version, input_snapshot, tool_call_trace, approval_state,
        /// output_payloads, connector_logs, guardrail_results, alerts_and_chats
        kind: String,
        /// required, preserved or not_applicable
        status: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Copy a file into the evidence store (hashed, read-only) under an evidence kind.
    Attach {
        id: String,
        kind: String,
        file: PathBuf,
        #[arg(long, default_value = "")]
        note: String,
        /// The largest file to accept, e.g. 500MiB or 20GiB (default 2GiB): a bigger file is refused with
        /// nothing copied.
        #[arg(long, value_name = "SIZE")]
        max_size: Option<String>,
    },
    /// The ten evidence kinds and the attached files.
    List { id: String },
    /// Copy a stored file out (never overwrites); the export is logged.
    Export { id: String, file_id: String, dest: PathBuf },
    /// Re-hash every stored file of the incident. Exit 1 if any changed or vanished.
    Reverify { id: String },
    /// The chain-of-custody log.
    Custody { id: String },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    cmd: &EvidenceCommand,
) -> Result<ExitCode, Error> {
    match cmd {
        EvidenceCommand::Status { id, kind, status, reason } => {
            let (kind, status) = (parse_kind(kind)?, parse_status(status)?);
            let item = evidence::set_status(store, &actor()?, id, kind, status, reason)?;
            if out.json {
                out.print_json(&item);
            } else {
                println!("{}: {} is {}.", one_line(id.trim()), kind.label(), status.label().to_lowercase());
            }
        }
        EvidenceCommand::Attach { id, kind, file, note, max_size } => {
            let kind = parse_kind(kind)?;
            let max = max_size.as_deref().map(parse_size).transpose()?.unwrap_or(evidence::DEFAULT_MAX_EVIDENCE_BYTES);
            let attached = evidence::attach_at_most(store, &actor()?, id, kind, file, note, max)?;
            if out.json {
                out.print_json(&attached);
            } else {
                println!(
                    "Attached {} ({} bytes, sha256 {}) as {}; file ID {}",
                    one_line(&attached.original_name),
                    attached.size,
                    attached.sha256,
                    kind.label().to_lowercase(),
                    attached.id
                );
            }
        }
        EvidenceCommand::List { id } => {
            let items = evidence::items(store, id)?;
            let files = evidence::files(store, id)?;
            if out.json {
                out.print_json(&serde_json::json!({ "items": items, "files": files }));
            } else {
                for item in &items {
                    let reason =
                        if item.reason.is_empty() { String::new() } else { format!("  ({})", one_line(&item.reason)) };
                    println!("{:<30} {:<15} {} file(s){reason}", item.kind.label(), item.status.label(), item.files);
                }
                if !files.is_empty() {
                    println!();
                    println!("{:<36}  {:<18} {:>10}  {:<16}  NAME", "FILE ID", "KIND", "BYTES", "SHA256");
                    for f in &files {
                        println!(
                            "{:<36}  {:<18} {:>10}  {:<16}  {}",
                            f.id,
                            f.kind.key(),
                            f.size,
                            &f.sha256[..16.min(f.sha256.len())],
                            one_line(&f.original_name)
                        );
                    }
                }
            }
        }
        EvidenceCommand::Export { id, file_id, dest } => {
            let written = evidence::export(store, &actor()?, id, file_id, dest)?;
            if out.json {
                out.print_json(&serde_json::json!({ "path": written.display().to_string() }));
            } else {
                println!("{}", path_line(&written));
            }
        }
        EvidenceCommand::Reverify { id } => {
            let checks = evidence::reverify(store, &actor()?, id)?;
            let failed: Vec<String> = checks
                .iter()
                .filter(|c| c.status != FileCheckStatus::Unchanged)
                .map(|c| {
                    format!("{} (file ID {}) {}", c.file.original_name, c.file.id, c.status.label().to_lowercase())
                })
                .collect();
            if out.json {
                out.print_json(&checks);
            } else if failed.is_empty() {
                println!("All {} evidence file(s) match their SHA-256.", checks.len());
            }
            if !failed.is_empty() {
                let failed = failed.join("; ");
                eprintln!("firebreak: re-verification failed: {}. The custody log records this.", one_line(&failed));
                return Ok(ExitCode::FAILURE);
            }
        }
        EvidenceCommand::Custody { id } => {
            let events = evidence::custody(store, id)?;
            if out.json {
                out.print_json(&events);
            } else {
                let names: std::collections::HashMap<String, String> =
                    evidence::files(store, id)?.into_iter().map(|f| (f.id, f.original_name)).collect();
                for e in &events {
                    let name = one_line(names.get(&e.file).map(String::as_str).unwrap_or("?"));
                    let detail = if e.detail.is_empty() { String::new() } else { format!("  {}", one_line(&e.detail)) };
                    let (at, by) = (audit::format_instant(e.at), one_line(&e.by));
                    println!("{at}  {by:<20} {:<22} {name}{detail}", e.action.label());
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_kind(text: &str) -> Result<EvidenceKind, Error> {
    EvidenceKind::parse(text.trim()).ok_or_else(|| {
        let known: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.key()).collect();
        Error::invalid("kind", format!("\"{text}\" is not an evidence kind. Kinds: {}.", known.join(", ")))
    })
}

fn parse_status(text: &str) -> Result<EvidenceStatus, Error> {
    EvidenceStatus::parse(text.trim()).ok_or_else(|| {
        Error::invalid(
            "status",
            format!("\"{text}\" is not an evidence status. Use required, preserved or not_applicable."),
        )
    })
}

/// A size such as `2GiB`, `500MiB`, `64KiB` or a number of bytes.
fn parse_size(text: &str) -> Result<u64, Error> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => 0,
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::invalid("max_size", format!("\"{text}\" is not a size; write it like 500MiB or 20GiB.")))
}
