//! Model Context Protocol transcripts: JSON Lines of the JSON-RPC 2.0 messages between an MCP client and server, as
//! a client, a logging proxy or an inspector writes them. A line is one message, a JSON-RPC batch (an array of
//! messages), or a message wrapped with when and which way it went:
//! `{"timestamp"|"time"|"ts": …, "direction"|"dir": …, "message"|"msg"|"data": {…}}`. Recorders that write the
//! message's own keys next to `ts` and `dir` (mcp-debug's `--record`) read as bare messages with a time.
//!
//! One file is one run: a transcript is one connection. A `tools/call` request is a tool call and its response the
//! result, linked by the JSON-RPC `id`; which request a response answers is remembered by `id`, because a response
//! does not name its method. A response whose request is not in the file (transcripts are often cut) is read by its
//! shape instead. Arguments and results are kept as the JSON text of the file, not re-serialised, because they are
//! evidence. The `tools/list` result is kept whole as a step, since its tool annotations (`readOnlyHint`,
//! `destructiveHint`, …) say what the server claimed each tool does.
//!
//! Notifications carry no step (progress, log lines, list changes), except a log message at level error or worse,
//! which is an error step. A JSON line that is not JSON-RPC is refused, so a file read with the wrong format fails
//! on its first line.

use super::chat::{as_text, string, text_of, timestamp};
use super::lines::{bad, each_line, json, json_type, object, Line, LineResult};
use super::runs::{emit, times_of, Runs};
use super::{Options, Origin, Run, Sink, Step, StepKind, Summary};
use crate::error::Result;
use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::BufRead;

/// Requests remembered while their responses are awaited. A transcript whose responses never come (a server that
/// hung) must not fill memory; past this, a response is read by its shape, as if its request were not in the file.
const MAX_PENDING: usize = 65_536;

const WRAPPER_MESSAGE_KEYS: [&str; 3] = ["message", "msg", "data"];
const WRAPPER_TIME_KEYS: [&str; 3] = ["timestamp", "time", "ts"];
const WRAPPER_SESSION_KEYS: [&str; 3] = ["sessionId", "session_id", "session"];

/// Log levels (RFC 5424, as MCP's `notifications/message` uses them) that make a log line an error step.
const ERROR_LEVELS: [&str; 4] = ["error", "critical", "alert", "emergency"];

#[derive(Default)]
struct State {
    runs: Runs,
    /// The run's ID once its first step is known. The run is made then, not on the first line, so that a session ID
    /// given by any line before it (usually the initialize's wrapper) can name it.
    source_id: Option<String>,
    first_line: Option<u64>,
    session: Option<String>,
    /// What the initialize exchange and sampling told about the run, handed to every update of it.
    agent: Option<String>,
    workflow: Option<String>,
    model: Option<String>,
    /// Request `id` (as text) to its method, until the response comes.
    pending: HashMap<String, String>,
}

/// Where one message sits in its line: to place and date its step, and its own text, to find the original text of
/// its values in.
#[derive(Clone, Copy)]
struct Place<'a> {
    line: Line<'a>,
    at: Option<DateTime<Utc>>,
    raw: Option<&'a RawValue>,
}

/// What a line holds once any wrapper is taken off.
struct Unwrapped {
    inner: Value,
    at: Option<DateTime<Utc>>,
    wrapper_key: Option<&'static str>,
    session: Option<String>,
}

