//! The search box's language, read into an FTS5 expression that can never be a syntax the user did not mean:
//! every word and phrase is passed quoted, so only `AND`, `OR`, `NOT`, brackets, `"…"` and a trailing `*` are
//! operators. Field filters (`tool:email.send`, `error:yes`) are taken out and applied in SQL.

use crate::audit::Entity;
use crate::error::{Error, Result};
use crate::trace::StepKind;

/// Where a hit may come from: the steps of imported traces, or one kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Within {
    Steps,
    Records(Entity),
}

/// A search as read: the full-text expression (none when the search is filters only) and the filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Query {
    pub text: Option<String>,
    pub tool: Option<String>,
    pub agent: Option<String>,
    pub kind: Option<StepKind>,
    pub error: Option<bool>,
    pub within: Option<Within>,
    pub incident: Option<String>,
}

impl Query {
    /// Whether a filter only steps have (so the records are not searched).
    pub fn steps_only(&self) -> bool {
        self.tool.is_some() || self.agent.is_some() || self.kind.is_some() || self.error.is_some()
    }
}

/// The longest search read, so a pasted document does not become a query of a million terms.
pub(crate) const MAX_QUERY_CHARS: usize = 1000;

const FILTERS: &[&str] = &["tool", "agent", "kind", "error", "in", "incident"];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A word or phrase, already quoted for FTS5 (with its `*` when a prefix).
    Term(String),
    Operator(&'static str),
    Open,
    Close,
    Filter(String, String),
}

pub(crate) fn parse(input: &str) -> Result<Query> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(invalid(format!("A search is at most {MAX_QUERY_CHARS} characters; shorten it.")));
    }
    let tokens = tokenize(input)?;
    let mut query = Query::default();
    let mut text: Vec<Token> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Filter(field, value) => {
                let beside_operator =
                    |j: Option<usize>| j.and_then(|j| tokens.get(j)).is_some_and(|t| matches!(t, Token::Operator(_)));
                if beside_operator(i.checked_sub(1)) || beside_operator(Some(i + 1)) {
                    return Err(invalid(format!(
                        "{field}:{value} applies to the whole search and cannot be joined with AND, OR or NOT. \
                         Write it beside the words, e.g. `refund {field}:{value}`."
                    )));
                }
                apply_filter(&mut query, field, value)?;
            }
            other => text.push(other.clone()),
        }
    }
    query.text = expression(&text)?;
    Ok(query)
}

fn tokenize(input: &str) -> Result<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' {
            chars.next();
            tokens.push(Token::Open);
        } else if c == ')' {
            chars.next();
            tokens.push(Token::Close);
        } else if c == '"' {
            chars.next();
            let phrase = quoted(&mut chars)?;
            let prefix = chars.next_if_eq(&'*').is_some();
            if let Some(term) = term(&phrase, prefix) {
                tokens.push(Token::Term(term));
            }
        } else {
            let mut word = String::new();
            while let Some(c) = chars.next_if(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '"')) {
                word.push(c);
            }
            if let Some((field, rest)) = word.split_once(':') {
                let field = field.to_lowercase();
                if FILTERS.contains(&field.as_str()) {
                    let mut value = rest.to_string();
                    if value.is_empty() && chars.next_if_eq(&'"').is_some() {
                        value = quoted(&mut chars)?;
                    }
                    if value.trim().is_empty() {
                        return Err(invalid(format!("{field}: needs a value, e.g. `{}`.", example(&field))));
                    }
                    tokens.push(Token::Filter(field, value));
                    continue;
                }
            }
            match word.as_str() {
                "AND" => tokens.push(Token::Operator("AND")),
                "OR" => tokens.push(Token::Operator("OR")),
                "NOT" => tokens.push(Token::Operator("NOT")),
                _ => {
                    let (stem, prefix) = match word.strip_suffix('*') {
                        Some(stem) => (stem, true),
                        None => (word.as_str(), false),
                    };
                    if let Some(term) = term(stem, prefix) {
                        tokens.push(Token::Term(term));
                    }
                }
            }
        }
    }
    Ok(tokens)
}

