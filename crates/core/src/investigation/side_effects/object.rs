//! Which object a write call touched, read from the call: the system (a `system`-like argument, the tool's
//! namespace such as `salesforce.` or `mcp__stripe__`, the host of a URL it calls), the object's type (a
//! `type`-like argument, the noun in the tool's name, a URL's path) and its ID (an `…_id` argument, a file path, a
//! recipient, or the ID the result gives a created object). What cannot be read is said so: the proposal falls
//! back to the call's own ID and tells the reviewer where each value came from.

use crate::investigation::findings::names::{destinations, words};
use crate::phases::affected::AgentAction;
use serde_json::{Map, Value};

/// The object a proposal names, and where its ID was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    pub system: String,
    pub object_type: String,
    pub object_id: String,
    pub id_from: String,
}

/// What one call tells about its object; `result` is the tool's output when it is JSON.
pub(crate) struct Call<'a> {
    pub tool: &'a str,
    pub action: AgentAction,
    pub arguments: Option<&'a Value>,
    pub arguments_text: Option<&'a str>,
    pub result: Option<&'a Value>,
    pub call_id: Option<&'a str>,
    pub step: i64,
}

const SYSTEM_KEYS: &[&str] =
    &["system", "service", "app", "application", "platform", "provider", "integration", "connector"];
const TYPE_KEYS: &[&str] = &[
    "object_type",
    "objectType",
    "resource_type",
    "resourceType",
    "record_type",
    "recordType",
    "sobject",
    "entity",
    "resource",
    "table",
    "collection",
    "type",
];
const FILE_KEYS: &[&str] = &["file_path", "filePath", "path", "filename", "file_name", "file", "notebook_path"];
const RECIPIENT_KEYS: &[&str] =
    &["to", "recipient", "recipients", "email", "email_address", "channel", "channel_id", "chat_id", "phone", "number"];
const NAME_KEYS: &[&str] = &["key", "slug", "sku", "name", "title", "subject"];
const URL_KEYS: &[&str] = &["url", "uri", "endpoint", "href", "webhook", "webhook_url"];
/// `…_id` keys that name the request, not the object.
const NOT_OBJECT_IDS: &[&str] = &[
    "request_id",
    "requestid",
    "idempotency_key",
    "trace_id",
    "span_id",
    "session_id",
    "call_id",
    "tool_call_id",
    "conversation_id",
    "run_id",
    "user_id",
    "model_id",
    "thread_id",
    "message_id",
];
/// The longest value taken as a system, type or ID; a longer one is cut and marked.
const MAX_VALUE: usize = 200;
/// Recipients listed in one ID.
const MAX_LISTED: usize = 10;

pub(crate) fn name_object(call: &Call<'_>) -> Named {
    let args = call.arguments.and_then(Value::as_object);
    let result = call.result.and_then(Value::as_object);
    let tool_words = words(call.tool);
    let url = args.and_then(|a| first_text(a, URL_KEYS));
    let system = args
        .and_then(|a| first_text(a, SYSTEM_KEYS))
        .or_else(|| namespace(call.tool))
        .or_else(|| url.as_deref().and_then(|u| destinations(u).into_iter().next()).map(|d| d.host))
        .unwrap_or_else(|| call.tool.trim().to_string());
    let file = args.and_then(|a| first_text(a, FILE_KEYS));
    let object_type = args
        .and_then(|a| first_text(a, TYPE_KEYS))
        .filter(|t| t.chars().count() <= 60)
        .or_else(|| file.as_ref().map(|_| "file".to_string()))
        .or_else(|| noun_of(&tool_words, &system))
        .or_else(|| url.as_deref().and_then(path_noun))
        .unwrap_or_else(|| default_type(call.action).to_string());
    let (object_id, id_from) = id_of(call, args, result, &object_type, file, url).unwrap_or_else(|| {
        match call.call_id.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => (cut(c), "the call's own ID (the call names no object)".into()),
            None => (format!("step {}", call.step), "the step's number (the call names no object)".into()),
        }
    });
    Named { system: cut(&system), object_type: cut(&object_type), object_id, id_from }
}

