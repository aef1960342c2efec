//! Importing a trace file: the evidence copy is read through the parser into `trace_runs` and `trace_steps` inside
//! one write, hashed again as it is read (a copy that changed since it was attached is refused), and recorded as one
//! [`TraceImport`] whose audit entry carries the counts and the digest of the rows.

use super::rows::{self, Digest, RUN_COLUMNS, STEP_COLUMNS};
use super::{TraceImport, IMPORTS};
use crate::audit::{self, Actor};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::phases::evidence::{self, CustodyAction, EvidenceFile, EvidenceKind};
use crate::record;
use crate::store::{Store, Tx};
use crate::trace::{self, Format, Run, Sink, Step, StepKind};
use rusqlite::types::ValueRef;
use sha2::{Digest as _, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::sync::LazyLock;

/// How a trace is read. The default detects the format and refuses a file with any unreadable line.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The format, when the user knows better than the detection.
    pub format: Option<Format>,
    /// Import the readable lines and record which were skipped and why, instead of refusing the file.
    pub skip_invalid: bool,
}

/// How far into a file detection looks.
const DETECT_BYTES: u64 = 64 * 1024;
/// Read buffer for the parse: large reads keep a gigabyte import from being a million small ones.
const READ_BUFFER: usize = 1024 * 1024;
/// Bumped when a parser reads the same file into different rows, so an import says which reading it holds.
const PARSER_VERSION: u32 = 1;

/// Attaches `path` as tool-call-trace evidence (or finds the incident's existing copy of the same content) and
/// imports it, all in one write: a file that cannot be imported leaves no evidence record and no rows.
pub fn import_file(
    store: &Store,
    actor: &Actor,
    key: &str,
    path: &std::path::Path,
    options: &ImportOptions,
) -> Result<TraceImport> {
    actor.validate()?;
    // The copy is read where it was staged and takes its place in the evidence folder only inside the write that
    // records it, so a file that cannot be imported leaves no copy behind either.
    let staged = evidence::stage_at_most(store, key, path, evidence::DEFAULT_MAX_EVIDENCE_BYTES)?;
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let copied = staged.copied().clone();
        let existing = evidence::files_of(tx, &incident)?.into_iter().find(|f| f.sha256 == copied.sha256);
        let file = match existing {
            Some(file) => file,
            None => evidence::record_copy(tx, &incident, EvidenceKind::ToolCallTrace, &copied, "")?,
        };
        let import = read_into(tx, staged.path(), &incident, &file, options)?;
        staged.place()?;
        Ok(import)
    })
}

/// Imports a file already attached to the incident as evidence.
pub fn import_evidence(
    store: &Store,
    actor: &Actor,
    key: &str,
    file_id: &str,
    options: &ImportOptions,
) -> Result<TraceImport> {
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let file = evidence::file_of(tx, &incident, file_id)?;
        read_into(tx, &evidence::stored_path(store, &file.sha256), &incident, &file, options)
    })
}

/// Reads the copy at `copy` (the staged or the stored one) as `file` of the incident.
fn read_into(
    tx: &mut Tx<'_>,
    copy: &std::path::Path,
    incident: &Incident,
    file: &EvidenceFile,
    options: &ImportOptions,
) -> Result<TraceImport> {
    let name = crate::text::one_line(&file.original_name);
    refuse_twice(tx, incident, file, &name)?;
    let mut input = open_trace(copy, incident, &name)?;
    let format = match options.format {
        Some(format) => format,
        None => detect(&mut input, &name)?,
    };
    let import_id = record::new_id();
    let mut writer = Writer::new(tx, &incident.uuid, &import_id);
    let parse_options = trace::Options { skip_invalid: options.skip_invalid, ..trace::Options::default() };
    let mut reader = BufReader::with_capacity(READ_BUFFER, Hashing::new(input));
    let summary = trace::parse(format, &mut reader, &parse_options, &mut writer).map_err(|e| match e {
        Error::InvalidInput { field, message } => Error::InvalidInput {
            field,
            message: format!(
                "{name} cannot be read as {}: {message}{} Nothing was imported. Fix the file, choose its format, or \
                 skip the unreadable lines (they are then listed with the import; --skip-invalid on the command \
                 line).",
                format.label(),
                if message.ends_with(['.', '?', '!']) { "" } else { "." }
            ),
        },
        other => other,
    })?;
    let counts = writer.finish()?;
    // The parser may stop before the end (an OTLP document's trailing space): the rest is hashed too.
    io::copy(&mut reader, &mut io::sink())?;
    let (sha256, _) = reader.into_inner().finish();
    if sha256 != file.sha256 {
        return Err(Error::storage(format!(
            "The stored copy of {name} no longer matches the SHA-256 it was attached with (found {sha256}). It was \
             changed outside Firebreak; nothing was imported. `firebreak evidence reverify {}` records this.",
            incident.id
        )));
    }
    if summary.steps == 0 {
        return Err(nothing_read(&name, format, &summary));
    }
    let import = TraceImport {
        id: import_id,
        incident: incident.uuid.clone(),
        file: file.id.clone(),
        sha256: file.sha256.clone(),
        format,
        parser: format!("{}/{PARSER_VERSION}", format.key()),
        imported_by: tx.actor().name.clone(),
        imported_at: tx.at(),
        runs: summary.runs as u64,
        steps: summary.steps as u64,
        tool_calls: counts.tool_calls,
        failed_tool_calls: counts.failed_tool_calls,
        lines: summary.lines,
        skipped_total: summary.skipped_total,
        skipped: summary.skipped,
        digest: counts.digest,
    };
    IMPORTS.insert(tx, &import)?;
    let skipped = match import.skipped_total {
        0 => String::new(),
        n => format!(", {n} line(s) skipped"),
    };
    let detail = format!(
        "read as {}: {} run(s), {} step(s){skipped}; import {}",
        format.label(),
        import.runs,
        import.steps,
        import.id
    );
    evidence::log(tx, incident, &file.id, CustodyAction::Imported, detail)?;
    Ok(import)
}

