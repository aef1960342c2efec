//! Agent trace files read into runs and steps, as pure parsers: bytes in, records out to a [`Sink`]. Storing them is
//! the caller's business, so the same code serves the importer, the CLI and tests.
//!
//! Files can be gigabytes, so JSON Lines are read one bounded line at a time and each run and step is handed to the
//! sink as soon as it is known; only the runs (not the steps) stay in memory, to merge a trace spread over lines.
//! Text must be UTF-8: a line that is not is refused (or skipped) with its line number rather than silently
//! altered, because the text is evidence.

mod anthropic;
mod attributes;
mod chat;
mod detect;
mod lines;
mod mcp;
mod openai;
mod otlp;
mod record;
mod runs;
mod semconv;

pub use detect::detect;
pub use record::{Format, Origin, Run, Step, StepKind};

use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::io::BufRead;
use ts_rs::TS;

/// The longest JSON line read; a longer one is refused rather than buffered without bound.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;
/// The largest single (non-JSON-Lines) OTLP document, which has to be read whole.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;
/// How many skipped lines are listed one by one; the rest are only counted, so a wrong file cannot fill memory.
pub const MAX_SKIPPED_LISTED: usize = 1000;

#[derive(Debug, Clone)]
pub struct Options {
    /// Record a malformed line in [`Summary::skipped`] and go on, instead of refusing the whole file.
    pub skip_invalid: bool,
    pub max_line_bytes: usize,
    pub max_document_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { skip_invalid: false, max_line_bytes: MAX_LINE_BYTES, max_document_bytes: MAX_DOCUMENT_BYTES }
    }
}

/// A line (or OTLP span) left out because it could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "Skipped.ts")]
pub struct Skipped {
    #[ts(type = "number")]
    pub line: u64,
    pub reason: String,
}

/// What a parse did, for the import report.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Summary {
    pub runs: usize,
    pub steps: usize,
    /// Lines read, including blank and ignored ones.
    pub lines: u64,
    /// Lines of a kind the format defines but that carry no step (e.g. Claude Code `summary` lines).
    pub ignored_lines: u64,
    /// The first [`MAX_SKIPPED_LISTED`] skipped lines.
    pub skipped: Vec<Skipped>,
    /// All skipped lines, listed or not.
    pub skipped_total: u64,
}

impl Summary {
    fn skip(&mut self, line: u64, reason: String) {
        self.skipped_total += 1;
        if self.skipped.len() < MAX_SKIPPED_LISTED {
            self.skipped.push(Skipped { line, reason });
        }
    }
}

/// Receives the records as they are read. An error from the sink stops the parse (it is never skipped).
pub trait Sink {
    /// A run seen for the first time; returns the index its steps will carry in [`Step::run`].
    fn run(&mut self, run: Run) -> Result<usize>;
    /// Called once at the end for each run that later lines told more about (wider times, a model, an agent).
    fn run_updated(&mut self, index: usize, run: &Run) -> Result<()> {
        let _ = (index, run);
        Ok(())
    }
    fn step(&mut self, step: Step) -> Result<()>;
}

/// A sink that keeps everything, for small files and tests.
#[derive(Debug, Default, Clone)]
pub struct Collected {
    pub runs: Vec<Run>,
    pub steps: Vec<Step>,
}

impl Sink for Collected {
    fn run(&mut self, run: Run) -> Result<usize> {
        self.runs.push(run);
        Ok(self.runs.len() - 1)
    }

    fn run_updated(&mut self, index: usize, run: &Run) -> Result<()> {
        if let Some(slot) = self.runs.get_mut(index) {
            *slot = run.clone();
        }
        Ok(())
    }

    fn step(&mut self, step: Step) -> Result<()> {
        self.steps.push(step);
        Ok(())
    }
}

/// Reads `input` as `format`. A wrong format gives an error naming the first line that does not fit, not an
/// empty import.
pub fn parse<R: BufRead>(format: Format, input: R, options: &Options, sink: &mut dyn Sink) -> Result<Summary> {
    match format {
        Format::OtlpJson => otlp::parse(input, options, sink),
        Format::OpenAiChat => openai::parse(input, options, sink),
        Format::AnthropicMessages => anthropic::parse(input, options, sink),
        Format::McpJsonRpc => mcp::parse(input, options, sink),
    }
}

/// Reads a whole in-memory trace into a [`Collected`], for callers that already hold the bytes.
pub fn parse_bytes(format: Format, bytes: &[u8], options: &Options) -> Result<(Collected, Summary)> {
    let mut sink = Collected::default();
    let summary = parse(format, bytes, options, &mut sink)?;
    Ok((sink, summary))
}
