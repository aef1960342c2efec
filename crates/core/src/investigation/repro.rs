//! The minimal reproducible case: chosen steps with what led up to them — for each run a chosen step is in, that
//! run's steps from its start to the last chosen one, in file order: the prompt and context the model saw, its calls
//! and the tool responses. Written as one JSON file for the technical owner, the export logged in each source
//! file's chain of custody, as an evidence export is.

use super::steps::{place_of, run_steps, StoredStep};
use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::outfile::OutFile;
use crate::phases::evidence::{self, CustodyAction};
use crate::store::Store;
use crate::trace::{Format, Step};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Names the bundle's layout, so a reader can tell what it holds.
pub const REPRO_FORMAT: &str = "firebreak-repro/1";
/// The most steps one bundle can be asked for.
pub const MAX_CHOSEN: usize = 200;
/// The most steps of context one run gives: its first [`HEAD_STEPS`] (the instructions and the task) and the
/// last ones before the chosen step; how many are left out between is said.
pub const MAX_RUN_STEPS: u64 = 2_000;
const HEAD_STEPS: u64 = 20;
/// Texts of the chosen steps are kept up to this many characters, those of the context steps up to
/// [`CONTEXT_CHARS`]; a cut step says so.
pub const CHOSEN_CHARS: u64 = 1 << 20;
pub const CONTEXT_CHARS: u64 = 16 << 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReproBundle {
    pub format: String,
    pub incident: String,
    pub incident_title: String,
    pub exported_at: DateTime<Utc>,
    pub exported_by: String,
    /// The steps asked for, by number.
    pub chosen: Vec<i64>,
    /// The trace files the steps come from (evidence, by hash).
    pub sources: Vec<ReproSource>,
    pub runs: Vec<ReproRun>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReproSource {
    pub import: String,
    pub file_name: String,
    pub sha256: String,
    pub format: Format,
    pub parser: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReproRun {
    pub import: String,
    pub run: String,
    /// Steps of the run before the last chosen one not included (the middle of a long run).
    pub left_out: u64,
    pub steps: Vec<ReproStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReproStep {
    pub step: i64,
    pub chosen: bool,
    /// Some text was cut ([`CHOSEN_CHARS`] for a chosen step, [`CONTEXT_CHARS`] for context).
    pub cut: bool,
    #[serde(flatten)]
    pub facts: Step,
}

/// The bundle for `chosen` steps of the incident, read from one state of the record.
pub fn repro(store: &Store, actor: &Actor, key: &str, chosen: &[i64]) -> Result<ReproBundle> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    bundle(&conn, &incident, &actor.name, chosen)
}

fn bundle(conn: &Connection, incident: &Incident, actor: &str, chosen: &[i64]) -> Result<ReproBundle> {
    let mut chosen: Vec<i64> = chosen.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    if chosen.is_empty() {
        return Err(Error::invalid(
            "steps",
            "Choose the steps to reproduce (their numbers, as `trace steps` shows them).",
        ));
    }
    if chosen.len() > MAX_CHOSEN {
        return Err(Error::invalid(
            "steps",
            format!("A bundle holds at most {MAX_CHOSEN} chosen steps; choose the ones that show the failure."),
        ));
    }
    // Each run's last chosen step: its context runs from the run's start to there.
    let mut until: BTreeMap<(String, i64), u64> = BTreeMap::new();
    for id in &chosen {
        let (import, run, seq) = place_of(conn, incident, *id)?;
        let last = until.entry((import, run)).or_default();
        *last = (*last).max(seq);
    }
    let mut runs = Vec::new();
    for ((import, run), to) in &until {
        let (mut steps, left_out) = context(conn, incident, (import, *run), *to)?;
        // A chosen step is given with more of its text than the context around it.
        for s in steps.iter_mut().filter(|s| chosen.contains(&s.id) && s.truncated) {
            *s = run_steps(conn, incident, (import, *run), (s.seq, s.seq), 1, CHOSEN_CHARS)?.remove(0);
        }
        let run_id = steps.first().map(|s| s.run_id.clone()).unwrap_or_default();
        let steps = steps
            .into_iter()
            .map(|s| ReproStep { step: s.id, chosen: chosen.contains(&s.id), cut: s.truncated, facts: s.step })
            .collect();
        runs.push(ReproRun { import: import.clone(), run: run_id, left_out, steps });
    }
    let mut sources = Vec::new();
    let imports = super::steps::imports_of(conn, incident)?;
    let files = evidence::files_of(conn, incident)?;
    for import in imports.iter().filter(|i| until.keys().any(|(id, _)| *id == i.id)) {
        let file_name = files.iter().find(|f| f.id == import.file).map(|f| f.original_name.clone()).unwrap_or_default();
        sources.push(ReproSource {
            import: import.id.clone(),
            file_name,
            sha256: import.sha256.clone(),
            format: import.format,
            parser: import.parser.clone(),
        });
    }
    Ok(ReproBundle {
        format: REPRO_FORMAT.into(),
        incident: incident.id.clone(),
        incident_title: incident.fields.title.clone(),
        exported_at: Utc::now(),
        exported_by: actor.to_string(),
        chosen,
        sources,
        runs,
    })
}

/// A run's steps up to `to` (its place in the file): all of them, or its first and its last up to
/// [`MAX_RUN_STEPS`], with how many are left out between.
fn context(conn: &Connection, incident: &Incident, run: (&str, i64), to: u64) -> Result<(Vec<StoredStep>, u64)> {
    let total: i64 = conn.query_row(
        "SELECT count(*) FROM trace_steps WHERE import = ?1 AND run = ?2 AND seq <= ?3",
        rusqlite::params![run.0, run.1, to as i64],
        |r| r.get(0),
    )?;
    let total = total.max(0) as u64;
    if total <= MAX_RUN_STEPS {
        return Ok((run_steps(conn, incident, run, (0, to), MAX_RUN_STEPS, CONTEXT_CHARS)?, 0));
    }
    let mut head = run_steps(conn, incident, run, (0, to), HEAD_STEPS, CONTEXT_CHARS)?;
    let tail_from: Option<i64> = conn
        .query_row(
            "SELECT seq FROM trace_steps WHERE import = ?1 AND run = ?2 AND seq <= ?3 ORDER BY seq DESC \
             LIMIT 1 OFFSET ?4",
            rusqlite::params![run.0, run.1, to as i64, (MAX_RUN_STEPS - HEAD_STEPS - 1) as i64],
            |r| r.get(0),
        )
        .optional()?;
    let tail_from = tail_from.unwrap_or(0).max(0) as u64;
    head.extend(run_steps(conn, incident, run, (tail_from, to), MAX_RUN_STEPS - HEAD_STEPS, CONTEXT_CHARS)?);
    Ok((head, total - MAX_RUN_STEPS))
}

/// What a written bundle holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReproWritten {
    pub path: PathBuf,
    /// The chosen steps.
    pub chosen: u64,
    /// Every step in the bundle, context included.
    pub steps: u64,
    pub runs: u64,
}

/// Writes the bundle for `chosen` steps to `out` (whole or not at all) and logs the export in the custody of each
/// trace file it draws on; a log that fails removes the file.
pub fn export_repro(store: &Store, actor: &Actor, key: &str, chosen: &[i64], out: &Path) -> Result<ReproWritten> {
    actor.validate()?;
    let mut file = OutFile::create(out)?;
    let bundle = repro(store, actor, key, chosen)?;
    let text = serde_json::to_string_pretty(&bundle).map_err(|e| Error::storage(e.to_string()))?;
    file.write(text.as_bytes())?;
    let path = file.persist()?;
    let imports: Vec<&str> = bundle.sources.iter().map(|s| s.import.as_str()).collect();
    let detail = format!("repro bundle of step(s) {} to {}", list(&bundle.chosen), path.display());
    let logged = store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let traces = super::steps::imports_of(tx, &incident)?;
        for import in traces.iter().filter(|i| imports.contains(&i.id.as_str())) {
            evidence::log(tx, &incident, &import.file, CustodyAction::Exported, detail.clone())?;
        }
        Ok(())
    });
    if let Err(e) = logged {
        // An export missing from the custody log must not exist.
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(ReproWritten {
        path,
        chosen: bundle.chosen.len() as u64,
        steps: bundle.runs.iter().map(|r| r.steps.len() as u64).sum(),
        runs: bundle.runs.len() as u64,
    })
}

fn list(ids: &[i64]) -> String {
    let shown: Vec<String> = ids.iter().take(20).map(|i| i.to_string()).collect();
    if ids.len() > shown.len() {
        format!("{} … ({} in all)", shown.join(", "), ids.len())
    } else {
        shown.join(", ")
    }
}
