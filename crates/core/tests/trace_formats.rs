//! The trace parsers against samples of each format (see `data/traces/README.md` for where each comes from): what an
//! incident owner relies on — runs, steps, tool calls linked to results, errors, tokens, times and the line each step
//! came from — plus the files that go wrong (cut short, wrong format, huge, not UTF-8), and a no-panic fuzz run.

mod common;

use chrono::{DateTime, TimeZone, Utc};
use common::fuzz::Mutator;
use common::trace_fuzz::no_input_panics;
use firebreak_core::trace::{self, detect, Collected, Format, Options, Run, Sink, Step, StepKind, Summary};
use firebreak_core::Error;

const OTLP_PROTO: &str = include_str!("data/traces/otlp_proto_example.json");
const OTLP_GENAI: &str = include_str!("data/traces/otlp_genai.jsonl");
const OPENAI: &str = include_str!("data/traces/openai_chat.jsonl");
const ANTHROPIC: &str = include_str!("data/traces/anthropic_messages.jsonl");
const CLAUDE_CODE: &str = include_str!("data/traces/claude_code_session.jsonl");
const MCP: &str = include_str!("data/traces/mcp_jsonrpc.jsonl");

fn read(format: Format, text: &str) -> (Collected, Summary) {
    trace::parse_bytes(format, text.as_bytes(), &Options::default()).unwrap()
}

fn refused(format: Format, bytes: &[u8]) -> String {
    trace::parse_bytes(format, bytes, &Options::default()).unwrap_err().to_string()
}

fn skipping() -> Options {
    Options { skip_invalid: true, ..Options::default() }
}

fn at(secs: i64, millis: u32) -> Option<DateTime<Utc>> {
    Some(Utc.timestamp_opt(secs, millis * 1_000_000).unwrap())
}

fn kinds(steps: &[Step]) -> Vec<StepKind> {
    steps.iter().map(|s| s.kind).collect()
}

#[test]
fn the_otlp_proto_example_is_one_run_of_one_span_placed_at_its_line() {
    let (got, summary) = read(Format::OtlpJson, OTLP_PROTO);
    assert_eq!((summary.runs, summary.steps), (1, 1));
    assert_eq!(
        got.runs[0],
        Run {
            source_id: "5B8EFFF798038103D269B633813FC60C".into(),
            workflow: Some("my.service".into()),
            started_at: at(1_544_712_660, 0),
            ended_at: at(1_544_712_661, 0),
            ..Run::default()
        }
    );
    let span = &got.steps[0];
    assert_eq!(span.kind, StepKind::Message);
    assert_eq!(span.name.as_deref(), Some("I'm a server span"));
    assert_eq!(span.source_id.as_deref(), Some("EEE19B7EC3C1B174"));
    assert_eq!(span.parent_source_id.as_deref(), Some("EEE19B7EC3C1B173"), "a parent not in the file is kept");
    assert_eq!((span.origin.line, span.origin.offset), (29, 615));
    assert_eq!(&OTLP_PROTO[615..616], "{");
}