pub(super) fn parse<R: BufRead>(input: R, options: &Options, sink: &mut dyn Sink) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut state = State::default();
    each_line(input, options, &mut summary, |line, summary| {
        let Unwrapped { inner, at, wrapper_key, session } = unwrap(json(line.text)?)?;
        let (messages, batched) = match inner {
            Value::Array(batch) if batch.is_empty() => return bad("an empty JSON-RPC batch (`[]`)"),
            Value::Array(batch) => (batch, true),
            single => (vec![single], false),
        };
        let raws = raw_messages(line.text, wrapper_key, batched);
        let mut steps = Vec::new();
        for (i, message) in messages.into_iter().enumerate() {
            let batch_index = batched.then_some(i);
            let item = batch_index.map(|i| format!("batch item {}: ", i + 1)).unwrap_or_default();
            let Value::Object(map) = message else {
                return bad(format!(
                    "{item}not a JSON-RPC message: it is a JSON {}, not an object",
                    json_type(&message)
                ));
            };
            let place = Place { line, at, raw: raws.get(i).copied() };
            match state.message(&map, place) {
                Ok(step) => steps.extend(step),
                Err(reason) => return bad(format!("{item}{reason}")),
            }
        }
        state.first_line.get_or_insert(line.number);
        if state.source_id.is_none() && state.session.is_none() {
            state.session = session;
        }
        if steps.is_empty() {
            summary.ignored_lines += 1;
            return Ok(());
        }
        let index = state.run(&steps, sink, summary)?;
        Ok(emit(steps, index, sink, summary)?)
    })?;
    state.runs.finish(sink)?;
    Ok(summary)
}

/// Takes a wrapper off a line: a line is a wrapper when it is not JSON-RPC itself and a wrapper key holds an object
/// or a batch.
fn unwrap(value: Value) -> LineResult<Unwrapped> {
    let mut map = match value {
        batch @ Value::Array(_) => return Ok(Unwrapped { inner: batch, at: None, wrapper_key: None, session: None }),
        other => object(other, "a JSON-RPC message")?,
    };
    let at = WRAPPER_TIME_KEYS.iter().find_map(|k| time(map.get(*k)));
    let session = WRAPPER_SESSION_KEYS.iter().find_map(|k| string(&map, k));
    if is_json_rpc(&map) {
        return Ok(Unwrapped { inner: Value::Object(map), at, wrapper_key: None, session });
    }
    let key =
        WRAPPER_MESSAGE_KEYS.into_iter().find(|k| matches!(map.get(*k), Some(Value::Object(_) | Value::Array(_))));
    let Some((key, inner)) = key.and_then(|k| Some((k, map.remove(k)?))) else {
        return bad(
            "not a JSON-RPC message: it has no `jsonrpc`, `method`, `result` or `error`, nor a `message` holding one",
        );
    };
    if matches!(&inner, Value::Object(m) if !is_json_rpc(m)) {
        return bad(format!("not a JSON-RPC message: its `{key}` has no `jsonrpc`, `method`, `result` or `error`"));
    }
    Ok(Unwrapped { inner, at, wrapper_key: Some(key), session })
}

fn is_json_rpc(map: &Map<String, Value>) -> bool {
    ["jsonrpc", "method", "result", "error"].iter().any(|k| map.contains_key(*k))
}

/// A wrapper's time: RFC 3339, or Unix time in seconds or milliseconds, fractions allowed (loggers write
/// `Date.now()`, Python's `time.time()` or an ISO string). A number from 10^11 up is milliseconds: as seconds it
/// would be after the year 5000.
fn time(value: Option<&Value>) -> Option<DateTime<Utc>> {
    let Some(Value::Number(n)) = value else {
        return timestamp(value);
    };
    let number = n.as_f64().filter(|n| n.is_finite() && *n >= 0.0)?;
    let millis = if number >= 1e11 { number } else { number * 1000.0 };
    if millis >= i64::MAX as f64 {
        return None;
    }
    DateTime::from_timestamp_millis(millis.round() as i64)
}