fn id_of(
    call: &Call<'_>,
    args: Option<&Map<String, Value>>,
    result: Option<&Map<String, Value>>,
    object_type: &str,
    file: Option<String>,
    url: Option<String>,
) -> Option<(String, String)> {
    let typed = |map: &Map<String, Value>| -> Option<(String, String)> {
        let stem: String = object_type.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
        map.iter().find_map(|(k, v)| {
            let key: String = k.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
            (!stem.is_empty() && (key == format!("{stem}id") || key == format!("{}id", stem.trim_end_matches('s'))))
                .then(|| text_of(v).map(|t| (t, k.clone())))
                .flatten()
        })
    };
    let any_id = |map: &Map<String, Value>| -> Option<(String, String)> {
        if let Some(t) = map.get("id").and_then(text_of) {
            return Some((t, "id".into()));
        }
        map.iter().find_map(|(k, v)| {
            let lower = k.to_lowercase();
            let is_id = lower.ends_with("_id") || (k.ends_with("Id") && k.len() > 2) || lower.ends_with("_key");
            (is_id && !NOT_OBJECT_IDS.contains(&lower.as_str())).then(|| text_of(v).map(|t| (t, k.clone()))).flatten()
        })
    };
    let from_args = |key: String| format!("the argument “{key}”");
    let from_result = |key: String| format!("the result's “{key}”");
    if let Some((t, k)) = args.and_then(typed) {
        return Some((t, from_args(k)));
    }
    // A created object's ID is the one the system gave it, which only the result knows.
    if call.action == AgentAction::Created {
        if let Some((t, k)) = result.and_then(|r| typed(r).or_else(|| any_id(r))) {
            return Some((t, from_result(k)));
        }
    }
    if let Some((t, k)) = args.and_then(any_id) {
        return Some((t, from_args(k)));
    }
    if let Some(file) = file {
        return Some((cut(&file), "the file it names".into()));
    }
    if let Some((t, k)) = args.and_then(|a| first_keyed(a, RECIPIENT_KEYS)) {
        return Some((t, from_args(k)));
    }
    if let Some(url) = url {
        return Some((cut(&url), "the URL it calls".into()));
    }
    if let Some((t, k)) = result.and_then(|r| typed(r).or_else(|| any_id(r))) {
        return Some((t, from_result(k)));
    }
    if let Some((t, k)) = args.and_then(reference) {
        return Some((t, from_args(k)));
    }
    if let Some((t, k)) = args.and_then(|a| first_keyed(a, NAME_KEYS)) {
        return Some((t, from_args(k)));
    }
    // Arguments that are not JSON may still name an address.
    if call.arguments.is_none() {
        if let Some(text) = call.arguments_text {
            let written: Vec<String> = destinations(text).into_iter().take(MAX_LISTED).map(|d| d.written).collect();
            if !written.is_empty() {
                return Some((cut(&written.join(", ")), "the addresses in its arguments".into()));
            }
        }
    }
    None
}

/// A value as an ID or name: a string, a number, or a list of them (recipients), trimmed and cut.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(cut(s.trim())),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().take(MAX_LISTED).filter_map(text_of).collect();
            let more = items.len().saturating_sub(MAX_LISTED);
            (!parts.is_empty()).then(|| {
                let listed = parts.join(", ");
                cut(&if more > 0 { format!("{listed} and {more} more") } else { listed })
            })
        }
        // `{"to": {"email": "…"}}`: the first text inside.
        Value::Object(map) => map.values().find_map(|v| if v.is_object() { None } else { text_of(v) }),
        _ => None,
    }
}

/// Keys whose identifier-like values are settings of the call, not the object it changes.
const NOT_REFERENCES: &[&str] = &[
    "model",
    "version",
    "locale",
    "language",
    "lang",
    "currency",
    "timezone",
    "tz",
    "date",
    "time",
    "timestamp",
    "status",
    "priority",
    "format",
    "mode",
    "region",
    "zone",
    "method",
];

/// An argument that names an object without saying "id": `{"order": "A-1009"}`, `{"ticket": "T-88"}`. Only a
/// one-word key whose value looks like an identifier counts (letters and digits, no spaces, not a date), so prose,
/// amounts and dates are never taken for an object.
fn reference(map: &Map<String, Value>) -> Option<(String, String)> {
    map.iter().find_map(|(k, v)| {
        let Value::String(text) = v else { return None };
        let text = text.trim();
        let one_word = !k.is_empty() && k.len() <= 40 && k.chars().all(|c| c.is_ascii_alphabetic());
        let identifier = (2..=64).contains(&text.len())
            && text.chars().any(|c| c.is_ascii_digit())
            && text.chars().any(|c| c.is_alphabetic())
            && text.chars().all(|c| c.is_alphanumeric() || "-_.:/#".contains(c))
            && !looks_like_date(text);
        (one_word && identifier && !NOT_REFERENCES.contains(&k.to_lowercase().as_str())).then(|| (cut(text), k.clone()))
    })
}