/// The rest of a quoted phrase, after its opening mark.
fn quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String> {
    let mut phrase = String::new();
    for c in chars.by_ref() {
        if c == '"' {
            return Ok(phrase);
        }
        phrase.push(c);
    }
    Err(invalid("A quotation mark is not closed: close the phrase with \" or remove the mark.".to_string()))
}

/// A word or phrase as FTS5 reads it literally; nothing when it holds no letter or digit (it would match nothing).
fn term(text: &str, prefix: bool) -> Option<String> {
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let quoted = format!("\"{}\"", text.replace('"', "\"\""));
    Some(if prefix { quoted + "*" } else { quoted })
}

/// The FTS5 expression of the terms and operators, with an explicit AND between neighbours; refuses an operator
/// with nothing on one side and unbalanced brackets, naming the problem.
fn expression(tokens: &[Token]) -> Result<Option<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut depth = 0usize;
    // Whether the last token ends an operand (a term or a closing bracket).
    let mut after_operand = false;
    for token in tokens {
        match token {
            Token::Term(term) => {
                if after_operand {
                    out.push("AND".into());
                }
                out.push(term.clone());
                after_operand = true;
            }
            Token::Open => {
                if after_operand {
                    out.push("AND".into());
                }
                out.push("(".into());
                depth += 1;
                after_operand = false;
            }
            Token::Close => {
                if depth == 0 {
                    return Err(invalid("A ) has no ( before it.".to_string()));
                }
                if !after_operand {
                    return Err(invalid("Brackets hold nothing to search for: put words inside ( ).".to_string()));
                }
                out.push(")".into());
                depth -= 1;
            }
            Token::Operator(op) => {
                if !after_operand {
                    return Err(invalid(format!(
                        "{op} needs words on both sides, e.g. `refund {op} chargeback`{}.",
                        if *op == "NOT" { " (NOT leaves out what follows it)" } else { "" }
                    )));
                }
                out.push((*op).into());
                after_operand = false;
            }
            Token::Filter(..) => unreachable!("filters are taken out before the expression"),
        }
    }
    if depth > 0 {
        return Err(invalid("A ( is not closed: add ) or remove it.".to_string()));
    }
    if !out.is_empty() && !after_operand {
        let op = out.last().cloned().unwrap_or_default();
        return Err(invalid(format!("{op} at the end needs words after it, e.g. `refund {op} chargeback`.")));
    }
    Ok((!out.is_empty()).then(|| out.join(" ")))
}

fn apply_filter(query: &mut Query, field: &str, value: &str) -> Result<()> {
    let twice = || invalid(format!("{field}: is given twice; a search takes each filter once."));
    match field {
        "tool" => set(&mut query.tool, value.to_string()).ok_or_else(twice)?,
        "agent" => set(&mut query.agent, value.to_string()).ok_or_else(twice)?,
        "incident" => set(&mut query.incident, value.to_string()).ok_or_else(twice)?,
        "kind" => {
            let kind = StepKind::parse(value).ok_or_else(|| {
                let keys: Vec<&str> = StepKind::ALL.iter().map(|k| k.key()).collect();
                invalid(format!("kind:{value} is not a kind of step. Kinds: {}.", keys.join(", ")))
            })?;
            set(&mut query.kind, kind).ok_or_else(twice)?
        }
        "error" => {
            let error = match value.to_lowercase().as_str() {
                "yes" | "true" => true,
                "no" | "false" => false,
                _ => return Err(invalid(format!("error:{value} means nothing; write error:yes or error:no."))),
            };
            set(&mut query.error, error).ok_or_else(twice)?
        }
        "in" => {
            let within = within(value)?;
            set(&mut query.within, within).ok_or_else(twice)?
        }
        _ => unreachable!("only known filters are read as filters"),
    }
    Ok(())
}

fn set<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

