//! `firebreak register export`: the breach register (GDPR Art. 33(5)) — every incident involving personal data,
//! notified or not, with its facts, effects, remedial action, and each regime's decision and reasoning.

use crate::output::{path_line, Output};
use clap::Subcommand;
use firebreak_core::phases::notification;
use firebreak_core::text::visible;
use firebreak_core::{Error, Store};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum RegisterCommand {
    /// Export the breach register: every incident whose applicability answer or data classes say personal data
    /// is (or may be) involved, newest first. Writes CSV to --csv FILE; without it, prints the CSV (JSON with
    /// --json). Cells a spreadsheet would read as a formula are prefixed with a single quote.
    Export {
        /// Write the CSV (RFC 4180, one row per incident) to FILE, replacing it whole.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
}

pub fn run(store: &Store, out: &Output, cmd: &RegisterCommand) -> Result<(), Error> {
    match cmd {
        RegisterCommand::Export { csv } => {
            let file = csv.as_deref().map(|p| store.out_file(p)).transpose()?;
            let entries = notification::breach_register(store)?;
            let Some(file) = file else {
                if out.json {
                    out.print_json(&entries);
                } else {
                    // Rows end in CRLF (RFC 4180) and a cell may hold line feeds: both stay; every other control
                    // character is shown escaped. The exact text is in --csv FILE and --json.
                    let csv = notification::breach_register_csv(&entries);
                    print!("{}", csv.split("\r\n").map(visible).collect::<Vec<_>>().join("\r\n"));
                }
                return Ok(());
            };
            let path = file.finish(&notification::breach_register_csv(&entries))?;
            firebreak_core::seal::seal_export(store)?;
            if out.json {
                out.print_json(&serde_json::json!({ "path": path.display().to_string(), "incidents": entries.len() }));
            } else {
                let n = entries.len();
                println!("{} ({n} incident{})", path_line(&path), if n == 1 { "" } else { "s" });
            }
        }
    }
    Ok(())
}