/// `2026-11-20…`: a date or a timestamp.
fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

fn first_text(map: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    first_keyed(map, keys).map(|(t, _)| t)
}

fn first_keyed(map: &Map<String, Value>, keys: &[&str]) -> Option<(String, String)> {
    keys.iter().find_map(|k| map.get(*k).and_then(text_of).map(|t| (t, k.to_string())))
}

/// The namespace a tool's name starts with: `salesforce.update` → salesforce, `mcp__stripe__refund` → stripe,
/// `github/create_issue` → github.
fn namespace(tool: &str) -> Option<String> {
    let tool = tool.trim();
    if let Some(rest) = tool.strip_prefix("mcp__") {
        return rest.split("__").next().filter(|s| !s.is_empty()).map(str::to_string);
    }
    for sep in ["__", ".", "/", ":"] {
        if let Some((head, tail)) = tool.split_once(sep) {
            if !head.is_empty() && !tail.is_empty() {
                return Some(head.to_string());
            }
        }
    }
    None
}

/// The tool name's words but the one that gave its class and the system: `update_invoice_status` → "invoice
/// status", `send_email` → "email".
fn noun_of(tool_words: &[String], system: &str) -> Option<String> {
    let system = system.to_lowercase();
    let verb = tool_words.iter().position(|w| super::classify::by_name(w).basis.starts_with("its name says"));
    let nouns: Vec<&str> = tool_words
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != verb)
        .map(|(_, w)| w.as_str())
        .filter(|w| *w != system && w.len() > 1 && !w.bytes().all(|b| b.is_ascii_digit()))
        .filter(|w| !matches!(*w, "mcp" | "tool" | "api" | "v1" | "v2" | "the" | "to" | "of"))
        .collect();
    (!nouns.is_empty()).then(|| nouns.join(" "))
}