/// A JSON-RPC `id` as text: a string as is, a number as written; `null` is no ID.
fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl State {
    fn run(&mut self, steps: &[Step], sink: &mut dyn Sink, summary: &mut Summary) -> Result<usize> {
        let first_line = self.first_line;
        let session = self.session.take();
        let source_id = self
            .source_id
            .get_or_insert_with(|| session.unwrap_or_else(|| format!("line-{}", first_line.unwrap_or(1))))
            .clone();
        let (started_at, ended_at) = times_of(steps);
        let run = Run {
            source_id,
            agent: self.agent.clone(),
            workflow: self.workflow.clone(),
            model: self.model.clone(),
            started_at,
            ended_at,
        };
        self.runs.keyed(run, sink, summary)
    }

    /// The step a message makes, if any; an error is the reason the message cannot be read.
    fn message(&mut self, m: &Map<String, Value>, place: Place<'_>) -> std::result::Result<Option<Step>, String> {
        if let Some(version) = m.get("jsonrpc").filter(|v| v.as_str() != Some("2.0")) {
            return Err(format!("`jsonrpc` is {version}, not \"2.0\": not a JSON-RPC 2.0 message"));
        }
        let id = id_text(m.get("id"));
        match (m.get("method"), id) {
            (Some(Value::String(method)), Some(id)) => self.request(method, id, m, place).map(Some),
            (Some(Value::String(method)), None) => Ok(notification(method, m, place)),
            (Some(other), _) => Err(format!("`method` is a JSON {}, not a string", json_type(other))),
            (None, id) if m.contains_key("error") => Ok(Some(self.error_response(id, m, place))),
            (None, id) if m.contains_key("result") => Ok(Some(self.response(id, m, place))),
            (None, _) => Err("a JSON-RPC message with no `method`, `result` or `error`".into()),
        }
    }

    fn request(
        &mut self,
        method: &str,
        id: String,
        m: &Map<String, Value>,
        place: Place<'_>,
    ) -> std::result::Result<Step, String> {
        let params = m.get("params");
        let mut step = base(StepKind::Message, method, place);
        step.call_id = Some(id.clone());
        match method {
            "tools/call" => {
                let Some(name) = params.and_then(|p| p.get("name")).and_then(Value::as_str) else {
                    return Err("a `tools/call` request without `params.name`".into());
                };
                step.kind = StepKind::ToolCall;
                step.tool = Some(name.to_string());
                step.arguments = original(params.and_then(|p| p.get("arguments")), place, &["params", "arguments"]);
            }
            "sampling/createMessage" => {
                step.kind = StepKind::ModelCall;
                step.arguments = original(params, place, &["params"]);
                step.model = params
                    .and_then(|p| p.pointer("/modelPreferences/hints/0/name"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
            "initialize" => {
                let client = params.and_then(|p| p.pointer("/clientInfo/name")).and_then(Value::as_str);
                self.agent = self.agent.take().or(client.map(str::to_string));
                step.arguments = original(params, place, &["params"]);
            }
            _ => step.arguments = original(params, place, &["params"]),
        }
        if self.pending.len() < MAX_PENDING {
            self.pending.insert(id, method.to_string());
        }
        Ok(step)
    }

    /// A result, read as the answer to its request when the request was seen, else by its shape.
    fn response(&mut self, id: Option<String>, m: &Map<String, Value>, place: Place<'_>) -> Step {
        let result = m.get("result").unwrap_or(&Value::Null);
        let method = id.as_ref().and_then(|id| self.pending.remove(id)).unwrap_or_else(|| shape_of(result).into());
        let mut step = base(StepKind::Message, &method, place);
        step.call_id = id;
        match method.as_str() {
            "tools/call" => {
                step.kind = StepKind::ToolResult;
                step.name = None;
                step.result = text_of(result.get("content"))
                    .or_else(|| original(result.get("structuredContent"), place, &["result", "structuredContent"]))
                    .or_else(|| original(result.get("content"), place, &["result", "content"]));
                step.is_error = result.get("isError").and_then(Value::as_bool).unwrap_or(false);
                step.error = step.result.clone().filter(|_| step.is_error);
            }
            "sampling/createMessage" => {
                step.model = result.get("model").and_then(Value::as_str).map(str::to_string);
                self.model = self.model.take().or(step.model.clone());
                // A sampling result's `content` is one block, not a list as in a tool result.
                let content = result.get("content").map(|c| match c {
                    Value::Object(_) => Value::Array(vec![c.clone()]),
                    other => other.clone(),
                });
                step.result = text_of(content.as_ref()).or_else(|| original(Some(result), place, &["result"]));
            }
            "initialize" => {
                let server = result.pointer("/serverInfo/name").and_then(Value::as_str);
                self.workflow = self.workflow.take().or(server.map(str::to_string));
                step.result = original(Some(result), place, &["result"]);
            }
            _ => step.result = original(Some(result), place, &["result"]),
        }
        step
    }

    /// A JSON-RPC error: a failed tool call (or a request not in the file), else an error step for its method.
    fn error_response(&mut self, id: Option<String>, m: &Map<String, Value>, place: Place<'_>) -> Step {
        let method = id.as_ref().and_then(|id| self.pending.remove(id));
        let kind = match method.as_deref() {
            None | Some("tools/call") => StepKind::ToolResult,
            Some(_) => StepKind::Error,
        };
        let mut step = base(kind, method.as_deref().unwrap_or(""), place);
        if kind == StepKind::ToolResult {
            step.name = None;
        }
        let error = m.get("error").unwrap_or(&Value::Null);
        let code = error.get("code").map(|c| c.to_string());
        let message = error.get("message").and_then(as_text);
        step.error = match (code, message) {
            (Some(code), Some(message)) => Some(format!("{code}: {message}")),
            (code, message) => code.or(message).or_else(|| as_text(error)),
        };
        step.result = original(error.get("data"), place, &["error", "data"]);
        step.call_id = id;
        step.is_error = true;
        step
    }
}

/// A log line at level error or worse is an error step; other notifications (progress, list changes, cancellations,
/// ordinary log lines) are only counted as ignored.
fn notification(method: &str, m: &Map<String, Value>, place: Place<'_>) -> Option<Step> {
    let params = m.get("params")?;
    let level = params.get("level").and_then(Value::as_str)?;
    if method != "notifications/message" || !ERROR_LEVELS.contains(&level) {
        return None;
    }
    let mut step = base(StepKind::Error, method, place);
    step.agent = params.get("logger").and_then(Value::as_str).map(str::to_string);
    step.result = original(params.get("data"), place, &["params", "data"]);
    step.is_error = true;
    step.error = step.result.clone().or_else(|| Some(level.to_string()));
    Some(step)
}

/// The method a result answers, guessed from what it holds, for a response whose request is not in the file.
fn shape_of(result: &Value) -> &'static str {
    let has = |key: &str| result.get(key).is_some();
    if has("serverInfo") || has("protocolVersion") {
        "initialize"
    } else if has("tools") {
        "tools/list"
    } else if has("content") || has("isError") || has("structuredContent") {
        if has("model") && has("role") {
            "sampling/createMessage"
        } else {
            "tools/call"
        }
    } else {
        "response"
    }
}

fn base(kind: StepKind, name: &str, place: Place<'_>) -> Step {
    let mut step = Step::new(kind, Origin { line: place.line.number, offset: place.line.offset });
    step.name = (!name.is_empty()).then(|| name.to_string());
    step.at = place.at;
    step
}

/// A value's text as the file has it (key order, number spelling and all), found again in the line by its path;
/// the parsed value re-serialised if that fails. A JSON string is its text without the quotes.
fn original(value: Option<&Value>, place: Place<'_>, path: &[&str]) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        parsed => Some(raw_at(place, path).map_or_else(|| parsed.to_string(), |raw| raw.get().to_string())),
    }
}

/// The raw JSON under `path` in the message of `place`, reading only the objects on the way there.
fn raw_at<'a>(place: Place<'a>, path: &[&str]) -> Option<&'a RawValue> {
    path.iter().try_fold(place.raw?, |raw, key| field(raw, key))
}

/// Each message's own text in the line, split once per line so that a batch of many messages is not parsed again
/// for each of them. Empty if the line cannot be split (the parsed value is then re-serialised instead).
fn raw_messages<'a>(text: &'a str, wrapper_key: Option<&str>, batched: bool) -> Vec<&'a RawValue> {
    let Ok(mut raw) = serde_json::from_str::<&'a RawValue>(text) else {
        return Vec::new();
    };
    if let Some(key) = wrapper_key {
        let Some(inner) = field(raw, key) else {
            return Vec::new();
        };
        raw = inner;
    }
    if !batched {
        return vec![raw];
    }
    serde_json::from_str(raw.get()).unwrap_or_default()
}

fn field<'a>(raw: &'a RawValue, key: &str) -> Option<&'a RawValue> {
    let map: HashMap<String, &'a RawValue> = serde_json::from_str(raw.get()).ok()?;
    map.get(key).copied()
}
