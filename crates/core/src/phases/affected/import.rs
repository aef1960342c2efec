//! Importing affected objects from CSV, or from tab-separated text pasted from a spreadsheet. All or nothing: every
//! row is checked first, and only a file without a single problem is added, in one transaction.

use super::{build, check, AgentAction, NewAffectedObject, ObjectStatus, RecoveryAction, OBJECTS};
use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::incident;
use crate::input::{Limited, MAX_IMPORT_BYTES, MAX_IMPORT_LINE};
use crate::store::Store;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::io::Read;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ImportReport.ts")]
pub struct ImportReport {
    #[ts(type = "number")]
    pub added: u64,
}

/// The columns an import may have; the first four are required.
const COLUMNS: &[&str] = &[
    "system",
    "object_type",
    "object_id",
    "action",
    "occurred_at",
    "evidence",
    "recovery_action",
    "recovery_owner",
    "status",
];
const REQUIRED: usize = 4;

/// How many row problems one refusal lists before summing up the rest.
const SHOWN_PROBLEMS: usize = 3;

pub fn import_csv(store: &Store, actor: &Actor, key: &str, reader: impl Read) -> Result<ImportReport> {
    import_delimited(store, actor, key, reader, b',')
}

/// Tab-separated text with the same header, as a spreadsheet puts it on the clipboard.
pub fn import_tsv(store: &Store, actor: &Actor, key: &str, reader: impl Read) -> Result<ImportReport> {
    import_delimited(store, actor, key, reader, b'\t')
}

pub fn import_delimited(
    store: &Store,
    actor: &Actor,
    key: &str,
    reader: impl Read,
    delimiter: u8,
) -> Result<ImportReport> {
    actor.validate()?;
    // Refuse an unknown incident before reading a possibly large file; the rows are built again in the write.
    let incident = incident::find(&store.connect()?, key)?;
    let quotes = Quotes::new(Limited::new(reader, MAX_IMPORT_BYTES, MAX_IMPORT_LINE), delimiter);
    let open_quote = quotes.open_since.clone();
    let parsed = parse(quotes, delimiter);
    // The CSV reader takes a quote left open as a value running to the end of the file: that is the mistake to
    // name, whatever else it made of the rest.
    if let Some(line) = open_quote.get() {
        return Err(Error::invalid_input(format!(
            "line {line}: a quoted value starts there and is never closed (a \" is missing); nothing was imported"
        )));
    }
    let rows = parsed?;
    store.write(actor, |tx| {
        let incident = incident::find(tx, &incident.uuid)?;
        let now = tx.at();
        let objects = rows
            .into_iter()
            .map(|(line, new)| build(&incident, new, now).map_err(|e| at_line(line, &e.to_string())))
            .collect::<Result<Vec<_>>>()?;
        for object in &objects {
            OBJECTS.insert(tx, object)?;
        }
        Ok(ImportReport { added: objects.len() as u64 })
    })
}

/// Reads and checks every row, returning them with their line numbers, or one error listing the problems.
fn parse(reader: impl Read, delimiter: u8) -> Result<Vec<(u64, NewAffectedObject)>> {
    let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(reader);
    let header = csv.headers().map_err(|e| unreadable(&e))?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(Error::invalid_input(format!(
            "The file is empty. Its first line must be the header row, with the columns {}.",
            COLUMNS[..REQUIRED].join(", ")
        )));
    }
    let columns = columns(&header)?;
    let now = Utc::now();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in csv.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(unreadable(&e).to_string());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        // Spreadsheets copy trailing empty rows as lines of bare separators.
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            problems.push(format!(
                "line {line}: {} values, but the header has {} columns (a value with a {} in it needs quotes)",
                record.len(),
                header.len(),
                if delimiter == b'\t' { "tab" } else { "comma" }
            ));
            continue;
        }
        // The same checks as adding by hand, with the time of reading; the write repeats them.
        let checked = row(&columns, &record).and_then(|new| check(&new, now).map(|()| new));
        match checked {
            Ok(new) => rows.push((line, new)),
            Err(e) => problems.push(at_line(line, &e.to_string()).to_string()),
        }
    }
    if !problems.is_empty() {
        let mut message = problems.iter().take(SHOWN_PROBLEMS).cloned().collect::<Vec<_>>().join("; ");
        if problems.len() > SHOWN_PROBLEMS {
            message.push_str(&format!("; and {} more problems", problems.len() - SHOWN_PROBLEMS));
        }
        return Err(Error::invalid_input(format!(
            "{message}. Nothing was imported: fix the rows and import the file again."
        )));
    }
    if rows.is_empty() {
        return Err(Error::invalid_input(
            "The file has a header row but no rows of affected objects; nothing was imported.",
        ));
    }
    Ok(rows)
}

/// For each header column, the index into [`COLUMNS`]. Names are matched without case and surrounding spaces, and
/// "Object type" or "object-type" mean `object_type`.
fn columns(header: &csv::StringRecord) -> Result<Vec<usize>> {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for name in header.iter() {
        let normal = name.trim().trim_start_matches('\u{feff}').trim().to_lowercase().replace([' ', '-'], "_");
        match COLUMNS.iter().position(|c| *c == normal) {
            Some(i) if known.contains(&i) => {
                return Err(Error::invalid_input(format!(
                    "The header row has the column {} twice; keep one. Nothing was imported.",
                    COLUMNS[i]
                )))
            }
            Some(i) => known.push(i),
            None => unknown.push(format!("\"{}\"", name.trim())),
        }
    }
    if !unknown.is_empty() {
        return Err(Error::invalid_input(format!(
            "Unknown column{} {} in the header row. The columns are: {}. Rename or remove {}; nothing was imported.",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", "),
            COLUMNS.join(", "),
            if unknown.len() == 1 { "it" } else { "them" }
        )));
    }
    let absent: Vec<&str> = (0..REQUIRED).filter(|i| !known.contains(i)).map(|i| COLUMNS[i]).collect();
    if !absent.is_empty() {
        return Err(Error::invalid_input(format!(
            "The header row lacks the required column{} {}. The first line must name the columns ({} are required); \
             nothing was imported.",
            if absent.len() == 1 { "" } else { "s" },
            absent.join(", "),
            COLUMNS[..REQUIRED].join(", ")
        )));
    }
    Ok(known)
}

