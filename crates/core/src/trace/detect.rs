//! Guessing a trace file's format from its first bytes, so the user need not know what their agent framework
//! writes. The guess is only a default: the user can override it, and a wrong format then fails with a clear error.

use super::Format;
use serde_json::Value;

/// The lines looked at; a few are enough, and later ones may be cut off by the caller's buffer anyway.
const LINES_LOOKED_AT: usize = 20;

/// The format `first_bytes` (the start of a file, e.g. its first 64 KiB) looks like, or `None` when nothing fits.
pub fn detect(first_bytes: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(first_bytes);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.is_empty() {
        return None;
    }
    if has_key(text, "resourceSpans") || has_key(text, "resource_spans") {
        return Some(Format::OtlpJson);
    }
    let parsed: Vec<Value> =
        text.lines().take(LINES_LOOKED_AT).filter_map(|l| serde_json::from_str::<Value>(l).ok()).collect();
    parsed.iter().find_map(line_format).or_else(|| guess_from_text(text))
}

/// A line's format when it tells; a plain user/assistant text exchange reads the same in both chat formats and
/// tells nothing until a line with tools or a Claude Code record comes.
fn line_format(line: &Value) -> Option<Format> {
    if is_json_rpc(line) {
        return Some(Format::McpJsonRpc);
    }
    let Value::Object(map) = line else {
        return None;
    };
    if map.get("type").and_then(Value::as_str).is_some() && map.get("message").is_some_and(Value::is_object) {
        return Some(Format::AnthropicMessages);
    }
    let messages: Vec<&Value> = match map.get("messages") {
        Some(Value::Array(list)) => list.iter().collect(),
        _ if map.contains_key("role") => vec![line],
        _ => return None,
    };
    let api_response = map.get("type").and_then(Value::as_str) == Some("message");
    if api_response
        || map.get("system").is_some()
        || messages.iter().any(|m| has_block(m, &["tool_use", "tool_result"]))
    {
        return Some(Format::AnthropicMessages);
    }
    let openai = messages.iter().any(|m| {
        m.get("tool_calls").is_some()
            || m.get("tool_call_id").is_some()
            || m.get("function_call").is_some()
            || matches!(m.get("role").and_then(Value::as_str), Some("tool" | "system" | "developer" | "function"))
    });
    if openai {
        return Some(Format::OpenAiChat);
    }
    messages.iter().any(|m| m.get("role").is_some()).then_some(Format::OpenAiChat)
}

/// A JSON-RPC 2.0 message, batch, or a logger's wrapper around one (`{"ts":…,"message":{…}}`). Only the version
/// key tells: no chat or OTLP line carries `"jsonrpc":"2.0"` at its top.
fn is_json_rpc(line: &Value) -> bool {
    let version = |v: &Value| v.get("jsonrpc").and_then(Value::as_str) == Some("2.0");
    match line {
        Value::Array(batch) => batch.first().is_some_and(version),
        Value::Object(map) => {
            version(line)
                || ["message", "msg", "data"].iter().any(|k| match map.get(*k) {
                    Some(Value::Array(batch)) => batch.first().is_some_and(version),
                    Some(inner) => version(inner),
                    None => false,
                })
        }
        _ => false,
    }
}

fn has_block(message: &Value, kinds: &[&str]) -> bool {
    let Some(Value::Array(blocks)) = message.get("content") else {
        return false;
    };
    blocks.iter().any(|b| b.get("type").and_then(Value::as_str).is_some_and(|t| kinds.contains(&t)))
}

/// For a first line too long to arrive whole: the telling keys, wherever they are.
fn guess_from_text(text: &str) -> Option<Format> {
    if has_pair(text, "type", "tool_use") || has_pair(text, "type", "tool_result") {
        return Some(Format::AnthropicMessages);
    }
    // Before `sessionId`, which MCP loggers' wrappers use too; no chat line has a JSON-RPC version key of its own.
    if has_pair(text, "jsonrpc", "2.0") {
        return Some(Format::McpJsonRpc);
    }
    if has_key(text, "sessionId") {
        return Some(Format::AnthropicMessages);
    }
    if has_key(text, "tool_calls") || has_key(text, "tool_call_id") || has_pair(text, "role", "tool") {
        return Some(Format::OpenAiChat);
    }
    has_key(text, "role").then_some(Format::OpenAiChat)
}

fn has_key(text: &str, key: &str) -> bool {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted).any(|(i, _)| text[i + quoted.len()..].trim_start().starts_with(':'))
}

fn has_pair(text: &str, key: &str, value: &str) -> bool {
    let quoted = format!("\"{key}\"");
    let wanted = format!("\"{value}\"");
    text.match_indices(&quoted).any(|(i, _)| {
        let rest = text[i + quoted.len()..].trim_start();
        rest.strip_prefix(':').is_some_and(|r| r.trim_start().starts_with(&wanted))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_whatever_the_spacing_and_only_as_keys() {
        assert!(has_pair(r#"{"role" :  "tool"}"#, "role", "tool"));
        assert!(!has_pair(r#"{"role":"toolbox"}"#, "role", "tool"));
        assert!(!has_key(r#"{"text":"the \"tool_calls\" word"}"#, "tool_calls"));
        assert!(has_key("{\"tool_calls\"\n: []}", "tool_calls"));
    }

    #[test]
    fn a_plain_text_exchange_reads_as_openai_and_an_api_response_as_anthropic() {
        let plain = br#"{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}"#;
        assert_eq!(detect(plain), Some(Format::OpenAiChat));
        let response = br#"{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"hi"}]}"#;
        assert_eq!(detect(response), Some(Format::AnthropicMessages));
    }

    #[test]
    fn json_rpc_reads_as_mcp_bare_batched_or_wrapped() {
        assert_eq!(detect(br#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#), Some(Format::McpJsonRpc));
        assert_eq!(detect(br#"[{"jsonrpc":"2.0","method":"notifications/initialized"}]"#), Some(Format::McpJsonRpc));
        let wrapped = br#"{"ts":1767261600000,"dir":"send","msg":{"jsonrpc":"2.0","id":2,"method":"tools/list"}}"#;
        assert_eq!(detect(wrapped), Some(Format::McpJsonRpc));
        assert_eq!(detect(br#"{"jsonrpc":"1.0","id":1,"method":"x"}"#), None, "JSON-RPC 1.0 is not MCP");
    }
}