/// `in:steps`, `in:record` or a kind of record by its key (`in:postmortem`, `in:communication`).
fn within(value: &str) -> Result<Within> {
    let key = value.to_lowercase().replace(['-', ' '], "_");
    match key.as_str() {
        "steps" | "step" | "trace" | "traces" => return Ok(Within::Steps),
        "record" | "incident" => return Ok(Within::Records(Entity::Incident)),
        _ => {}
    }
    let searched = super::searched_entities();
    searched.iter().find(|e| e.key() == key).map(|e| Within::Records(*e)).ok_or_else(|| {
        let mut keys = vec!["steps", "record"];
        keys.extend(searched.iter().filter(|e| **e != Entity::Incident).map(|e| e.key()));
        invalid(format!(
            "in:{value} is not a part of the incident that is searched. Choose one of: {}.",
            keys.join(", ")
        ))
    })
}

fn example(field: &str) -> &'static str {
    match field {
        "tool" => "tool:email.send",
        "agent" => "agent:billing-agent",
        "kind" => "kind:tool_call",
        "error" => "error:yes",
        "in" => "in:postmortem",
        _ => "incident:INC-2026-0001",
    }
}

fn invalid(message: String) -> Error {
    Error::invalid("query", message)
}

#[cfg(test)]
mod tests {
    use super::{parse, Within};
    use crate::audit::Entity;
    use crate::trace::StepKind;

    fn text(q: &str) -> Option<String> {
        parse(q).unwrap().text
    }

    #[test]
    fn words_and_phrases_are_passed_quoted_so_punctuation_is_never_an_operator() {
        assert_eq!(text("refund").as_deref(), Some("\"refund\""));
        assert_eq!(text("alice@example.com").as_deref(), Some("\"alice@example.com\""));
        assert_eq!(text("refund* \"wire transfer\"").as_deref(), Some("\"refund\"* AND \"wire transfer\""));
        assert!(parse("say \"hi\"\"").is_err(), "an unclosed mark is refused, not guessed");
        // FTS5's own syntax in a word is only text: a column filter, a NEAR group, a caret.
        assert_eq!(
            text("arguments:x NEAR(a b) ^c").as_deref(),
            Some("\"arguments:x\" AND \"NEAR\" AND ( \"a\" AND \"b\" ) AND \"^c\"")
        );
    }

    #[test]
    fn operators_and_brackets_are_kept_and_checked() {
        assert_eq!(text("refund OR chargeback").as_deref(), Some("\"refund\" OR \"chargeback\""));
        assert_eq!(text("refund NOT test").as_deref(), Some("\"refund\" NOT \"test\""));
        assert_eq!(text("(a OR b) c").as_deref(), Some("( \"a\" OR \"b\" ) AND \"c\""));
        assert_eq!(text("refund or chargeback").as_deref(), Some("\"refund\" AND \"or\" AND \"chargeback\""));
        for bad in ["NOT test", "refund OR", "a AND OR b", "(a", "a)", "()", "\"open"] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(!err.is_empty(), "{bad} must be refused");
        }
        assert!(parse("NOT test").unwrap_err().to_string().contains("NOT needs words on both sides"));
    }

    #[test]
    fn filters_are_taken_out_and_read() {
        let q = parse("refund tool:email.send error:yes kind:tool_call agent:\"billing bot\" in:steps").unwrap();
        assert_eq!(q.text.as_deref(), Some("\"refund\""));
        assert_eq!(q.tool.as_deref(), Some("email.send"));
        assert_eq!(q.agent.as_deref(), Some("billing bot"));
        assert_eq!(q.error, Some(true));
        assert_eq!(q.kind, Some(StepKind::ToolCall));
        assert_eq!(q.within, Some(Within::Steps));
        assert!(q.steps_only());
        assert_eq!(parse("in:postmortem x").unwrap().within, Some(Within::Records(Entity::Postmortem)));
        assert_eq!(parse("tool:x").unwrap().text, None, "filters alone are a search too");
        // An unknown field is a word, not a filter.
        assert_eq!(text("https://example.com").as_deref(), Some("\"https://example.com\""));
        for bad in ["error:maybe", "kind:nap", "in:nowhere x", "tool:a tool:b", "a OR tool:x", "tool:"] {
            assert!(parse(bad).is_err(), "{bad} must be refused");
        }
        assert!(parse(&"a ".repeat(600)).is_err(), "an overlong search is refused");
    }
}
