//! OpenAI chat-completions conversations as JSON Lines: a line is a `{"messages":[…]}` conversation (one run), or
//! one message (all such lines of a file are one run, named after the first).

use super::chat::{as_text, content_text, prefix, string, text_of};
use super::lines::{bad, each_line, json, object, Line, LineResult};
use super::runs::{emit, times_of, Runs};
use super::{Options, Origin, Run, Sink, Step, StepKind, Summary};
use crate::error::Result;
use serde_json::{Map, Value};
use std::io::BufRead;

pub(super) fn parse<R: BufRead>(input: R, options: &Options, sink: &mut dyn Sink) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut runs = Runs::default();
    let mut loose: Option<String> = None;
    each_line(input, options, &mut summary, |line, summary| {
        let map = object(json(line.text)?, "an OpenAI chat message")?;
        let origin = Origin { line: line.number, offset: line.offset };
        if let Some(messages) = map.get("messages") {
            let steps = conversation(messages, origin)?;
            let run = conversation_run(&map, line, &steps);
            let index = runs.whole(run, sink, summary)?;
            Ok(emit(steps, index, sink, summary)?)
        } else if map.contains_key("role") {
            let steps = message(&map, origin, None)?;
            let source_id = loose.get_or_insert_with(|| format!("line-{}", line.number)).clone();
            let (started_at, ended_at) = times_of(&steps);
            let index = runs.keyed(Run { source_id, started_at, ended_at, ..Run::default() }, sink, summary)?;
            Ok(emit(steps, index, sink, summary)?)
        } else {
            bad("not an OpenAI chat message: it has no `role` (nor `messages`)")
        }
    })?;
    runs.finish(sink)?;
    Ok(summary)
}

fn conversation_run(map: &Map<String, Value>, line: Line<'_>, steps: &[Step]) -> Run {
    let (started_at, ended_at) = times_of(steps);
    Run {
        source_id: string(map, "id")
            .or_else(|| string(map, "conversation_id"))
            .unwrap_or_else(|| format!("line-{}", line.number)),
        model: string(map, "model"),
        started_at,
        ended_at,
        ..Run::default()
    }
}

fn conversation(messages: &Value, origin: Origin) -> LineResult<Vec<Step>> {
    let Value::Array(messages) = messages else {
        return bad("`messages` is not a list");
    };
    let mut steps = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        let Value::Object(m) = m else {
            return bad(format!("message {} is not a JSON object", i + 1));
        };
        steps.extend(message(m, origin, Some(i))?);
    }
    Ok(steps)
}

fn message(m: &Map<String, Value>, origin: Origin, index: Option<usize>) -> LineResult<Vec<Step>> {
    let Some(role) = m.get("role").and_then(Value::as_str) else {
        return bad(format!("{}not an OpenAI chat message: it has no `role`", prefix(index)));
    };
    if let Some(block) = anthropic_block(m.get("content")) {
        return bad(format!(
            "{}a `{block}` content block is Anthropic's, not OpenAI's; is this an Anthropic Messages file?",
            prefix(index)
        ));
    }
    let mut step = Step::new(StepKind::Message, origin);
    step.name = Some(role.to_string());
    step.agent = string(m, "name");
    match role {
        "user" => {
            step.kind = StepKind::UserInput;
            step.result = content_text(m.get("content"));
        }
        "assistant" => return assistant(m, step, index),
        "tool" => {
            let Some(call_id) = string(m, "tool_call_id") else {
                return bad(format!("{}a `tool` message without `tool_call_id`", prefix(index)));
            };
            step.kind = StepKind::ToolResult;
            step.agent = None;
            step.call_id = Some(call_id);
            step.result = content_text(m.get("content"));
        }
        "function" => {
            step.kind = StepKind::ToolResult;
            step.agent = None;
            step.tool = string(m, "name");
            step.result = content_text(m.get("content"));
        }
        _ => step.result = content_text(m.get("content")),
    }
    Ok(vec![step])
}

/// A model turn, then one tool call step per call it asked for.
fn assistant(m: &Map<String, Value>, mut turn: Step, index: Option<usize>) -> LineResult<Vec<Step>> {
    turn.kind = StepKind::ModelCall;
    turn.result = text_of(m.get("content")).or_else(|| string(m, "refusal"));
    let mut steps = vec![];
    let calls = match m.get("tool_calls") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(calls)) => calls.as_slice(),
        Some(_) => return bad(format!("{}`tool_calls` is not a list", prefix(index))),
    };
    for (n, call) in calls.iter().enumerate() {
        let function = call.get("function").unwrap_or(&Value::Null);
        let Some(name) = function.get("name").and_then(Value::as_str) else {
            return bad(format!("{}tool call {} has no `function.name`", prefix(index), n + 1));
        };
        let id = call.get("id").and_then(Value::as_str).map(str::to_string);
        steps.push(tool_call(&turn, name, function.get("arguments"), id));
    }
    if let Some(function) = m.get("function_call").filter(|f| !f.is_null()) {
        let Some(name) = function.get("name").and_then(Value::as_str) else {
            return bad(format!("{}`function_call` has no `name`", prefix(index)));
        };
        steps.push(tool_call(&turn, name, function.get("arguments"), None));
    }
    steps.insert(0, turn);
    Ok(steps)
}

fn tool_call(turn: &Step, name: &str, arguments: Option<&Value>, call_id: Option<String>) -> Step {
    let mut step = Step::new(StepKind::ToolCall, turn.origin);
    step.agent = turn.agent.clone();
    step.tool = Some(name.to_string());
    step.arguments = arguments.and_then(as_text);
    step.call_id = call_id;
    step
}

/// Content blocks that only Anthropic uses, to refuse a file read with the wrong format instead of misreading it.
fn anthropic_block(content: Option<&Value>) -> Option<&str> {
    let Some(Value::Array(parts)) = content else {
        return None;
    };
    parts.iter().filter_map(|p| p.get("type")?.as_str()).find(|t| matches!(*t, "tool_use" | "tool_result"))
}