#[test]
fn otlp_genai_spans_out_of_order_over_lines_make_two_runs_with_tools_errors_and_tokens() {
    let (got, summary) = read(Format::OtlpJson, OTLP_GENAI);
    assert_eq!((summary.runs, summary.steps, summary.lines), (2, 6, 2));
    assert!(summary.skipped.is_empty());
    let refund = &got.runs[0];
    assert_eq!(refund.source_id, "0af7651916cd43dd8448eb211c80319c");
    assert_eq!(refund.agent.as_deref(), Some("RefundAgent"), "learnt from a span after the first");
    assert_eq!(refund.model.as_deref(), Some("gpt-4o-2024-08-06"));
    assert_eq!(refund.workflow.as_deref(), Some("refund-agent"));
    assert_eq!((refund.started_at, refund.ended_at), (at(1_767_261_600, 0), at(1_767_261_604, 0)));
    assert_eq!(got.runs[1].source_id, "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(got.runs[1].model.as_deref(), Some("gpt-3.5-turbo"));

    use StepKind::*;
    assert_eq!(kinds(&got.steps), [ToolCall, Message, ModelCall, ModelCall, ToolCall, ModelCall]);
    assert_eq!(got.steps.iter().map(|s| s.run).collect::<Vec<_>>(), [0, 0, 0, 0, 1, 1]);

    let tool = &got.steps[0];
    assert_eq!(tool.tool.as_deref(), Some("issue_refund"));
    assert_eq!(tool.call_id.as_deref(), Some("call_VSPygqKTWdrhaFErNvMV18Yl"));
    assert_eq!(
        tool.arguments.as_deref(),
        Some(r#"{"order_id":"A-1009","amount":120.5,"note":"Rückerstattung 🎉 مرحبا 退款"}"#)
    );
    assert!(tool.is_error);
    assert_eq!(tool.error.as_deref(), Some("PaymentGatewayError: card processor timed out"));
    assert_eq!((tool.at, tool.ended_at), (at(1_767_261_602, 0), at(1_767_261_602, 500)));
    assert_eq!(tool.parent_source_id.as_deref(), Some("b7ad6b7169203331"), "its parent comes later in the line");

    let agent = &got.steps[1];
    assert_eq!((agent.agent.as_deref(), agent.parent_source_id.as_deref()), (Some("RefundAgent"), None));
    assert!(!agent.is_error, "an empty status is not an error");

    let chat = &got.steps[2];
    assert_eq!((chat.input_tokens, chat.output_tokens), (Some(97), Some(52)));
    let openinference = &got.steps[3];
    assert_eq!(openinference.model.as_deref(), Some("gpt-4o-mini"));
    assert_eq!((openinference.input_tokens, openinference.output_tokens), (Some(180), Some(21)));
    assert_eq!(openinference.result.as_deref(), Some("The refund could not be issued; I have escalated it."));
    let lookup = &got.steps[4];
    assert_eq!(lookup.tool.as_deref(), Some("lookup_order"));
    assert_eq!(lookup.arguments.as_deref(), Some(r#"{"order_id":"A-1009"}"#));
    assert_eq!(lookup.result.as_deref(), Some(r#"{"status":"shipped"}"#));
    assert_eq!(lookup.parent_source_id.as_deref(), Some("deadbeefdeadbeef"), "a missing parent is kept as given");
    let openllmetry = &got.steps[5];
    assert_eq!((openllmetry.input_tokens, openllmetry.output_tokens), (Some(12), Some(7)));
    assert_eq!((got.steps[0].origin.line, got.steps[0].origin.offset), (1, 0));
    assert_eq!((got.steps[3].origin.line, got.steps[3].origin.offset), (2, 2325));
}

#[test]
fn openai_chat_links_each_tool_call_to_its_result_and_groups_loose_messages_into_one_run() {
    let (got, summary) = read(Format::OpenAiChat, OPENAI);
    assert_eq!((summary.runs, summary.steps), (2, 10));
    assert_eq!(got.runs.iter().map(|r| r.source_id.as_str()).collect::<Vec<_>>(), ["line-1", "line-2"]);
    use StepKind::*;
    assert_eq!(
        kinds(&got.steps),
        [Message, UserInput, ModelCall, ToolCall, ToolCall, ToolResult, ToolResult, ModelCall, UserInput, ModelCall]
    );
    let (refund, email) = (&got.steps[3], &got.steps[4]);
    assert_eq!(refund.tool.as_deref(), Some("issue_refund"));
    assert_eq!(refund.arguments.as_deref(), Some(r#"{"order_id":"A-1009","amount":120.5}"#));
    assert_eq!(email.tool.as_deref(), Some("send_email"));
    for (call, result) in [(3, 5), (4, 6)] {
        assert!(got.steps[call].call_id.is_some());
        assert_eq!(got.steps[call].call_id, got.steps[result].call_id);
    }
    assert_eq!(got.steps[6].result.as_deref(), Some(r#"{"error":"SMTP relay refused"}"#));
    assert!(!got.steps[6].is_error, "OpenAI chat has no error flag; none is guessed");
    assert_eq!(got.steps[7].result.as_deref(), Some("The refund R-77 was issued, but the email could not be sent."));
    assert_eq!(got.steps[2].result, None);
    assert_eq!(got.steps[1].result.as_deref(), Some("Refund order A-1009 and email the customer."));
    assert_eq!(got.steps.iter().map(|s| s.origin.line).collect::<Vec<_>>(), [1, 1, 1, 1, 1, 1, 1, 1, 2, 3]);
    assert_eq!((got.steps[9].origin.offset, got.steps[9].run), (891, 1));
}

#[test]
fn anthropic_conversations_link_tool_use_to_tool_result_and_keep_the_error_flag() {
    let (got, summary) = read(Format::AnthropicMessages, ANTHROPIC);
    assert_eq!((summary.runs, summary.steps), (1, 9));
    assert_eq!(got.runs[0].model.as_deref(), Some("claude-sonnet-4-5"));
    use StepKind::*;
    assert_eq!(
        kinds(&got.steps),
        [Message, UserInput, ModelCall, ToolCall, ToolResult, ModelCall, ToolCall, ToolResult, ModelCall]
    );
    assert_eq!(got.steps[3].arguments.as_deref(), Some(r#"{"command":"df -h /"}"#));
    assert_eq!(got.steps[3].call_id.as_deref(), Some("toolu_01A09q90qw90lq917835lq9"));
    assert_eq!(got.steps[3].call_id, got.steps[4].call_id);
    assert!(!got.steps[4].is_error);
    let denied = &got.steps[7];
    assert_eq!(denied.call_id.as_deref(), Some("toolu_01B"));
    assert!(denied.is_error);
    assert_eq!(denied.error.as_deref(), Some("rm: cannot remove '/var/lib/postgresql/backups': Permission denied"));
    assert_eq!(got.steps[8].result.as_deref(), Some("I could not delete the backups: permission denied."));
}

#[test]
fn a_claude_code_session_is_one_run_whose_split_response_counts_its_tokens_once() {
    let (got, summary) = read(Format::AnthropicMessages, CLAUDE_CODE);
    assert_eq!((summary.runs, summary.steps, summary.lines, summary.ignored_lines), (1, 5, 7, 2));
    assert_eq!(
        got.runs[0],
        Run {
            source_id: "7f3e2a10-5c4b-4d2e-9a8f-1b2c3d4e5f60".into(),
            model: Some("claude-sonnet-4-5-20250929".into()),
            started_at: "2026-01-05T09:30:00Z".parse().ok(),
            ended_at: "2026-01-05T09:30:09Z".parse().ok(),
            ..Run::default()
        }
    );
    use StepKind::*;
    assert_eq!(kinds(&got.steps), [UserInput, ModelCall, ToolCall, ToolResult, ModelCall]);
    let tokens: Vec<_> = got.steps.iter().map(|s| (s.input_tokens, s.output_tokens)).collect();
    assert_eq!(tokens, [(None, None), (Some(4), Some(87)), (None, None), (None, None), (Some(6), Some(19))]);
    let (call, result) = (&got.steps[2], &got.steps[3]);
    assert_eq!(call.tool.as_deref(), Some("Bash"));
    assert_eq!(call.call_id.as_deref(), Some("toolu_01Jq8c2sY"));
    assert_eq!(result.call_id, call.call_id);
    assert!(result.is_error);
    assert_eq!(result.error.as_deref(), Some("Failed to restart shop-api.service: Access denied"));
    assert_eq!(result.at, "2026-01-05T09:30:06Z".parse().ok());
    assert_eq!(call.source_id.as_deref(), Some("a3c5e7f9-0000-4000-8000-000000000003"));
    assert_eq!(call.parent_source_id.as_deref(), Some("a3c5e7f9-0000-4000-8000-000000000002"));
    let places: Vec<_> = got.steps.iter().map(|s| (s.origin.line, s.origin.offset)).collect();
    assert_eq!(places, [(2, 108), (3, 479), (4, 1188), (5, 1999), (7, 2788)]);
}

#[test]
fn detect_names_each_sample_format_and_nothing_for_empty_or_unrelated_bytes() {
    assert_eq!(detect(OTLP_PROTO.as_bytes()), Some(Format::OtlpJson));
    assert_eq!(detect(OTLP_GENAI.as_bytes()), Some(Format::OtlpJson));
    assert_eq!(detect(OPENAI.as_bytes()), Some(Format::OpenAiChat));
    assert_eq!(detect(ANTHROPIC.as_bytes()), Some(Format::AnthropicMessages));
    assert_eq!(detect(CLAUDE_CODE.as_bytes()), Some(Format::AnthropicMessages));
    assert_eq!(detect(&CLAUDE_CODE.as_bytes()[..300]), Some(Format::AnthropicMessages), "a cut first line");
    assert_eq!(detect(b""), None);
    assert_eq!(detect(b"   \n"), None);
    assert_eq!(detect(b"timestamp,level,message\n"), None);
}

#[test]
fn a_truncated_last_line_is_refused_by_number_or_skipped_with_the_rest_imported() {
    let cut = &OPENAI[..OPENAI.len() - 20];
    let message = refused(Format::OpenAiChat, cut.as_bytes());
    assert!(message.starts_with("line 3: not JSON: it ends before its JSON does"), "{message}");
    assert!(message.contains("cut short"), "{message}");
    let (got, summary) = trace::parse_bytes(Format::OpenAiChat, cut.as_bytes(), &skipping()).unwrap();
    assert_eq!((summary.runs, summary.steps, got.steps.len()), (2, 9, 9));
    assert_eq!(summary.skipped.len(), 1);
    assert_eq!(summary.skipped[0].line, 3);
    assert_eq!(summary.skipped_total, 1);

    let cut = &CLAUDE_CODE[..CLAUDE_CODE.len() - 40];
    assert!(refused(Format::AnthropicMessages, cut.as_bytes()).starts_with("line 7: "));
    let cut = &OTLP_GENAI[..OTLP_GENAI.len() - 40];
    let message = refused(Format::OtlpJson, cut.as_bytes());
    assert!(message.starts_with("line 2: not JSON"), "{message}");
    let (_, summary) = trace::parse_bytes(Format::OtlpJson, cut.as_bytes(), &skipping()).unwrap();
    assert_eq!((summary.steps, summary.skipped[0].line), (3, 2));
}

#[test]
fn a_cut_otlp_document_names_the_line_where_it_stops() {
    let cut = &OTLP_PROTO[..700];
    let message = refused(Format::OtlpJson, cut.as_bytes());
    let line = cut.lines().count();
    assert!(message.starts_with(&format!("line {line}: not JSON: it ends before")), "{message}");
}

#[test]
fn a_wrongly_chosen_format_says_what_does_not_fit_instead_of_importing_nothing() {
    let cases = [
        (Format::OpenAiChat, CLAUDE_CODE, "line 1: not an OpenAI chat message: it has no `role`"),
        (Format::OpenAiChat, ANTHROPIC, "a `tool_use` content block is Anthropic's"),
        (Format::OpenAiChat, OTLP_GENAI, "line 1: not an OpenAI chat message"),
        (Format::AnthropicMessages, OPENAI, "line 1: message 1: the role `system` is not an Anthropic Messages role"),
        (Format::AnthropicMessages, OTLP_GENAI, "line 1: not an Anthropic message"),
        (Format::OtlpJson, OPENAI, "line 1: not an OTLP trace document: it has no `resourceSpans`"),
        (Format::OtlpJson, CLAUDE_CODE, "line 1: not an OTLP trace document"),
    ];
    for (format, text, expected) in cases {
        let message = refused(format, text.as_bytes());
        assert!(message.contains(expected), "{format}: {message}");
    }
    let message = refused(
        Format::OpenAiChat,
        br#"{"role":"user","content":"hi"}
{"role":"assistant","content":"x"}
{"role":"tool","content":"done"}
"#,
    );
    assert_eq!(message, "line 3: a `tool` message without `tool_call_id`");
    let message = refused(Format::OpenAiChat, b"{\"role\":\"user\",\n");
    assert!(message.starts_with("line 1: not JSON"), "{message}");
    let message = refused(Format::OpenAiChat, b"{\"role\":\"user\" \"content\":\"x\"}\n");
    assert_eq!(message, "line 1: not JSON (expected `,` or `}` at column 16)");
}

#[test]
fn an_empty_or_blank_file_is_an_empty_import_for_every_format() {
    for format in Format::ALL.iter().copied() {
        for text in ["", "\n\n  \r\n"] {
            let (got, summary) = trace::parse_bytes(format, text.as_bytes(), &Options::default()).unwrap();
            assert_eq!((got.runs.len(), summary.runs, summary.steps), (0, 0, 0), "{format}");
        }
    }
}

#[test]
fn a_ten_megabyte_unicode_argument_is_kept_whole() {
    let arguments = serde_json::json!({ "body": "é🎉مرحبا退款\u{202e}".repeat(400_000) }).to_string();
    assert!(arguments.len() > 10_000_000);
    let line = serde_json::json!({"messages": [
        {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
            "function": {"name": "send", "arguments": arguments}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "ok"}
    ]})
    .to_string();
    let (got, _) = read(Format::OpenAiChat, &line);
    assert_eq!(got.steps[1].arguments.as_deref(), Some(arguments.as_str()));
    assert_eq!(got.steps[2].call_id.as_deref(), Some("c1"));
}

#[test]
fn an_over_long_line_is_refused_without_being_read_whole_or_skipped_and_the_next_read() {
    let text = format!("{}\n{{\"role\":\"user\",\"content\":\"after\"}}\n", "x".repeat(5000));
    let small = Options { max_line_bytes: 1000, ..Options::default() };
    let message = trace::parse_bytes(Format::OpenAiChat, text.as_bytes(), &small).unwrap_err().to_string();
    assert_eq!(message, "line 1: the line is longer than 1000 bytes, the most Firebreak reads in one line");
    let options = Options { skip_invalid: true, ..small };
    let (got, summary) = trace::parse_bytes(Format::OpenAiChat, text.as_bytes(), &options).unwrap();
    assert_eq!((summary.skipped[0].line, got.steps.len()), (1, 1));
    assert_eq!((got.steps[0].origin.line, got.steps[0].origin.offset), (2, 5001));

    let tiny = Options { max_document_bytes: 500, ..Options::default() };
    let message = trace::parse_bytes(Format::OtlpJson, OTLP_PROTO.as_bytes(), &tiny).unwrap_err().to_string();
    assert!(message.starts_with("The OTLP document is larger than 500 bytes"), "{message}");
}

#[test]
fn a_line_that_is_not_utf8_is_named_not_altered() {
    let bytes = b"{\"role\":\"user\",\"content\":\"hi\"}\n{\"role\":\"user\",\"content\":\"\xff\"}\n";
    let message = refused(Format::OpenAiChat, bytes);
    assert!(message.starts_with("line 2: not UTF-8 text (an invalid byte at column 27)"), "{message}");
}

/// A sink that fails on the second step, like a full disk.
struct Failing(usize);

impl Sink for Failing {
    fn run(&mut self, _: Run) -> firebreak_core::Result<usize> {
        Ok(0)
    }
    fn step(&mut self, _: Step) -> firebreak_core::Result<()> {
        self.0 += 1;
        if self.0 == 2 {
            return Err(Error::storage("disk full"));
        }
        Ok(())
    }
}

#[test]
fn a_sink_failure_stops_the_parse_even_when_skipping_invalid_lines() {
    for format in Format::ALL.iter().copied() {
        let text = match format {
            Format::OpenAiChat => OPENAI,
            Format::AnthropicMessages => CLAUDE_CODE,
            Format::OtlpJson => OTLP_GENAI,
            Format::McpJsonRpc => MCP,
        };
        let err = trace::parse(format, text.as_bytes(), &skipping(), &mut Failing(0)).unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }
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
    b"\"role\":\"tool\"",
    b"\"type\":\"tool_use\"",
    b"\"intValue\":\"x\"",
    b"\"resourceSpans\":",
    b"\"messages\":[",
    b"99999999999999999999999",
];

const MUTATOR: Mutator = Mutator { pieces: PIECES, long_bytes: b"x\"{[\n", long_max: 20_000, copy_max: 200 };

/// `FUZZ_SECONDS` runs for that long (seed `FUZZ_SEED`); otherwise a fixed number of cases from a fixed seed.
#[test]
fn no_input_makes_a_parser_or_detect_panic() {
    no_input_panics("trace parsers", 0x7ace_f012, &[OTLP_PROTO, OTLP_GENAI, OPENAI, ANTHROPIC, CLAUDE_CODE], &MUTATOR);
}

/// `/dev/zero` has no line end and no end: every format stops at the line limit with a message, instead of filling
/// the memory or reading for ever.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_file_without_line_ends_is_refused_at_the_line_limit() {
    let options = Options { max_line_bytes: 1 << 20, max_document_bytes: 1 << 20, ..Options::default() };
    for format in Format::ALL.iter().copied() {
        let zero = std::io::BufReader::new(std::fs::File::open("/dev/zero").unwrap());
        let err = trace::parse(format, zero, &options, &mut Collected::default()).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{format:?}: {err}");
    }
}
