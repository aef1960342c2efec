//! The MCP JSON-RPC transcript parser against its samples (see `data/traces/README.md`): a transcript is one run
//! whose tool calls link to their results by JSON-RPC `id`, whose errors (a tool's `isError`, a JSON-RPC `error`, an
//! error log line) are flagged, and whose `tools/list` keeps the tools' annotations; plus the files that go wrong
//! (cut short, wrong format, huge, not UTF-8) and a no-panic fuzz run.

mod common;

use chrono::{DateTime, Utc};
use common::fuzz::Mutator;
use common::trace_fuzz::no_input_panics;
use firebreak_core::trace::{self, detect, Collected, Format, Options, Run, Step, StepKind, Summary};

const MCP: &str = include_str!("data/traces/mcp_jsonrpc.jsonl");
const MCP_BARE: &str = include_str!("data/traces/mcp_jsonrpc_bare.jsonl");
const OPENAI: &str = include_str!("data/traces/openai_chat.jsonl");
const ANTHROPIC: &str = include_str!("data/traces/anthropic_messages.jsonl");
const CLAUDE_CODE: &str = include_str!("data/traces/claude_code_session.jsonl");
const OTLP_GENAI: &str = include_str!("data/traces/otlp_genai.jsonl");

fn read(text: &str) -> (Collected, Summary) {
    trace::parse_bytes(Format::McpJsonRpc, text.as_bytes(), &Options::default()).unwrap()
}

fn refused(format: Format, bytes: &[u8]) -> String {
    trace::parse_bytes(format, bytes, &Options::default()).unwrap_err().to_string()
}

fn skipping() -> Options {
    Options { skip_invalid: true, ..Options::default() }
}

fn time(text: &str) -> Option<DateTime<Utc>> {
    text.parse().ok()
}

fn kinds(steps: &[Step]) -> Vec<StepKind> {
    steps.iter().map(|s| s.kind).collect()
}

#[test]
fn a_wrapped_transcript_is_one_run_named_by_its_session_with_client_server_and_model() {
    let (got, summary) = read(MCP);
    assert_eq!((summary.runs, summary.steps, summary.lines, summary.ignored_lines), (1, 15, 17, 2));
    assert!(summary.skipped.is_empty());
    assert_eq!(
        got.runs[0],
        Run {
            source_id: "4f1c2b9e-8d7a-4e61-b3f0-6a5d9c2e1b70".into(),
            agent: Some("ExampleClient".into()),
            workflow: Some("ExampleServer".into()),
            model: Some("claude-3-sonnet-20240307".into()),
            started_at: time("2026-02-03T14:00:00Z"),
            ended_at: time("2026-02-03T14:00:07.005Z"),
        }
    );
    use StepKind::*;
    assert_eq!(
        kinds(&got.steps),
        [
            Message, Message, Message, Message, ToolCall, ToolResult, ToolCall, ToolResult, Error, ToolCall,
            ToolResult, ModelCall, Message, Message, Message
        ]
    );
    let names: Vec<_> = got.steps.iter().map(|s| s.name.as_deref()).collect();
    assert_eq!(
        names,
        [
            Some("initialize"),
            Some("initialize"),
            Some("tools/list"),
            Some("tools/list"),
            Some("tools/call"),
            None,
            Some("tools/call"),
            None,
            Some("notifications/message"),
            Some("tools/call"),
            None,
            Some("sampling/createMessage"),
            Some("sampling/createMessage"),
            Some("ping"),
            Some("ping")
        ]
    );
    let places: Vec<_> = got.steps.iter().map(|s| (s.origin.line, s.origin.offset)).collect();
    assert_eq!(
        places,
        [
            (1, 0),
            (2, 381),
            (4, 952),
            (5, 1132),
            (6, 1929),
            (8, 2464),
            (9, 2768),
            (10, 3038),
            (11, 3300),
            (12, 3599),
            (13, 3826),
            (14, 4046),
            (15, 4503),
            (16, 4808),
            (17, 4970)
        ]
    );
    assert_eq!(&MCP[1929..1930], "{");
    assert!(got.steps.iter().all(|s| s.run == 0));
}

