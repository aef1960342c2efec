//! One OTLP span read as a step, through the attribute sets agent frameworks emit: the OpenTelemetry GenAI semantic
//! conventions first, then OpenInference (Arize/Phoenix) and OpenLLMetry (Traceloop). A span none of them describe
//! is still a step (a `message`, or an `error` when it failed), so nothing the agent did is dropped.

use super::attributes::Attributes;
use super::{Origin, Step, StepKind};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// A span's step, with the trace it belongs to.
pub(super) struct SpanStep {
    pub trace_id: String,
    pub step: Step,
}

const MODEL: &[&str] =
    &["gen_ai.response.model", "gen_ai.request.model", "llm.model_name", "llm.response.model", "llm.request.model"];
const INPUT_TOKENS: &[&str] =
    &["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "llm.usage.prompt_tokens"];
const OUTPUT_TOKENS: &[&str] = &[
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "llm.token_count.completion",
    "llm.usage.completion_tokens",
];
const ARGUMENTS: &[&str] =
    &["gen_ai.tool.call.arguments", "gen_ai.input.messages", "input.value", "traceloop.entity.input", "gen_ai.prompt"];
const RESULT: &[&str] = &[
    "gen_ai.tool.call.result",
    "gen_ai.output.messages",
    "output.value",
    "traceloop.entity.output",
    "gen_ai.completion",
];

pub(super) fn span_step(span: &Map<String, Value>, origin: Origin) -> Result<SpanStep, String> {
    let Some(trace_id) = id(span, "traceId", "trace_id") else {
        return Err("a span without `traceId`".into());
    };
    let attrs = Attributes::from_list(span.get("attributes"));
    let mut step = Step::new(StepKind::Message, origin);
    step.name = span.get("name").and_then(Value::as_str).map(str::to_string);
    step.source_id = id(span, "spanId", "span_id");
    step.parent_source_id = id(span, "parentSpanId", "parent_span_id");
    step.at = time(span, "startTimeUnixNano", "start_time_unix_nano")?;
    step.ended_at = time(span, "endTimeUnixNano", "end_time_unix_nano")?;
    step.model = attrs.text(MODEL);
    step.agent = attrs.text(&["gen_ai.agent.name", "agent.name"]);
    step.tool = attrs.text(&["gen_ai.tool.name", "tool.name"]);
    step.call_id = attrs.text(&["gen_ai.tool.call.id", "tool_call.id"]);
    step.arguments = attrs.text(ARGUMENTS);
    step.result = attrs.text(RESULT);
    step.input_tokens = attrs.count(INPUT_TOKENS);
    step.output_tokens = attrs.count(OUTPUT_TOKENS);
    step.cost = attrs.number(&["gen_ai.usage.cost", "llm.cost.total"]);
    failure(span, &attrs, &mut step);
    step.kind = match kind(&attrs, step.parent_source_id.is_some()) {
        Some(kind) => kind,
        None if step.is_error => StepKind::Error,
        None => StepKind::Message,
    };
    traceloop_entity(&attrs, &mut step);
    Ok(SpanStep { trace_id, step })
}

/// What the span was, by the first attribute set that says so.
fn kind(attrs: &Attributes, has_parent: bool) -> Option<StepKind> {
    if let Some(op) = attrs.text(&["gen_ai.operation.name"]) {
        return Some(match op.as_str() {
            "chat" | "text_completion" | "generate_content" | "embeddings" | "completion" => StepKind::ModelCall,
            "execute_tool" => StepKind::ToolCall,
            "invoke_agent" if has_parent => StepKind::Handoff,
            "retrieval" | "retrieve" => StepKind::Retrieval,
            _ => StepKind::Message,
        });
    }
    if let Some(kind) = attrs.text(&["openinference.span.kind"]) {
        return Some(match kind.to_ascii_uppercase().as_str() {
            "LLM" | "EMBEDDING" => StepKind::ModelCall,
            "TOOL" => StepKind::ToolCall,
            "RETRIEVER" | "RERANKER" => StepKind::Retrieval,
            "GUARDRAIL" => StepKind::Guardrail,
            _ => StepKind::Message,
        });
    }
    if let Some(kind) = attrs.text(&["traceloop.span.kind"]) {
        return Some(match kind.as_str() {
            "tool" => StepKind::ToolCall,
            _ => StepKind::Message,
        });
    }
    let is_model = attrs.has("llm.request.type") || attrs.has("gen_ai.system") || attrs.has("gen_ai.request.model");
    is_model.then_some(StepKind::ModelCall)
}

/// OpenLLMetry names tools and agents only through `traceloop.entity.name`.
fn traceloop_entity(attrs: &Attributes, step: &mut Step) {
    let Some(name) = attrs.text(&["traceloop.entity.name"]) else {
        return;
    };
    match attrs.text(&["traceloop.span.kind"]).as_deref() {
        Some("tool") => step.tool = step.tool.take().or(Some(name)),
        Some("agent") => step.agent = step.agent.take().or(Some(name)),
        _ => {}
    }
}

/// `status.code` 2 (ERROR), or an `exception` event, marks the step failed, with the first message given.
fn failure(span: &Map<String, Value>, attrs: &Attributes, step: &mut Step) {
    let status = span.get("status");
    let code = status.and_then(|s| s.get("code"));
    let failed = matches!(code, Some(Value::Number(n)) if n.as_u64() == Some(2))
        || matches!(code, Some(Value::String(s)) if s == "STATUS_CODE_ERROR" || s == "2");
    let mut message = status.and_then(|s| s.get("message")).and_then(Value::as_str).filter(|m| !m.is_empty());
    let exception = span
        .get("events")
        .and_then(Value::as_array)
        .and_then(|events| events.iter().find(|e| e.get("name").and_then(Value::as_str) == Some("exception")));
    let described = exception.map(|e| {
        let ea = Attributes::from_list(e.get("attributes"));
        match (ea.text(&["exception.type"]), ea.text(&["exception.message"])) {
            (Some(t), Some(m)) => format!("{t}: {m}"),
            (t, m) => t.or(m).unwrap_or_else(|| "exception".into()),
        }
    });
    if !failed && exception.is_none() {
        return;
    }
    step.is_error = true;
    let error_type = attrs.text(&["error.type"]);
    step.error = message.take().map(str::to_string).or(described).or(error_type);
}

/// IDs are kept as given (hex, or base64 from some exporters); an empty ID means none.
fn id(span: &Map<String, Value>, key: &str, alias: &str) -> Option<String> {
    span.get(key).or_else(|| span.get(alias)).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}

fn time(span: &Map<String, Value>, key: &str, alias: &str) -> Result<Option<DateTime<Utc>>, String> {
    let nanos: u64 = match span.get(key).or_else(|| span.get(alias)) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => {
            s.trim().parse().map_err(|_| format!("`{key}` is not a whole number of nanoseconds"))?
        }
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| format!("`{key}` is not a whole number of nanoseconds"))?,
        Some(other) => return Err(format!("`{key}` is a {}, not a number", super::lines::json_type(other))),
    };
    if nanos == 0 {
        return Ok(None);
    }
    let secs = (nanos / 1_000_000_000) as i64;
    Ok(DateTime::from_timestamp(secs, (nanos % 1_000_000_000) as u32))
}