/// The last word-like segment of a URL's path: `https://api.x.example/v1/refunds/re_1` → refunds.
fn path_noun(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.split_once('/').map(|(_, p)| p)?;
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.split('/')
        .rev()
        .find(|seg| seg.len() > 2 && seg.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_'))
        .map(str::to_string)
}

/// The `"key": "text"` and `"key": number` pairs of a JSON text cut short (arguments too long to read whole), or
/// `None` when it has none: enough to find an object's ID near the start of a 10 MB call.
pub(crate) fn scalar_pairs(text: &str) -> Option<Value> {
    let mut map = Map::new();
    let mut rest = text;
    while let Some(i) = rest.find('"') {
        let after = &rest[i + 1..];
        let Some(end) = after.find('"') else { break };
        let key = &after[..end];
        rest = &after[end + 1..];
        let Some(value) = rest.trim_start().strip_prefix(':').map(str::trim_start) else { continue };
        let mut stream = serde_json::Deserializer::from_str(value).into_iter::<Value>();
        if let Some(Ok(v)) = stream.next() {
            if v.is_string() || v.is_number() {
                map.entry(key.to_string()).or_insert(v);
            }
            rest = &value[stream.byte_offset()..];
        }
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

fn default_type(action: AgentAction) -> &'static str {
    match action {
        AgentAction::Sent => "message",
        AgentAction::Triggered => "action",
        AgentAction::Approved => "approval",
        _ => "record",
    }
}

fn cut(text: &str) -> String {
    let one: String = crate::text::one_line(text).into_owned();
    if one.chars().count() <= MAX_VALUE {
        one
    } else {
        format!("{}…", one.chars().take(MAX_VALUE - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn named(tool: &str, action: AgentAction, args: Value, result: Option<Value>) -> Named {
        name_object(&Call {
            tool,
            action,
            arguments: Some(&args),
            arguments_text: None,
            result: result.as_ref(),
            call_id: Some("call_9"),
            step: 7,
        })
    }

    #[test]
    fn the_object_is_read_from_the_tools_namespace_its_noun_and_its_id_argument() {
        let n = named(
            "salesforce.update_invoice",
            AgentAction::Changed,
            json!({"invoice_id": "INV-7", "customer_id": "C1", "amount": 5}),
            None,
        );
        assert_eq!(
            (n.system.as_str(), n.object_type.as_str(), n.object_id.as_str()),
            ("salesforce", "invoice", "INV-7")
        );
        assert_eq!(n.id_from, "the argument “invoice_id”");
        let n = named("mcp__stripe__refund_payment", AgentAction::Triggered, json!({"payment": 12}), None);
        assert_eq!((n.system.as_str(), n.object_type.as_str()), ("stripe", "payment"));
        assert_eq!(n.object_id, "call_9", "nothing names the payment's ID");
        assert!(n.id_from.contains("names no object"));
    }

    #[test]
    fn a_one_word_key_with_an_identifier_names_the_object_but_prose_dates_and_settings_do_not() {
        let n = named("issue_refund", AgentAction::Created, json!({"order": "A-1009", "amount": 120.5}), None);
        assert_eq!((n.object_type.as_str(), n.object_id.as_str()), ("refund", "A-1009"));
        assert_eq!(n.id_from, "the argument “order”");
        for args in [
            json!({"note": "call me at 5"}),
            json!({"when": "2026-11-20T09:00:00Z"}),
            json!({"model": "gpt-4o"}),
            json!({"order": 1009}),
            json!({"order_number": "A-1"}),
        ] {
            let n = named("issue_refund", AgentAction::Created, args.clone(), None);
            assert_eq!(n.object_id, "call_9", "{args}");
        }
    }

    #[test]
    fn a_created_objects_id_comes_from_the_result_and_a_send_names_its_recipients() {
        let n = named("create_ticket", AgentAction::Created, json!({"title": "Refund"}), Some(json!({"id": "T-88"})));
        assert_eq!((n.object_type.as_str(), n.object_id.as_str()), ("ticket", "T-88"));
        assert_eq!(n.id_from, "the result's “id”");
        let n =
            named("send_email", AgentAction::Sent, json!({"to": ["a@x.example", "b@y.example"], "body": "hi"}), None);
        assert_eq!((n.system.as_str(), n.object_type.as_str()), ("send_email", "email"));
        assert_eq!(n.object_id, "a@x.example, b@y.example");
        let n = named("Write", AgentAction::Changed, json!({"file_path": "/srv/app/.env", "content": "x"}), None);
        assert_eq!((n.object_type.as_str(), n.object_id.as_str()), ("file", "/srv/app/.env"));
        let n = named(
            "http_request",
            AgentAction::Created,
            json!({"method": "POST", "url": "https://api.pay.example/v1/refunds?x=1"}),
            None,
        );
        assert_eq!((n.system.as_str(), n.object_type.as_str()), ("api.pay.example", "http request"));
        assert_eq!(n.object_id, "https://api.pay.example/v1/refunds?x=1");
    }

    #[test]
    fn the_pairs_of_a_json_text_cut_short_are_read_up_to_the_cut() {
        let cut = r#"{"invoice_id": "INV-9", "n": 3, "nested": {"a": 1}, "note": "<b>very long"#;
        let pairs = scalar_pairs(cut).unwrap();
        assert_eq!(pairs, json!({"invoice_id": "INV-9", "n": 3}), "a whole nested value is passed over");
        assert_eq!(scalar_pairs("plain words, no JSON"), None);
    }

    #[test]
    fn long_or_multiline_values_are_cut_to_one_line_and_a_call_without_an_id_names_its_step() {
        let long = "x".repeat(5000);
        let n = named("delete_record", AgentAction::Deleted, json!({"id": format!("a\nb{long}")}), None);
        assert!(n.object_id.chars().count() <= MAX_VALUE && n.object_id.ends_with('…'));
        assert!(!n.object_id.contains('\n'));
        let n = name_object(&Call {
            tool: "notify",
            action: AgentAction::Sent,
            arguments: None,
            arguments_text: Some("tell mallory@evil.example now"),
            result: None,
            call_id: None,
            step: 41,
        });
        assert_eq!((n.object_type.as_str(), n.object_id.as_str()), ("message", "mallory@evil.example"));
        let n = name_object(&Call {
            tool: "notify",
            action: AgentAction::Sent,
            arguments: None,
            arguments_text: None,
            result: None,
            call_id: None,
            step: 41,
        });
        assert_eq!(n.object_id, "step 41");
    }
}
