//! `firebreak search QUERY [--incident ID]`: the full-text search over trace steps and the record.

use crate::output::Output;
use firebreak_core::search::{self, SearchHit, SearchRequest, SearchResults, SnippetPart};
use firebreak_core::text::one_line;
use firebreak_core::{Error, Store};
use std::io::IsTerminal;

#[derive(clap::Args)]
pub struct SearchArgs {
    /// Words, "phrases", prefix*, AND / OR / NOT, ( ), and the filters tool:NAME, agent:NAME, kind:KIND,
    /// error:yes|no, in:steps|record|postmortem|… and incident:ID.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Only this incident; every incident when not given.
    #[arg(long)]
    pub incident: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u64,
}

pub fn run(store: &Store, out: &Output, args: &SearchArgs) -> Result<(), Error> {
    let request =
        SearchRequest { query: args.query.join(" "), incident: args.incident.clone(), limit: Some(args.limit) };
    let results = search::search(store, &request)?;
    if out.json {
        out.print_json(&results);
    } else {
        print_hits(&results, std::io::stdout().is_terminal());
    }
    Ok(())
}

fn print_hits(results: &SearchResults, terminal: bool) {
    if results.hits.is_empty() {
        println!("Nothing found.");
        return;
    }
    for hit in &results.hits {
        println!("{}  {}{}", one_line(&hit.incident), one_line(&hit.label), where_(hit));
        println!("    {}", snippet(&hit.snippet, terminal));
    }
    if results.more {
        println!("More hits than these {}: narrow the search or raise --limit.", results.hits.len());
    }
    if results.steps_in_file_order {
        println!(
            "Too many steps match to rank them by relevance: they are listed in the order of the trace. Add words or \
             a filter (tool:, error:yes) to rank them."
        );
    }
}

/// Where to look next: the step's number (for `trace step`) and whether it failed.
fn where_(hit: &SearchHit) -> String {
    match hit.step {
        Some(step) => format!("  (step {step}{})", if hit.is_error { ", failed" } else { "" }),
        None => String::new(),
    }
}

/// The snippet on one line, the words found in bold at a terminal and between « » elsewhere. Each part is escaped
/// first, so a marker or an escape sequence in the text stays text.
fn snippet(parts: &[SnippetPart], terminal: bool) -> String {
    let (open, close) = if terminal { ("\x1b[1m", "\x1b[0m") } else { ("«", "»") };
    parts
        .iter()
        .map(|p| if p.hit { format!("{open}{}{close}", one_line(&p.text)) } else { one_line(&p.text).into_owned() })
        .collect()
}