/// Refuses a file whose content was imported into the incident before: its steps would count twice.
fn refuse_twice(tx: &Tx<'_>, incident: &Incident, file: &EvidenceFile, name: &str) -> Result<()> {
    match super::imports_of(tx, incident)?.into_iter().find(|i| i.sha256 == file.sha256) {
        Some(earlier) => Err(Error::Conflict {
            message: format!(
                "{name} is already imported into {} (import {}, {} steps). Importing it again would count every \
                 step twice.",
                incident.id, earlier.id, earlier.steps
            ),
        }),
        None => Ok(()),
    }
}

/// The evidence folder's copy of the file, which is what is read (never the user's original).
fn open_trace(path: &std::path::Path, incident: &Incident, name: &str) -> Result<File> {
    File::open(path).map_err(|e| Error::Io {
        message: format!(
            "Cannot read the stored copy of {name} ({}): {e}. Run `firebreak evidence reverify {}` to check the \
             evidence folder. Nothing was imported.",
            path.display(),
            incident.id
        ),
    })
}

/// Why a file that parsed gave no steps: nothing in it was a step, or every line was skipped.
fn nothing_read(name: &str, format: Format, summary: &trace::Summary) -> Error {
    let why = match summary.skipped.first() {
        Some(first) if summary.skipped_total == 1 => {
            format!(" Its one line that looked like a trace was skipped, line {}: {}.", first.line, first.reason)
        }
        Some(first) => format!(
            " All {} lines that looked like a trace were skipped; the first, line {}: {}.",
            summary.skipped_total, first.line, first.reason
        ),
        None => String::new(),
    };
    Error::invalid_input(format!(
        "{name} holds no steps Firebreak can read as {}.{why} Nothing was imported. Check that it is the trace you \
         meant, or choose another format.",
        format.label()
    ))
}

/// The format the file's start looks like; the file is left at its start.
fn detect(input: &mut File, name: &str) -> Result<Format> {
    let mut start = Vec::new();
    input.by_ref().take(DETECT_BYTES).read_to_end(&mut start)?;
    input.rewind()?;
    trace::detect(&start).ok_or_else(|| {
        let formats: Vec<&str> = Format::ALL.iter().map(|f| f.label()).collect();
        Error::invalid(
            "format",
            format!(
                "Firebreak cannot tell what kind of trace {name} is. Choose its format: {}. Nothing was imported.",
                formats.join("; ")
            ),
        )
    })
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    size: u64,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Self {
        Hashing { inner, hasher: Sha256::new(), size: 0 }
    }

    fn finish(self) -> (String, u64) {
        (audit::hex(&self.hasher.finalize()), self.size)
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// What the writer counted and hashed.
struct Counts {
    tool_calls: u64,
    failed_tool_calls: u64,
    digest: String,
}

/// The sink that writes runs and steps into the open transaction, hashing each step row as it goes.
struct Writer<'t, 'c> {
    tx: &'t Tx<'c>,
    incident: &'t str,
    import: &'t str,
    runs: Vec<Run>,
    steps: u64,
    digest: Digest,
    tool_calls: u64,
    failed_tool_calls: u64,
    /// Calls already counted as failed, so a failed call and its failed result count once. Call IDs are the run's
    /// own (two conversations in one file may both have a `call_0`), so both maps are keyed by run and call.
    failed_calls: HashSet<(usize, String)>,
    /// The tool of each call whose result has not come yet, by call ID, so a result that names only its call
    /// (Anthropic's `tool_result`, OpenAI's `tool` message) is found by its tool too. At most [`MAX_NAMED_CALLS`].
    call_tools: HashMap<(usize, String), String>,
}

/// Made once: a gigabyte trace is a million steps.
static INSERT_STEP: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO trace_steps ({STEP_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, \
         ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)"
    )
});

