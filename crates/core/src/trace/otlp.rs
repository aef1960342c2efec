//! OpenTelemetry traces in OTLP JSON: one `TracesData` / `ExportTraceServiceRequest` document (read whole, up to
//! [`Options::max_document_bytes`]), or the file exporter's JSON Lines (one such document per line, read one line at
//! a time). Which one is decided by the first line: a complete JSON value means JSON Lines.
//!
//! Each span is a step and each trace ID a run. Spans of one trace may be spread over lines and out of order, and
//! parents may be absent; none of that is an error.

use super::lines::{describe_json_error, settle, Fault, LineReader, LineResult};
use super::runs::{emit, Runs};
use super::semconv::{span_step, SpanStep};
use super::{attributes::Attributes, Options, Origin, Run, Sink, Summary};
use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::io::{BufRead, Read};

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(borrow, rename = "resourceSpans", alias = "resource_spans")]
    resource_spans: Option<Vec<ResourceSpans<'a>>>,
}

#[derive(Deserialize)]
struct ResourceSpans<'a> {
    resource: Option<Resource>,
    #[serde(borrow, rename = "scopeSpans", alias = "scope_spans", alias = "instrumentationLibrarySpans")]
    scope_spans: Option<Vec<ScopeSpans<'a>>>,
}

#[derive(Deserialize)]
struct Resource {
    attributes: Option<Value>,
}

#[derive(Deserialize)]
struct ScopeSpans<'a> {
    #[serde(borrow)]
    spans: Option<Vec<&'a RawValue>>,
}

const SHAPE: &str = "an OTLP trace document";

struct Reader<'s> {
    options: &'s Options,
    sink: &'s mut dyn Sink,
    runs: Runs,
    summary: Summary,
}

pub(super) fn parse<R: BufRead>(input: R, options: &Options, sink: &mut dyn Sink) -> Result<Summary> {
    let mut reader = Reader { options, sink, runs: Runs::default(), summary: Summary::default() };
    let mut lines = LineReader::new(input, options.max_line_bytes);
    let mut first = true;
    while let Some(raw) = lines.next_line()? {
        reader.summary.lines += 1;
        let origin = Origin { line: raw.number, offset: raw.offset };
        let blank = matches!(&raw.text, Ok(text) if text.trim().is_empty());
        if blank {
            continue;
        }
        if first && matches!(&raw.text, Ok(text) if starts_document(text)) {
            reader.summary.lines -= 1;
            reader.document(lines, origin)?;
            return reader.finish();
        }
        first = false;
        let outcome = match raw.text {
            Ok(text) => reader.line(text, origin),
            Err(reason) => Err(Fault::Bad(reason)),
        };
        settle(outcome, origin.line, options, &mut reader.summary)?;
    }
    reader.finish()
}

/// A first line that is valid JSON cut short is the start of a multi-line document.
fn starts_document(text: &str) -> bool {
    matches!(serde_json::from_str::<serde::de::IgnoredAny>(text), Err(e) if e.is_eof())
}

impl Reader<'_> {
    fn finish(self) -> Result<Summary> {
        self.runs.finish(self.sink)?;
        Ok(self.summary)
    }

    /// One JSON Lines document: all its spans are read before any is recorded, so a bad line records nothing.
    fn line(&mut self, text: &str, origin: Origin) -> LineResult {
        let doc: Document = serde_json::from_str(text).map_err(|e| Fault::Bad(describe_json_error(&e, SHAPE)))?;
        let mut found = Vec::new();
        for (service, raw) in spans(&doc)? {
            let span = span_object(raw)?;
            found.push((service, span_step(&span, origin).map_err(Fault::Bad)?));
        }
        for (service, step) in found {
            self.record(step, service)?;
        }
        Ok(())
    }

    /// The whole-document form; a bad span is one line's fault (skippable), a bad document is the file's.
    fn document<R: BufRead>(&mut self, lines: LineReader<R>, start: Origin) -> Result<()> {
        let bytes = self.read_rest(lines)?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            let line = start.line + count_lines(&bytes[..e.valid_up_to()]);
            Error::invalid_input(format!("line {line}: not UTF-8 text; Firebreak keeps trace text unaltered"))
        })?;
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let doc: Document = serde_json::from_str(body).map_err(|e| {
            let line = start.line + e.line().saturating_sub(1) as u64;
            Error::invalid_input(format!("line {line}: {}", describe_json_error(&e, SHAPE)))
        })?;
        let spans = spans(&doc).map_err(|_| {
            Error::invalid_input(format!("line {}: not {SHAPE}: it has no `resourceSpans`", start.line))
        })?;
        let (mut line, mut counted) = (start.line, 0usize);
        for (service, raw) in spans {
            let at = raw.get().as_ptr() as usize - bytes.as_ptr() as usize;
            line += count_lines(&bytes[counted..at]);
            counted = at;
            let origin = Origin { line, offset: start.offset + at as u64 };
            let outcome = span_object(raw)
                .and_then(|span| span_step(&span, origin).map_err(Fault::Bad))
                .and_then(|step| self.record(step, service));
            settle(outcome, line, self.options, &mut self.summary)?;
        }
        self.summary.lines += count_lines(&bytes) + u64::from(!bytes.ends_with(b"\n"));
        Ok(())
    }

    fn read_rest<R: BufRead>(&self, lines: LineReader<R>) -> Result<Vec<u8>> {
        let max = self.options.max_document_bytes;
        let mut bytes = lines.buf.clone();
        let room = (max + 1).saturating_sub(bytes.len()) as u64;
        lines.into_input().take(room).read_to_end(&mut bytes)?;
        if bytes.len() > max {
            return Err(Error::invalid_input(format!(
                "The OTLP document is larger than {}, the most Firebreak reads in one piece. Export the trace as \
                 JSON Lines (one document per line, as the OpenTelemetry file exporter writes), which has no limit.",
                super::lines::size(max)
            )));
        }
        Ok(bytes)
    }

    fn record(&mut self, found: SpanStep, service: Option<String>) -> LineResult {
        let step = &found.step;
        let run = Run {
            source_id: found.trace_id,
            agent: step.agent.clone(),
            workflow: service,
            model: step.model.clone(),
            started_at: step.at,
            ended_at: step.ended_at.or(step.at),
        };
        let index = self.runs.keyed(run, self.sink, &mut self.summary)?;
        Ok(emit(vec![found.step], index, self.sink, &mut self.summary)?)
    }
}

/// Every span of a document with its resource's `service.name`, in file order.
fn spans<'a>(doc: &Document<'a>) -> LineResult<Vec<(Option<String>, &'a RawValue)>> {
    let Some(resource_spans) = &doc.resource_spans else {
        return Err(Fault::Bad(format!("not {SHAPE}: it has no `resourceSpans`")));
    };
    let mut all = Vec::new();
    for rs in resource_spans {
        let attrs = Attributes::from_list(rs.resource.as_ref().and_then(|r| r.attributes.as_ref()));
        let service = attrs.text(&["service.name"]);
        for scope in rs.scope_spans.iter().flatten() {
            all.extend(scope.spans.iter().flatten().map(|raw| (service.clone(), *raw)));
        }
    }
    Ok(all)
}

fn span_object(raw: &RawValue) -> LineResult<Map<String, Value>> {
    match serde_json::from_str(raw.get()) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Fault::Bad("a span that is not a JSON object".into())),
        Err(e) => Err(Fault::Bad(describe_json_error(&e, "a span"))),
    }
}

fn count_lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}
