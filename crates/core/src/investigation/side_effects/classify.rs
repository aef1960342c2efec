//! Whether a tool call changed something outside the agent (a write) or only looked (a read), and what kind of
//! change it was. The person's remembered choice for the tool decides first; then what the arguments say (an HTTP
//! method, an SQL or GraphQL statement), which is more specific than a name like `http_request`; then the first
//! word of the tool's name that says either. A name that says neither is a read, shown with that reason, so the
//! person can class the tool as a write.

use crate::investigation::findings::names::words;
use crate::phases::affected::AgentAction;
use serde_json::Value;

/// What a tool call is judged to be, and why (shown beside it, so a reader can disagree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Judgement {
    /// `Some` for a write: what the agent did to the object.
    pub action: Option<AgentAction>,
    pub basis: String,
}

impl Judgement {
    pub fn is_write(&self) -> bool {
        self.action.is_some()
    }
}

/// Words that only look.
const READS: &[&str] = &[
    "get",
    "list",
    "read",
    "search",
    "find",
    "fetch",
    "query",
    "lookup",
    "look",
    "describe",
    "retrieve",
    "view",
    "show",
    "count",
    "check",
    "inspect",
    "browse",
    "load",
    "scan",
    "preview",
    "explain",
    "summarize",
    "summarise",
    "analyze",
    "analyse",
    "glob",
    "grep",
    "ls",
    "cat",
    "head",
    "tail",
    "stat",
    "ping",
    "status",
    "download",
    "export",
    "validate",
    "verify",
    "lint",
    "diff",
    "calculate",
    "estimate",
    "translate",
    "think",
    "plan",
];

/// Words that change something, with what they do.
const WRITES: &[(&str, AgentAction)] = &[
    ("send", AgentAction::Sent),
    ("email", AgentAction::Sent),
    ("mail", AgentAction::Sent),
    ("reply", AgentAction::Sent),
    ("forward", AgentAction::Sent),
    ("notify", AgentAction::Sent),
    ("publish", AgentAction::Sent),
    ("broadcast", AgentAction::Sent),
    ("message", AgentAction::Sent),
    ("sms", AgentAction::Sent),
    ("tweet", AgentAction::Sent),
    ("share", AgentAction::Sent),
    ("invite", AgentAction::Sent),
    ("post", AgentAction::Sent),
    ("create", AgentAction::Created),
    ("add", AgentAction::Created),
    ("insert", AgentAction::Created),
    ("new", AgentAction::Created),
    ("upload", AgentAction::Created),
    ("book", AgentAction::Created),
    ("schedule", AgentAction::Created),
    ("register", AgentAction::Created),
    ("issue", AgentAction::Created),
    ("append", AgentAction::Created),
    ("generate", AgentAction::Created),
    ("update", AgentAction::Changed),
    ("set", AgentAction::Changed),
    ("edit", AgentAction::Changed),
    ("modify", AgentAction::Changed),
    ("patch", AgentAction::Changed),
    ("put", AgentAction::Changed),
    ("write", AgentAction::Changed),
    ("save", AgentAction::Changed),
    ("rename", AgentAction::Changed),
    ("move", AgentAction::Changed),
    ("merge", AgentAction::Changed),
    ("assign", AgentAction::Changed),
    ("change", AgentAction::Changed),
    ("replace", AgentAction::Changed),
    ("upsert", AgentAction::Changed),
    ("apply", AgentAction::Changed),
    ("commit", AgentAction::Changed),
    ("push", AgentAction::Changed),
    ("enable", AgentAction::Changed),
    ("disable", AgentAction::Changed),
    ("close", AgentAction::Changed),
    ("mark", AgentAction::Changed),
    ("tag", AgentAction::Changed),
    ("label", AgentAction::Changed),
    ("reset", AgentAction::Changed),
    ("configure", AgentAction::Changed),
    ("grant", AgentAction::Changed),
    ("revoke", AgentAction::Changed),
    ("delete", AgentAction::Deleted),
    ("remove", AgentAction::Deleted),
    ("drop", AgentAction::Deleted),
    ("purge", AgentAction::Deleted),
    ("wipe", AgentAction::Deleted),
    ("destroy", AgentAction::Deleted),
    ("erase", AgentAction::Deleted),
    ("truncate", AgentAction::Deleted),
    ("archive", AgentAction::Deleted),
    ("cancel", AgentAction::Deleted),
    ("unsubscribe", AgentAction::Deleted),
    ("clear", AgentAction::Deleted),
    ("approve", AgentAction::Approved),
    ("accept", AgentAction::Approved),
    ("authorize", AgentAction::Approved),
    ("authorise", AgentAction::Approved),
    ("sign", AgentAction::Approved),
    ("pay", AgentAction::Triggered),
    ("payout", AgentAction::Triggered),
    ("transfer", AgentAction::Triggered),
    ("refund", AgentAction::Triggered),
    ("charge", AgentAction::Triggered),
    ("wire", AgentAction::Triggered),
    ("execute", AgentAction::Triggered),
    ("exec", AgentAction::Triggered),
    ("run", AgentAction::Triggered),
    ("trigger", AgentAction::Triggered),
    ("invoke", AgentAction::Triggered),
    ("deploy", AgentAction::Triggered),
    ("launch", AgentAction::Triggered),
    ("start", AgentAction::Triggered),
    ("stop", AgentAction::Triggered),
    ("restart", AgentAction::Triggered),
    ("kill", AgentAction::Triggered),
    ("submit", AgentAction::Triggered),
    ("process", AgentAction::Triggered),
    ("dispatch", AgentAction::Triggered),
    ("order", AgentAction::Triggered),
    ("buy", AgentAction::Triggered),
    ("purchase", AgentAction::Triggered),
    ("bash", AgentAction::Triggered),
    ("shell", AgentAction::Triggered),
    ("terminal", AgentAction::Triggered),
    ("command", AgentAction::Triggered),
];

