//! The normalised record every trace format is read into: runs and their steps. An incident owner compares what
//! different agent frameworks did in one vocabulary, so nothing here is specific to one format; each step keeps an
//! [`Origin`] so the original bytes can always be shown next to the interpretation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

choices!(
    /// What a step was, in the words an incident owner uses.
    StepKind, "TraceStepKind.ts" {
        UserInput => ("user_input", "User input"),
        ModelCall => ("model_call", "Model call"),
        ToolCall => ("tool_call", "Tool call"),
        ToolResult => ("tool_result", "Tool result"),
        Handoff => ("handoff", "Handoff"),
        Guardrail => ("guardrail", "Guardrail"),
        Retrieval => ("retrieval", "Retrieval"),
        Error => ("error", "Error"),
        Message => ("message", "Message"),
    }
);

choices!(
    /// The trace file formats Firebreak reads.
    Format, "TraceFormat.ts" {
        OtlpJson => ("otlp_json", "OpenTelemetry (OTLP JSON)"),
        OpenAiChat => ("openai_chat", "OpenAI chat completions (JSONL)"),
        AnthropicMessages => ("anthropic_messages", "Anthropic Messages / Claude Code session (JSONL)"),
        McpJsonRpc => ("mcp_jsonrpc", "MCP JSON-RPC transcript (JSONL)"),
    }
);

/// One agent run: an OpenTelemetry trace, a Claude Code session or one conversation.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Run {
    /// The trace, session or conversation ID from the file; `line-N` (the line it starts on) when the format has none,
    /// so that importing the same file twice gives the same IDs.
    pub source_id: String,
    pub agent: Option<String>,
    pub workflow: Option<String>,
    pub model: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// Where a step came from, so it can be shown in the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export_to = "TraceOrigin.ts")]
pub struct Origin {
    /// 1-based line number.
    #[ts(type = "number")]
    pub line: u64,
    /// Byte offset of the start of the line (JSON Lines) or of the span object (a whole OTLP document).
    #[ts(type = "number")]
    pub offset: u64,
}

/// One thing the agent did or was told. Text fields hold the file's text as it was (arguments as the JSON text the
/// model produced), because they are evidence: nothing is reformatted or cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "TraceStep.ts")]
pub struct Step {
    /// Index of the run, as returned by [`super::Sink::run`].
    pub run: usize,
    pub kind: StepKind,
    /// The span name (OTLP) or the message role (chat formats).
    pub name: Option<String>,
    pub at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub agent: Option<String>,
    pub model: Option<String>,
    pub tool: Option<String>,
    /// What went in: tool arguments, a model's input messages, a span's `input.value`.
    pub arguments: Option<String>,
    /// What came out, or a message's text (a user's words, the assistant's reply, a tool's output).
    pub result: Option<String>,
    pub is_error: bool,
    pub error: Option<String>,
    #[ts(type = "number | null")]
    pub input_tokens: Option<u64>,
    #[ts(type = "number | null")]
    pub output_tokens: Option<u64>,
    pub cost: Option<f64>,
    /// Span ID, message UUID or tool-use ID, as given (hex or base64 is not normalised).
    pub source_id: Option<String>,
    /// Kept as given even when no step has that ID: traces are often partial.
    pub parent_source_id: Option<String>,
    /// Links a tool result to its tool call.
    pub call_id: Option<String>,
    pub origin: Origin,
}

impl Step {
    pub fn new(kind: StepKind, origin: Origin) -> Step {
        Step {
            run: 0,
            kind,
            name: None,
            at: None,
            ended_at: None,
            agent: None,
            model: None,
            tool: None,
            arguments: None,
            result: None,
            is_error: false,
            error: None,
            input_tokens: None,
            output_tokens: None,
            cost: None,
            source_id: None,
            parent_source_id: None,
            call_id: None,
            origin,
        }
    }
}
