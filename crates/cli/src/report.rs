//! `firebreak report`: the PDF documents (full report, one-page summary, regulator notification, postmortem pack,
//! breach register extract), written whole or not at all and recorded in the audit trail; and `report check`, which
//! says whether a file was generated from this database.

use crate::output::Output;
use clap::{Args, Subcommand};
use firebreak_core::report::{self, DocumentCheck, DocumentKind, GeneratedReport, ReportRequest};
use firebreak_core::vocabulary::Classification;
use firebreak_core::{text, Actor, Error, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ReportArgs {
    #[command(subcommand)]
    command: Option<ReportCommand>,
    /// The incident, e.g. AI-INC-2026-1120-001.
    #[arg(required = true)]
    id: Option<String>,
    /// full, summary, notification or postmortem.
    #[arg(long, value_name = "KIND", required = true)]
    kind: Option<String>,
    /// The regime of a regulator notification, e.g. gdpr-art33 (`firebreak deadlines ID` lists them).
    #[arg(long, value_name = "REGIME")]
    regime: Option<String>,
    /// The stage of a regulator notification, e.g. notification or early-warning.
    #[arg(long, value_name = "STAGE")]
    stage: Option<String>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct Common {
    /// internal, confidential, restricted or privileged (Privileged & Confidential — prepared at the direction of
    /// counsel). Default: the settings' default.
    #[arg(long, value_name = "LABEL")]
    classification: Option<String>,
    /// The copy for a recipient outside the organisation: people named by their roles, emails and phone numbers
    /// removed, affected object IDs replaced by stable pseudonyms.
    #[arg(long)]
    external: bool,
    /// The PDF file to write (replaced whole; nothing is left behind on failure).
    #[arg(long, value_name = "FILE.pdf", required = true)]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// The breach register extract: every personal-data incident whose awareness (else detection) day is in the
    /// period, with facts, effects, remedial action and each regime's decision and reasoning.
    Register {
        /// First day, YYYY-MM-DD (your zone).
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Last day, YYYY-MM-DD (your zone).
        #[arg(long, value_name = "DATE")]
        to: String,
        #[command(flatten)]
        common: Common,
    },
    /// Whether FILE was generated from this database: when, by whom, from which audit entry, and how many audit
    /// entries were recorded since. Exit 0 when known, 1 when not, 2 when FILE cannot be read.
    Check { file: PathBuf },
}

pub fn run(
    store: &Store,
    out: &Output,
    actor: &dyn Fn() -> Result<Actor, Error>,
    args: &ReportArgs,
) -> Result<ExitCode, Error> {
    let (request, common) = match &args.command {
        Some(ReportCommand::Check { file }) => {
            // 1 says "not ours"; a file that cannot be read at all is another answer, so scripts can tell them apart.
            let check = match report::check(store, file) {
                Ok(check) => check,
                Err(e) => {
                    eprintln!("firebreak: {}", text::one_line(&e.to_string()));
                    return Ok(ExitCode::from(2));
                }
            };
            print_check(out, &check);
            return Ok(if check.known { ExitCode::SUCCESS } else { ExitCode::FAILURE });
        }
        Some(ReportCommand::Register { from, to, common }) => {
            let mut request = ReportRequest::new(DocumentKind::Register, None);
            request.from = Some(date("from", from)?);
            request.to = Some(date("to", to)?);
            (request, common)
        }
        None => {
            let kind = kind(args.kind.as_deref().unwrap_or_default())?;
            let mut request = ReportRequest::new(kind, args.id.as_deref());
            request.regime = args.regime.clone();
            request.stage = args.stage.clone();
            (request, &args.common)
        }
    };
    let mut request = request;
    request.classification = common.classification.as_deref().map(classification).transpose()?;
    request.external = common.external;
    let path =
        common.out.as_deref().ok_or_else(|| Error::invalid_input("Say where to write the PDF: --out FILE.pdf."))?;
    let generated = report::generate(store, &actor()?, &request, path, &mut |_| {})?;
    print_generated(out, &generated);
    Ok(ExitCode::SUCCESS)
}

fn kind(text: &str) -> Result<DocumentKind, Error> {
    DocumentKind::parse(text.trim()).filter(|k| *k != DocumentKind::Register).ok_or_else(|| {
        Error::invalid(
            "kind",
            format!(
                "\"{text}\" is not a document kind. Kinds: full, summary, notification, postmortem (the breach register \
                 is `firebreak report register --from DATE --to DATE`)."
            ),
        )
    })
}

fn classification(text: &str) -> Result<Classification, Error> {
    Classification::parse(text.trim()).ok_or_else(|| {
        let known: Vec<&str> = Classification::ALL.iter().map(|c| c.key()).collect();
        Error::invalid("classification", format!("\"{text}\" is not a classification. Labels: {}.", known.join(", ")))
    })
}

fn date(field: &str, text: &str) -> Result<chrono::NaiveDate, Error> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(field, format!("\"{text}\" is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31."))
    })
}

fn print_generated(out: &Output, g: &GeneratedReport) {
    if out.json {
        return out.print_json(g);
    }
    let about = g.incident.as_deref().map(|i| format!("{i}: ")).unwrap_or_default();
    let pages = if g.pages == 1 { "1 page".to_string() } else { format!("{} pages", g.pages) };
    println!("{about}{}, {pages}, written to {}", g.kind.label(), text::one_line(&g.path));
    println!("SHA-256 {}", g.sha256);
}

fn print_check(out: &Output, check: &DocumentCheck) {
    if out.json {
        return out.print_json(check);
    }
    println!("{}", text::one_line(&check.message));
}