/// How many calls awaiting their results the writer remembers the tool of. A result comes soon after its call in
/// every format that separates them; formats that do not (OpenTelemetry) leave each call waiting, and those must
/// not hold a gigabyte trace's every call in memory. A result after that keeps the tool its own line gives.
const MAX_NAMED_CALLS: usize = 100_000;

impl<'t, 'c> Writer<'t, 'c> {
    fn new(tx: &'t Tx<'c>, incident: &'t str, import: &'t str) -> Self {
        Writer {
            tx,
            incident,
            import,
            runs: Vec::new(),
            steps: 0,
            digest: Digest::default(),
            tool_calls: 0,
            failed_tool_calls: 0,
            failed_calls: HashSet::new(),
            call_tools: HashMap::new(),
        }
    }

    /// A result without a tool name takes its call's; a call's tool is remembered for its result.
    fn name_tool(&mut self, step: &mut Step) {
        let Some(call) = step.call_id.as_ref() else { return };
        let key = (step.run, call.clone());
        match (step.kind, &step.tool) {
            (StepKind::ToolCall, Some(tool)) if self.call_tools.len() < MAX_NAMED_CALLS => {
                self.call_tools.insert(key, tool.clone());
            }
            (StepKind::ToolResult, None) => step.tool = self.call_tools.remove(&key),
            (StepKind::ToolResult, Some(_)) => {
                self.call_tools.remove(&key);
            }
            _ => {}
        }
    }

    fn count(&mut self, step: &Step) {
        if step.kind == StepKind::ToolCall {
            self.tool_calls += 1;
        }
        let call = matches!(step.kind, StepKind::ToolCall | StepKind::ToolResult);
        if call && step.is_error {
            let first = match &step.call_id {
                Some(id) => self.failed_calls.insert((step.run, id.clone())),
                None => true,
            };
            if first {
                self.failed_tool_calls += 1;
            }
        }
    }

    /// Writes the runs' final values and returns the counts and the digest of all rows.
    fn finish(self) -> Result<Counts> {
        let mut runs = Digest::default();
        let mut stmt = self.tx.prepare_cached(
            "UPDATE trace_runs SET source_id = ?3, agent = ?4, workflow = ?5, model = ?6, started_at = ?7, \
             ended_at = ?8 WHERE import = ?1 AND idx = ?2",
        )?;
        for (index, run) in self.runs.iter().enumerate() {
            let values = rows::run_values(self.import, index, run);
            stmt.execute(rusqlite::params_from_iter(values.iter()))?;
            runs.row(values.iter().map(ValueRef::from));
        }
        let runs = runs.finish(self.runs.len() as u64);
        let steps = self.digest.finish(self.steps);
        Ok(Counts {
            tool_calls: self.tool_calls,
            failed_tool_calls: self.failed_tool_calls,
            digest: rows::combine(&runs, &steps),
        })
    }
}

impl Sink for Writer<'_, '_> {
    fn run(&mut self, run: Run) -> Result<usize> {
        let index = self.runs.len();
        let values = rows::run_values(self.import, index, &run);
        self.tx
            .prepare_cached(&format!("INSERT INTO trace_runs ({RUN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"))?
            .execute(rusqlite::params_from_iter(values.iter()))?;
        self.runs.push(run);
        Ok(index)
    }

    fn run_updated(&mut self, index: usize, run: &Run) -> Result<()> {
        // Written once in `finish`, with every run's final values.
        if let Some(slot) = self.runs.get_mut(index) {
            *slot = run.clone();
        }
        Ok(())
    }

    fn step(&mut self, mut step: Step) -> Result<()> {
        self.name_tool(&mut step);
        self.count(&step);
        let values = rows::step_values(self.incident, self.import, self.steps, step);
        let mut stmt = self.tx.prepare_cached(&INSERT_STEP)?;
        stmt.execute(rusqlite::params_from_iter(values.iter()))?;
        let id = self.tx.last_insert_rowid();
        self.digest.row(std::iter::once(ValueRef::Integer(id)).chain(values.iter().map(ValueRef::from)));
        self.steps += 1;
        Ok(())
    }
}