/// `word` is `verb` or one of its common forms (`sends`, `created`, `deleting`).
fn is_form(word: &str, verb: &str) -> bool {
    // A dropped final e (`creating`).
    if verb.strip_suffix('e').is_some_and(|stem| word.strip_prefix(stem) == Some("ing")) {
        return true;
    }
    let Some(rest) = word.strip_prefix(verb) else { return false };
    if matches!(rest, "" | "s" | "es" | "ed" | "d" | "ing") {
        return true;
    }
    // A doubled last consonant (`submitted`, `dropping`).
    verb.chars().last().is_some_and(|c| rest.strip_prefix(c).is_some_and(|r| r == "ed" || r == "ing"))
}

/// A word's class: `Some(None)` for a read word, `Some(Some(action))` for a write word, `None` for neither.
fn word_class(word: &str) -> Option<Option<AgentAction>> {
    if let Some((_, action)) = WRITES.iter().find(|(verb, _)| is_form(word, verb)) {
        // "setting" reads as "set" with its consonant doubled, but in a tool's name it is a thing.
        if word != "setting" {
            return Some(Some(*action));
        }
    }
    READS.iter().any(|verb| is_form(word, verb)).then_some(None)
}

/// The class of a tool by the words of its name: the first word that says read or write decides.
pub(crate) fn by_name(tool: &str) -> Judgement {
    for word in words(tool) {
        match word_class(&word) {
            Some(Some(action)) => {
                return Judgement { action: Some(action), basis: format!("its name says “{word}”") };
            }
            Some(None) => return Judgement { action: None, basis: format!("its name says “{word}”") },
            None => {}
        }
    }
    Judgement { action: None, basis: "nothing in its name says it writes".into() }
}

