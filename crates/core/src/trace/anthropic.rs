//! Anthropic Messages conversations as JSON Lines (a `{"messages":[…]}` conversation, or one message, per line) and
//! Claude Code session files (one `{"type":…, "message":{…}, "sessionId":…}` record per line).
//!
//! Claude Code writes one line per content block of a model response, each repeating the response's `usage`; the
//! tokens are counted once, on the first line of each response `id`, so totals are not multiplied.

use super::chat::{as_text, content_text, count, prefix, string, text_of, timestamp};
use super::lines::{bad, each_line, json, object, Line, LineResult};
use super::runs::{emit, times_of, Runs};
use super::{Options, Origin, Run, Sink, Step, StepKind, Summary};
use crate::error::Result;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::io::BufRead;

/// What a message's steps inherit from the line around it.
#[derive(Default)]
struct Context {
    origin: Origin,
    at: Option<DateTime<Utc>>,
    source_id: Option<String>,
    parent: Option<String>,
    agent: Option<String>,
    /// False for a later line of a model response already seen: no new model call, no tokens.
    new_response: bool,
}

#[derive(Default)]
struct State {
    runs: Runs,
    loose: Option<String>,
    last_response: Option<String>,
}

pub(super) fn parse<R: BufRead>(input: R, options: &Options, sink: &mut dyn Sink) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut state = State::default();
    each_line(input, options, &mut summary, |line, summary| {
        let map = object(json(line.text)?, "an Anthropic message or Claude Code session line")?;
        let origin = Origin { line: line.number, offset: line.offset };
        if map.contains_key("role") {
            let cx = Context { origin, source_id: string(&map, "id"), new_response: true, ..Context::default() };
            let steps = message(&map, &cx, None)?;
            let run = Run { model: string(&map, "model"), ..state.loose_run(line, &steps) };
            let index = state.runs.keyed(run, sink, summary)?;
            Ok(emit(steps, index, sink, summary)?)
        } else if let Some(messages) = map.get("messages") {
            let steps = conversation(&map, messages, origin)?;
            let (started_at, ended_at) = times_of(&steps);
            let source_id = string(&map, "id").unwrap_or_else(|| format!("line-{}", line.number));
            let run = Run { source_id, model: string(&map, "model"), started_at, ended_at, ..Run::default() };
            let index = state.runs.whole(run, sink, summary)?;
            Ok(emit(steps, index, sink, summary)?)
        } else if let Some(kind) = map.get("type").and_then(Value::as_str) {
            session_line(kind, &map, line, &mut state, sink, summary)
        } else {
            bad("not an Anthropic message: it has no `role`, `messages` or Claude Code `type`")
        }
    })?;
    state.runs.finish(sink)?;
    Ok(summary)
}

impl State {
    fn loose_run(&mut self, line: Line<'_>, steps: &[Step]) -> Run {
        let source_id = self.loose.get_or_insert_with(|| format!("line-{}", line.number)).clone();
        let (started_at, ended_at) = times_of(steps);
        Run { source_id, started_at, ended_at, ..Run::default() }
    }
}

fn conversation(map: &Map<String, Value>, messages: &Value, origin: Origin) -> LineResult<Vec<Step>> {
    let Value::Array(messages) = messages else {
        return bad("`messages` is not a list");
    };
    let mut steps = Vec::new();
    if let Some(system) = text_of(map.get("system")) {
        let mut step = Step::new(StepKind::Message, origin);
        step.name = Some("system".into());
        step.result = Some(system);
        steps.push(step);
    }
    for (i, m) in messages.iter().enumerate() {
        let Value::Object(m) = m else {
            return bad(format!("message {} is not a JSON object", i + 1));
        };
        let cx = Context { origin, source_id: string(m, "id"), new_response: true, ..Context::default() };
        steps.extend(message(m, &cx, Some(i))?);
    }
    Ok(steps)
}

/// One Claude Code record. Types other than user, assistant and system carry no step and are counted as ignored.
fn session_line(
    kind: &str,
    map: &Map<String, Value>,
    line: Line<'_>,
    state: &mut State,
    sink: &mut dyn Sink,
    summary: &mut Summary,
) -> LineResult {
    let mut cx = Context {
        origin: Origin { line: line.number, offset: line.offset },
        at: timestamp(map.get("timestamp")),
        source_id: string(map, "uuid"),
        parent: string(map, "parentUuid"),
        agent: string(map, "agentId"),
        new_response: true,
    };
    let (steps, model) = match kind {
        "user" | "assistant" => {
            let Some(Value::Object(message)) = map.get("message") else {
                return bad(format!("a Claude Code `{kind}` line without a `message` object"));
            };
            if kind == "assistant" {
                let response = string(message, "id");
                cx.new_response = response.is_none() || response != state.last_response;
                state.last_response = response;
            }
            (self::message(message, &cx, None)?, string(message, "model"))
        }
        "system" => (vec![system_step(map, &cx)], None),
        _ => {
            summary.ignored_lines += 1;
            return Ok(());
        }
    };
    let mut run = match string(map, "sessionId") {
        Some(source_id) => {
            let (started_at, ended_at) = times_of(&steps);
            Run { source_id, started_at, ended_at, ..Run::default() }
        }
        None => state.loose_run(line, &steps),
    };
    run.model = model.filter(|m| m != "<synthetic>");
    let index = state.runs.keyed(run, sink, summary)?;
    Ok(emit(steps, index, sink, summary)?)
}