#[test]
fn tool_calls_link_to_their_results_by_id_and_keep_their_errors() {
    let (got, _) = read(MCP);
    let weather = &got.steps[4];
    assert_eq!(weather.tool.as_deref(), Some("get_weather"));
    assert_eq!(weather.arguments.as_deref(), Some(r#"{"location":"Zürich 🌧 東京","units":"metric"}"#));
    assert_eq!(weather.call_id.as_deref(), Some("2"));
    assert_eq!(weather.at, time("2026-02-03T14:00:02Z"));
    let answer = &got.steps[5];
    assert_eq!(answer.call_id.as_deref(), Some("2"));
    assert_eq!(answer.result.as_deref(), Some("Current weather in Zürich:\nTemperature: 4°C, Conditions: Rain 🌧"));
    assert!(!answer.is_error);
    assert_eq!(answer.error, None);

    let delete = &got.steps[6];
    assert_eq!(delete.tool.as_deref(), Some("delete_records"));
    assert_eq!(delete.arguments.as_deref(), Some(r#"{"table":"orders","where":"created_at < '2025-01-01'"}"#));
    let denied = &got.steps[7];
    assert_eq!(denied.call_id.as_deref(), Some("3"));
    assert!(denied.is_error);
    assert_eq!(denied.error.as_deref(), Some("Failed to delete: permission denied for table orders"));

    let log = &got.steps[8];
    assert!(log.is_error);
    assert_eq!(log.agent.as_deref(), Some("database"));
    assert_eq!(
        log.error.as_deref(),
        Some(r#"{"error":"Connection failed","details":{"host":"localhost","port":5432}}"#)
    );

    let unknown = &got.steps[9];
    assert_eq!((unknown.tool.as_deref(), unknown.arguments.as_deref()), (Some("invalid_tool_name"), Some("{}")));
    let rpc_error = &got.steps[10];
    assert_eq!(rpc_error.call_id.as_deref(), Some("req-4"));
    assert!(rpc_error.is_error);
    assert_eq!(rpc_error.error.as_deref(), Some("-32602: Unknown tool: invalid_tool_name"));
}

#[test]
fn tools_list_keeps_the_annotations_as_the_file_wrote_them_and_sampling_is_a_model_call() {
    let (got, _) = read(MCP);
    let list = got.steps[3].result.as_deref().unwrap();
    let line = MCP.lines().nth(4).unwrap();
    assert!(line.contains(list), "the result's text is the file's own");
    assert!(list.starts_with(r#"{"tools":[{"name":"get_weather""#));
    assert!(list.contains(r#""annotations":{"readOnlyHint":false,"destructiveHint":true,"idempotentHint":false"#));
    assert_eq!(got.steps[2].arguments.as_deref(), Some("{}"), "the request's params");

    let init = &got.steps[0];
    assert!(init.arguments.as_deref().unwrap().contains(r#""clientInfo":{"name":"ExampleClient""#));
    assert!(got.steps[1].result.as_deref().unwrap().contains(r#""serverInfo":{"name":"ExampleServer""#));

    let (ask, answer) = (&got.steps[11], &got.steps[12]);
    assert_eq!(ask.model.as_deref(), Some("claude-3-sonnet"), "the client's model hint");
    assert!(ask.arguments.as_deref().unwrap().contains("What is the capital of France?"));
    assert_eq!(ask.call_id.as_deref(), Some("s-1"));
    assert_eq!(answer.call_id, ask.call_id);
    assert_eq!(answer.model.as_deref(), Some("claude-3-sonnet-20240307"));
    assert_eq!(answer.result.as_deref(), Some("The capital of France is Paris."));
    assert_eq!(got.steps[14].result.as_deref(), Some("{}"));
}

#[test]
fn bare_messages_batches_epoch_millis_and_a_response_without_its_request_are_read() {
    let (got, summary) = read(MCP_BARE);
    assert_eq!((summary.runs, summary.steps, summary.lines, summary.ignored_lines), (1, 5, 5, 0));
    assert_eq!(got.runs[0].source_id, "line-1");
    assert_eq!(got.runs[0].agent.as_deref(), Some("mcp-inspector"));
    assert_eq!(got.runs[0].workflow.as_deref(), Some("filesystem"));
    use StepKind::*;
    assert_eq!(kinds(&got.steps), [Message, Message, ToolCall, ToolResult, ToolResult]);
    let call = &got.steps[2];
    assert_eq!((call.origin.line, call.origin.offset), (3, 312));
    assert_eq!(call.arguments.as_deref(), Some(r#"{"path":"/srv/notes/résumé.txt"}"#), "found inside the batch");
    let result = &got.steps[3];
    assert_eq!(result.call_id.as_deref(), Some("2"));
    assert_eq!(result.result.as_deref(), Some(r#"{"text":"Привет","bytes":12}"#), "structured content, as written");
    assert_eq!(result.at, time("2026-02-03T14:00:02.500Z"));
    let orphan = &got.steps[4];
    assert_eq!((orphan.call_id.as_deref(), orphan.is_error), (Some("9"), true));
    assert_eq!(orphan.error.as_deref(), Some("late answer"));
}

#[test]
fn wrapper_times_in_seconds_and_other_keys_are_read() {
    let text = concat!(
        r#"{"ts":1770127200.25,"dir":"in","msg":{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x"}}}"#,
        "\n",
        r#"{"time":1770127201,"direction":"recv","data":[{"jsonrpc":"2.0","id":7,"result":{"content":[]}}]}"#,
        "\n",
    );
    let (got, _) = read(text);
    assert_eq!(got.steps[0].at, time("2026-02-03T14:00:00.250Z"));
    assert_eq!(got.steps[0].arguments, None);
    assert_eq!(got.steps[1].at, time("2026-02-03T14:00:01Z"));
    assert_eq!((got.steps[1].kind, got.steps[1].call_id.as_deref()), (StepKind::ToolResult, Some("7")));
    assert_eq!(got.steps[1].result.as_deref(), Some("[]"));
}

#[test]
fn detect_names_mcp_and_still_names_the_other_samples() {
    assert_eq!(detect(MCP.as_bytes()), Some(Format::McpJsonRpc));
    assert_eq!(detect(MCP_BARE.as_bytes()), Some(Format::McpJsonRpc));
    assert_eq!(detect(&MCP.as_bytes()[..200]), Some(Format::McpJsonRpc), "a cut first line");
    assert_eq!(detect(OPENAI.as_bytes()), Some(Format::OpenAiChat));
    assert_eq!(detect(ANTHROPIC.as_bytes()), Some(Format::AnthropicMessages));
    assert_eq!(detect(CLAUDE_CODE.as_bytes()), Some(Format::AnthropicMessages));
    assert_eq!(detect(OTLP_GENAI.as_bytes()), Some(Format::OtlpJson));
}

#[test]
fn a_wrongly_chosen_format_fails_on_its_first_line() {
    let cases = [
        (OPENAI, "line 1: not a JSON-RPC message: it has no `jsonrpc`, `method`, `result` or `error`"),
        (ANTHROPIC, "line 1: not a JSON-RPC message"),
        (OTLP_GENAI, "line 1: not a JSON-RPC message"),
        (CLAUDE_CODE, "line 1: not a JSON-RPC message"),
    ];
    for (text, expected) in cases {
        let message = refused(Format::McpJsonRpc, text.as_bytes());
        assert!(message.starts_with(expected), "{message}");
    }
    let message = refused(Format::McpJsonRpc, br#"{"type":"user","message":{"role":"user","content":"hi"}}"#);
    assert_eq!(
        message,
        "line 1: not a JSON-RPC message: its `message` has no `jsonrpc`, `method`, `result` or `error`"
    );
    let message = refused(Format::McpJsonRpc, br#"{"jsonrpc":"1.0","id":1,"method":"x"}"#);
    assert!(message.starts_with("line 1: `jsonrpc` is \"1.0\", not \"2.0\""), "{message}");
    let message = refused(Format::McpJsonRpc, b"{\"jsonrpc\":\"2.0\",\"id\":1}\n[]\n");
    assert_eq!(message, "line 1: a JSON-RPC message with no `method`, `result` or `error`");
    let message = refused(Format::McpJsonRpc, b"[{\"jsonrpc\":\"2.0\",\"method\":\"x\"},3]\n");
    assert_eq!(message, "line 1: batch item 2: not a JSON-RPC message: it is a JSON number, not an object");
    let message = refused(Format::McpJsonRpc, b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}");
    assert_eq!(message, "line 1: a `tools/call` request without `params.name`");

    for format in Format::ALL.iter().copied().filter(|f| *f != Format::McpJsonRpc) {
        for text in [MCP, MCP_BARE] {
            match trace::parse_bytes(format, text.as_bytes(), &Options::default()) {
                Err(e) => assert!(e.to_string().starts_with("line 1: "), "{format}: {e}"),
                Ok((got, _)) => {
                    assert!(got.steps.iter().all(|s| s.kind != StepKind::ToolCall), "{format} read MCP into tool calls")
                }
            }
        }
    }
}

#[test]
fn a_truncated_last_line_is_refused_by_number_or_skipped_with_the_rest_imported() {
    let cut = &MCP[..MCP.len() - 30];
    let message = refused(Format::McpJsonRpc, cut.as_bytes());
    assert!(message.starts_with("line 17: not JSON: it ends before its JSON does"), "{message}");
    let (got, summary) = trace::parse_bytes(Format::McpJsonRpc, cut.as_bytes(), &skipping()).unwrap();
    assert_eq!((summary.runs, summary.steps, got.steps.len()), (1, 14, 14));
    assert_eq!((summary.skipped.len(), summary.skipped[0].line, summary.skipped_total), (1, 17, 1));
}

#[test]
fn a_ten_megabyte_argument_is_kept_whole() {
    let arguments = serde_json::json!({ "body": "é🎉مرحبا退款\u{202e}".repeat(400_000), "z": 1, "a": 2 }).to_string();
    assert!(arguments.len() > 10_000_000);
    let line = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"send","arguments":{arguments}}}}}"#
    );
    let (got, _) = read(&line);
    assert_eq!(got.steps[0].arguments.as_deref(), Some(arguments.as_str()));
}

/// Each message's text is found in its own slice of the line: a batch of many calls is not parsed again per call.
#[test]
fn a_batch_of_fifty_thousand_calls_keeps_each_ones_arguments() {
    let call = |i: usize| {
        format!(r#"{{"jsonrpc":"2.0","id":{i},"method":"tools/call","params":{{"name":"t","arguments":{{"n":{i}}}}}}}"#)
    };
    let line = format!("[{}]", (0..50_000).map(call).collect::<Vec<_>>().join(","));
    let started = std::time::Instant::now();
    let (got, _) = read(&line);
    assert_eq!(got.steps.len(), 50_000);
    assert_eq!(got.steps[49_999].arguments.as_deref(), Some(r#"{"n":49999}"#));
    assert_eq!(got.steps[49_999].call_id.as_deref(), Some("49999"));
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "{:?}", started.elapsed());
}

#[test]
fn a_line_that_is_not_utf8_is_named_not_altered() {
    let bytes =
        b"{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1}\n{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"\xff\"}\n";
    let message = refused(Format::McpJsonRpc, bytes);
    assert!(message.starts_with("line 2: not UTF-8 text (an invalid byte at column 35)"), "{message}");
    let (got, summary) = trace::parse_bytes(Format::McpJsonRpc, bytes, &skipping()).unwrap();
    assert_eq!((got.steps.len(), summary.skipped[0].line), (1, 2));
}

// ---- fuzzing ----

const PIECES: &[&[u8]] = &[
    b"\"",
    b",",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"\n",
    b"\r\n",
    b"\0",
    b"\xff\xfe",
    b"\xc3",
    b"null",
    b"\"jsonrpc\":\"2.0\"",
    b"\"jsonrpc\":2",
    b"\"method\":\"tools/call\"",
    b"\"id\":null",
    b"\"id\":1e400",
    b"\"ts\":-1",
    b"\"ts\":1e300",
    b"\"message\":[",
    b"\"result\":{\"content\":",
    b"\"error\":{\"code\":",
    b"\"isError\":true",
    b"99999999999999999999999",
];

const MUTATOR: Mutator = Mutator { pieces: PIECES, long_bytes: b"x\"{[\n", long_max: 20_000, copy_max: 200 };

/// `FUZZ_SECONDS` runs for that long (seed `FUZZ_SEED`); otherwise a fixed number of cases from a fixed seed.
#[test]
fn no_mcp_input_makes_a_parser_or_detect_panic() {
    no_input_panics("mcp trace parser", 0x3c9_7a11, &[MCP, MCP_BARE], &MUTATOR);
}