/// The class the arguments give, when they name an HTTP method or hold an SQL or GraphQL statement.
pub(crate) fn by_arguments(arguments: &Value) -> Option<Judgement> {
    let object = arguments.as_object()?;
    for key in ["method", "http_method", "httpMethod", "verb"] {
        if let Some(method) = object.get(key).and_then(Value::as_str) {
            let method = method.trim().to_ascii_uppercase();
            let action = match method.as_str() {
                "GET" | "HEAD" | "OPTIONS" => None,
                "POST" => Some(AgentAction::Created),
                "PUT" | "PATCH" => Some(AgentAction::Changed),
                "DELETE" => Some(AgentAction::Deleted),
                _ => continue,
            };
            return Some(Judgement { action, basis: format!("its arguments ask for HTTP {method}") });
        }
    }
    for key in ["sql", "query", "statement", "mutation"] {
        let Some(text) = object.get(key).and_then(Value::as_str) else { continue };
        let first: String =
            text.trim_start().chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_uppercase();
        let action = match first.as_str() {
            "SELECT" | "EXPLAIN" | "SHOW" | "DESCRIBE" | "PRAGMA" | "QUERY" | "WITH" => None,
            "INSERT" | "CREATE" => Some(AgentAction::Created),
            "UPDATE" | "MERGE" | "UPSERT" | "REPLACE" | "ALTER" | "GRANT" | "REVOKE" | "MUTATION" => {
                Some(AgentAction::Changed)
            }
            "DELETE" | "DROP" | "TRUNCATE" => Some(AgentAction::Deleted),
            _ => continue,
        };
        // "WITH … INSERT" is a write that starts like a read.
        let action = if first == "WITH" { written_after_with(text).or(action) } else { action };
        return Some(Judgement { action, basis: format!("its arguments hold a {first} statement") });
    }
    None
}

fn written_after_with(text: &str) -> Option<AgentAction> {
    let upper = text.to_ascii_uppercase();
    let has = |word: &str| upper.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == word);
    if has("DELETE") {
        Some(AgentAction::Deleted)
    } else if has("UPDATE") {
        Some(AgentAction::Changed)
    } else if has("INSERT") {
        Some(AgentAction::Created)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn action(tool: &str) -> Option<AgentAction> {
        by_name(tool).action
    }

    #[test]
    fn the_first_word_of_a_name_that_says_read_or_write_decides() {
        assert_eq!(action("send_email"), Some(AgentAction::Sent));
        assert_eq!(action("createInvoice"), Some(AgentAction::Created));
        assert_eq!(action("crm.contacts.delete"), Some(AgentAction::Deleted));
        assert_eq!(action("mcp__stripe__refund_payment"), Some(AgentAction::Triggered));
        assert_eq!(action("Write"), Some(AgentAction::Changed));
        assert_eq!(action("Bash"), Some(AgentAction::Triggered));
        assert_eq!(action("get_email"), None);
        assert_eq!(action("search_orders"), None);
        assert_eq!(action("WebFetch"), None);
        assert_eq!(action("user_settings"), None);
        assert_eq!(action("status"), None);
        assert_eq!(action("weather"), None);
        assert_eq!(by_name("weather").basis, "nothing in its name says it writes");
        assert_eq!(action("records_updated"), Some(AgentAction::Changed));
        assert_eq!(action("submitted_forms"), Some(AgentAction::Triggered));
        assert_eq!(action("creating_ticket"), Some(AgentAction::Created));
        assert_eq!(action("display"), None);
        assert_eq!(action("repay"), None);
    }

    #[test]
    fn an_http_method_or_a_statement_in_the_arguments_decides_over_the_name() {
        let read = by_arguments(&json!({"method": "get", "url": "https://x.example"})).unwrap();
        assert_eq!(read.action, None);
        assert_eq!(read.basis, "its arguments ask for HTTP GET");
        assert_eq!(by_arguments(&json!({"method": "DELETE"})).unwrap().action, Some(AgentAction::Deleted));
        assert_eq!(
            by_arguments(&json!({"sql": "  update invoices set paid = 1"})).unwrap().action,
            Some(AgentAction::Changed)
        );
        assert_eq!(by_arguments(&json!({"query": "SELECT * FROM t"})).unwrap().action, None);
        assert_eq!(
            by_arguments(&json!({"query": "WITH x AS (SELECT 1) DELETE FROM t"})).unwrap().action,
            Some(AgentAction::Deleted)
        );
        assert_eq!(by_arguments(&json!({"query": "invoices from march"})), None);
        assert_eq!(by_arguments(&json!({"method": "teleport"})), None);
        assert_eq!(by_arguments(&json!(["POST"])), None);
    }
}
