//! JSON Lines reading with a bound on each line, and the one place that turns a bad line into either an error
//! naming the line or a [`Skipped`](super::Skipped) entry.

use super::{Options, Summary};
use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::io::BufRead;

/// Why a line could not be taken: the line's own fault (skippable), or the sink's (never skipped).
pub(super) enum Fault {
    Bad(String),
    Sink(Error),
}

impl From<Error> for Fault {
    fn from(e: Error) -> Self {
        Fault::Sink(e)
    }
}

pub(super) type LineResult<T = ()> = std::result::Result<T, Fault>;

pub(super) fn bad<T>(reason: impl Into<String>) -> LineResult<T> {
    Err(Fault::Bad(reason.into()))
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    pub number: u64,
    pub offset: u64,
    pub text: &'a str,
}

pub(super) struct LineReader<R> {
    input: R,
    pub buf: Vec<u8>,
    max: usize,
    number: u64,
    next_offset: u64,
    /// The last line was cut at the limit: the rest of it is skipped before the next line is read, and only then,
    /// so a caller that refuses the file at that line reads no further (an endless line is never read to its end).
    overlong: bool,
}

/// One line as read: its place, and its text or why it has none.
pub(super) struct RawLine<'a> {
    pub number: u64,
    pub offset: u64,
    pub text: std::result::Result<&'a str, String>,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(input: R, max: usize) -> Self {
        LineReader { input, buf: Vec::new(), max, number: 0, next_offset: 0, overlong: false }
    }

    /// The next line without its line end, or `None` at the end of the input.
    pub fn next_line(&mut self) -> Result<Option<RawLine<'_>>> {
        self.buf.clear();
        if std::mem::take(&mut self.overlong) {
            self.next_offset += self.drain_line()?;
        }
        let limit = self.max as u64 + 1;
        let read = std::io::Read::take(&mut self.input, limit).read_until(b'\n', &mut self.buf)?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        let offset = self.next_offset;
        self.next_offset += read as u64;
        if self.buf.len() > self.max && self.buf.last() != Some(&b'\n') {
            self.overlong = true;
            let reason = format!("the line is longer than {}, the most Firebreak reads in one line", size(self.max));
            return Ok(Some(RawLine { number: self.number, offset, text: Err(reason) }));
        }
        Ok(Some(RawLine { number: self.number, offset, text: line_text(&self.buf, self.number == 1) }))
    }

    /// Skips the rest of an over-long line without keeping it; returns the bytes skipped.
    fn drain_line(&mut self) -> Result<u64> {
        let mut skipped = 0u64;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                return Ok(skipped);
            }
            let (used, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            self.input.consume(used);
            skipped += used as u64;
            if done {
                return Ok(skipped);
            }
        }
    }

    /// The reader after the lines taken so far, for a format that switches to reading the rest whole.
    pub fn into_input(self) -> R {
        self.input
    }
}

fn line_text(buf: &[u8], first: bool) -> std::result::Result<&str, String> {
    let mut bytes = buf.strip_suffix(b"\n").unwrap_or(buf);
    bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    if first {
        bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (an invalid byte at column {}); Firebreak keeps trace text unaltered",
            e.valid_up_to() + 1
        )
    })
}

/// Runs `handle` on every non-blank line, turning each line's fault into an error or a skip.
pub(super) fn each_line<R: BufRead>(
    input: R,
    options: &Options,
    summary: &mut Summary,
    mut handle: impl FnMut(Line<'_>, &mut Summary) -> LineResult,
) -> Result<()> {
    let mut reader = LineReader::new(input, options.max_line_bytes);
    while let Some(raw) = reader.next_line()? {
        summary.lines += 1;
        let outcome = match raw.text {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => handle(Line { number: raw.number, offset: raw.offset, text }, summary),
            Err(reason) => Err(Fault::Bad(reason)),
        };
        settle(outcome, raw.number, options, summary)?;
    }
    Ok(())
}

pub(super) fn settle(outcome: LineResult, line: u64, options: &Options, summary: &mut Summary) -> Result<()> {
    match outcome {
        Ok(()) => Ok(()),
        Err(Fault::Sink(e)) => Err(e),
        Err(Fault::Bad(reason)) if options.skip_invalid => {
            summary.skip(line, reason);
            Ok(())
        }
        Err(Fault::Bad(reason)) => Err(Error::invalid_input(format!("line {line}: {reason}"))),
    }
}

/// Parses one line's JSON, describing a failure the way a person fixing the file needs it.
pub(super) fn json(text: &str) -> LineResult<Value> {
    serde_json::from_str(text).map_err(|e| Fault::Bad(describe_json_error(&e, "a JSON value")))
}

/// Why serde refused the text, with the column (the caller names the line). `expected` names the shape wanted,
/// for JSON that parses but has the wrong shape.
pub(super) fn describe_json_error(e: &serde_json::Error, expected: &str) -> String {
    let full = e.to_string();
    let what = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]);
    let column = e.column();
    match e.classify() {
        serde_json::error::Category::Eof => {
            format!("not JSON: it ends before its JSON does ({what} at column {column}); is the file cut short?")
        }
        serde_json::error::Category::Data => format!("not {expected} ({what} at column {column})"),
        _ => format!("not JSON ({what} at column {column})"),
    }
}

pub(super) fn object(value: Value, what: &str) -> LineResult<Map<String, Value>> {
    match value {
        Value::Object(map) => Ok(map),
        other => bad(format!("not {what}: it is a JSON {}, not an object", json_type(&other))),
    }
}

pub(super) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub(super) fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}