/// One row's values, parsed. Required values are checked by [`build`].
fn row(columns: &[usize], record: &csv::StringRecord) -> Result<NewAffectedObject> {
    let mut new = NewAffectedObject::new("", "", "", AgentAction::Read);
    let mut action = None;
    for (&column, value) in columns.iter().zip(record.iter()) {
        let value = value.trim();
        let name = COLUMNS[column];
        match name {
            "system" => new.system = value.into(),
            "object_type" => new.object_type = value.into(),
            "object_id" => new.object_id = value.into(),
            "action" if value.is_empty() => {}
            "action" => action = Some(choice(name, value, AgentAction::ALL, AgentAction::key, AgentAction::label)?),
            "occurred_at" if value.is_empty() => {}
            "occurred_at" => new.occurred_at = Some(time(value)?),
            "evidence" => new.evidence = value.into(),
            "recovery_action" if value.is_empty() => {}
            "recovery_action" => {
                new.recovery_action =
                    Some(choice(name, value, RecoveryAction::ALL, RecoveryAction::key, RecoveryAction::label)?)
            }
            "recovery_owner" => new.recovery_owner = value.into(),
            "status" if value.is_empty() => {}
            "status" => {
                new.status = Some(choice(name, value, ObjectStatus::ALL, ObjectStatus::key, ObjectStatus::label)?)
            }
            _ => {}
        }
    }
    new.action = action.ok_or_else(|| {
        Error::invalid("action", format!("action is empty; give one of: {}", keys(AgentAction::ALL, AgentAction::key)))
    })?;
    Ok(new)
}

/// A choice by key or label, without regard to case ("Roll back", "roll-back" and "roll_back" are the same).
fn choice<T: Copy>(
    column: &str,
    text: &str,
    all: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Result<T> {
    let lower = text.to_lowercase();
    let normal = lower.replace([' ', '-'], "_");
    all.iter()
        .copied()
        .find(|&c| key(c) == lower || key(c) == normal || label(c).to_lowercase() == lower)
        .ok_or_else(|| Error::invalid(column, format!("{column} \"{text}\" is not one of: {}", keys(all, key))))
}

fn keys<T: Copy>(all: &[T], key: fn(T) -> &'static str) -> String {
    all.iter().map(|&c| key(c)).collect::<Vec<_>>().join(", ")
}

fn time(text: &str) -> Result<DateTime<Utc>> {
    crate::incident::fields::parse_instant(text).ok_or_else(|| {
        Error::invalid(
            "occurred_at",
            format!("occurred_at \"{text}\" is not an RFC 3339 time such as 2026-11-20T14:30:00Z"),
        )
    })
}

fn at_line(line: u64, message: &str) -> Error {
    Error::invalid_input(format!("line {line}: {message}"))
}

fn unreadable(e: &csv::Error) -> Error {
    let line = e.position().map(|p| format!("line {}: ", p.line())).unwrap_or_default();
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => Error::invalid_input(format!(
            "{line}the text is not UTF-8; save the file as UTF-8 (CSV UTF-8) and import it again"
        )),
        csv::ErrorKind::Io(io) => Error::invalid_input(format!("Cannot import the file: {io}. Nothing was imported.")),
        _ => Error::invalid_input(format!("{line}{e}")),
    }
}

/// Follows the file's quoting the way RFC 4180 reads it (a quote opens a value only at its start, `""` inside is a
/// quote) and remembers on which line a value still open was opened.
struct Quotes<R> {
    inner: R,
    delimiter: u8,
    line: u64,
    state: Quoting,
    open_since: std::rc::Rc<std::cell::Cell<Option<u64>>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted value: the end of the value, or the first half of `""`.
    QuoteInQuoted,
}

impl<R> Quotes<R> {
    fn new(inner: R, delimiter: u8) -> Quotes<R> {
        Quotes { inner, delimiter, line: 1, state: Quoting::FieldStart, open_since: Default::default() }
    }

    fn step(&mut self, b: u8) {
        let outside = |b: u8, this: &Self| {
            if b == this.delimiter || b == b'\n' {
                Quoting::FieldStart
            } else {
                Quoting::Unquoted
            }
        };
        self.state = match (self.state, b) {
            (Quoting::FieldStart, b'"') => {
                self.open_since.set(Some(self.line));
                Quoting::Quoted
            }
            (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
            (Quoting::QuoteInQuoted, b) => {
                self.open_since.set(None);
                outside(b, self)
            }
            (_, b) => outside(b, self),
        };
        if b == b'\n' {
            self.line += 1;
        }
    }
}

impl<R: Read> Read for Quotes<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && self.state == Quoting::QuoteInQuoted {
            self.open_since.set(None);
        }
        for &b in &buf[..n] {
            self.step(b);
        }
        Ok(n)
    }
}
