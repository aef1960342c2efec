//! Reading the JSON values that both chat formats (OpenAI, Anthropic) share: message content as text, timestamps,
//! optional string fields.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The text of a message's `content`: a string, or the `text` of its text parts joined by newlines. Non-text parts
/// (images, documents) have no text and are left out.
pub(super) fn text_of(content: Option<&Value>) -> Option<String> {
    match content? {
        Value::String(s) => Some(s.clone()),
        Value::Array(parts) => {
            let texts: Vec<&str> = parts
                .iter()
                .filter(|p| matches!(p.get("type").and_then(Value::as_str), None | Some("text")))
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect();
            (!texts.is_empty()).then(|| texts.join("\n"))
        }
        _ => None,
    }
}

/// A value as the text it was given as: a string as is, anything else as its JSON.
pub(super) fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// `content` as text, falling back to its JSON so a tool's structured output is never lost.
pub(super) fn content_text(content: Option<&Value>) -> Option<String> {
    text_of(content).or_else(|| content.and_then(as_text))
}

pub(super) fn string(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}

/// An RFC 3339 time, or Unix seconds (OpenAI's `created`).
pub(super) fn timestamp(value: Option<&Value>) -> Option<DateTime<Utc>> {
    match value? {
        Value::String(s) => DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc)),
        Value::Number(n) => n.as_i64().and_then(|secs| DateTime::from_timestamp(secs, 0)),
        _ => None,
    }
}

pub(super) fn count(value: Option<&Value>) -> Option<u64> {
    value.and_then(Value::as_u64)
}

/// "message 3: " inside a conversation, nothing for a message that is the whole line.
pub(super) fn prefix(index: Option<usize>) -> String {
    index.map(|i| format!("message {}: ", i + 1)).unwrap_or_default()
}