fn system_step(map: &Map<String, Value>, cx: &Context) -> Step {
    let mut step = base(StepKind::Message, cx);
    step.name = Some("system".into());
    step.result = content_text(map.get("content"));
    if map.get("level").and_then(Value::as_str) == Some("error") {
        step.is_error = true;
        step.error = step.result.clone();
    }
    step
}

fn base(kind: StepKind, cx: &Context) -> Step {
    let mut step = Step::new(kind, cx.origin);
    step.at = cx.at;
    step.source_id = cx.source_id.clone();
    step.parent_source_id = cx.parent.clone();
    step.agent = cx.agent.clone();
    step
}

fn message(m: &Map<String, Value>, cx: &Context, index: Option<usize>) -> LineResult<Vec<Step>> {
    let Some(role) = m.get("role").and_then(Value::as_str) else {
        return bad(format!("{}not an Anthropic message: it has no `role`", prefix(index)));
    };
    let blocks = match m.get("content") {
        Some(Value::Array(blocks)) => blocks.as_slice(),
        Some(Value::String(_)) | None | Some(Value::Null) => &[][..],
        Some(other) => {
            return bad(format!("{}`content` is a {}, not text or a list of blocks", prefix(index), json_kind(other)))
        }
    };
    let text = text_of(m.get("content"));
    let mut steps = Vec::new();
    match role {
        "assistant" => {
            if text.is_some() || cx.new_response {
                steps.push(model_turn(m, cx, text));
            }
        }
        "user" if text.is_some() => {
            let mut step = base(StepKind::UserInput, cx);
            step.name = Some("user".into());
            step.result = text;
            steps.push(step);
        }
        "user" => {}
        other => {
            return bad(format!(
                "{}the role `{other}` is not an Anthropic Messages role (only `user` and `assistant`); is this an \
                 OpenAI chat file?",
                prefix(index)
            ))
        }
    }
    for (n, block) in blocks.iter().enumerate() {
        match block_step(block, cx) {
            Ok(Some(step)) => steps.push(step),
            Ok(None) => {}
            Err(e) => return bad(format!("{}content block {}: {e}", prefix(index), n + 1)),
        }
    }
    Ok(steps)
}

fn model_turn(m: &Map<String, Value>, cx: &Context, text: Option<String>) -> Step {
    let mut step = base(StepKind::ModelCall, cx);
    step.name = Some("assistant".into());
    step.model = string(m, "model").filter(|m| m != "<synthetic>");
    step.result = text;
    if cx.new_response {
        let usage = m.get("usage");
        step.input_tokens = count(usage.and_then(|u| u.get("input_tokens")));
        step.output_tokens = count(usage.and_then(|u| u.get("output_tokens")));
    }
    step
}

/// The tool steps in a content block; text, thinking and images have none.
fn block_step(block: &Value, cx: &Context) -> std::result::Result<Option<Step>, String> {
    let kind = block.get("type").and_then(Value::as_str).unwrap_or("");
    if kind == "tool_use" || kind == "server_tool_use" || kind == "mcp_tool_use" {
        let Some(name) = block.get("name").and_then(Value::as_str) else {
            return Err(format!("a `{kind}` block without `name`"));
        };
        let mut step = base(StepKind::ToolCall, cx);
        step.tool = Some(name.to_string());
        step.arguments = block.get("input").and_then(as_text);
        step.call_id = block.get("id").and_then(Value::as_str).map(str::to_string);
        return Ok(Some(step));
    }
    if kind == "tool_result" || kind.ends_with("_tool_result") {
        let Some(call_id) = block.get("tool_use_id").and_then(Value::as_str) else {
            return Err(format!("a `{kind}` block without `tool_use_id`"));
        };
        let mut step = base(StepKind::ToolResult, cx);
        step.call_id = Some(call_id.to_string());
        step.result = content_text(block.get("content"));
        step.is_error = block.get("is_error").and_then(Value::as_bool).unwrap_or(false);
        step.error = step.result.clone().filter(|_| step.is_error);
        return Ok(Some(step));
    }
    Ok(None)
}

fn json_kind(value: &Value) -> &'static str {
    super::lines::json_type(value)
}
