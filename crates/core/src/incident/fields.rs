//! The fields of the incident record: names (as in JSON, CLI and columns), labels, kinds, and how a value of each
//! kind is parsed from text and normalised. One table drives the form, the CLI, storage and `verify`.

use crate::error::{Error, Result};
use crate::vocabulary::{DataClass, DetectedBy, IncidentType, OwaspAgentic, OwaspLlm, Severity, Status};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// Free text up to `max` characters.
    Text { max: usize, required: bool },
    /// An instant, stored as RFC 3339 UTC.
    Time,
    /// One key of a choice list.
    Choice { options: fn() -> Vec<&'static str>, required: bool },
    /// Several keys of a choice list.
    MultiChoice { options: fn() -> Vec<&'static str> },
    /// Several free-text items (systems, tools).
    TextList,
    /// Incident types, each with an optional OWASP mapping.
    IncidentTypes,
    /// A person's name from the people directory.
    Person,
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
}

const SHORT: usize = 200;
const LONG: usize = 20_000;

fn keys<T: Copy>(all: &[T], key: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&c| key(c)).collect()
}

/// The editable fields, in the order forms show them.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "title", label: "Title", kind: FieldKind::Text { max: SHORT, required: true } },
    FieldSpec {
        name: "status",
        label: "Status",
        kind: FieldKind::Choice { options: || keys(Status::ALL, Status::key), required: true },
    },
    FieldSpec {
        name: "severity",
        label: "Severity",
        kind: FieldKind::Choice { options: || keys(Severity::ALL, Severity::key), required: false },
    },
    FieldSpec { name: "workflow", label: "Workflow affected", kind: FieldKind::Text { max: SHORT, required: false } },
    FieldSpec { name: "agent", label: "Agent / runtime", kind: FieldKind::Text { max: SHORT, required: false } },
    FieldSpec { name: "model", label: "Model", kind: FieldKind::Text { max: SHORT, required: false } },
    FieldSpec { name: "model_version", label: "Model version", kind: FieldKind::Text { max: SHORT, required: false } },
    FieldSpec {
        name: "prompt_config_hash",
        label: "Prompt / config hash",
        kind: FieldKind::Text { max: SHORT, required: false },
    },
    FieldSpec { name: "toolset", label: "Toolset", kind: FieldKind::TextList },
    FieldSpec {
        name: "detected_by",
        label: "Detected by",
        kind: FieldKind::Choice { options: || keys(DetectedBy::ALL, DetectedBy::key), required: false },
    },
    FieldSpec { name: "detected_at", label: "Detection time", kind: FieldKind::Time },
    FieldSpec { name: "aware_at", label: "Awareness time", kind: FieldKind::Time },
    FieldSpec { name: "commander", label: "Incident commander", kind: FieldKind::Person },
    FieldSpec { name: "business_owner", label: "Business owner", kind: FieldKind::Person },
    FieldSpec { name: "technical_owner", label: "Technical owner", kind: FieldKind::Person },
    FieldSpec { name: "affected_systems", label: "Affected systems", kind: FieldKind::TextList },
    FieldSpec {
        name: "data_classes",
        label: "Affected data classes",
        kind: FieldKind::MultiChoice { options: || keys(DataClass::ALL, DataClass::key) },
    },
    FieldSpec { name: "incident_types", label: "Incident types", kind: FieldKind::IncidentTypes },
    FieldSpec {
        name: "customer_impact",
        label: "Customer impact",
        kind: FieldKind::Text { max: LONG, required: false },
    },
    FieldSpec { name: "vendor_impact", label: "Vendor impact", kind: FieldKind::Text { max: LONG, required: false } },
    FieldSpec {
        name: "employee_impact",
        label: "Employee impact",
        kind: FieldKind::Text { max: LONG, required: false },
    },
    FieldSpec { name: "summary", label: "Summary", kind: FieldKind::Text { max: LONG, required: false } },
];

pub fn spec(name: &str) -> Result<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.name == name).ok_or_else(|| {
        let known: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        Error::invalid(name, format!("Unknown field \"{name}\". Fields you can set: {}.", known.join(", ")))
    })
}

impl FieldSpec {
    /// Whether the stored column holds JSON (lists) rather than a plain string.
    pub fn is_list(&self) -> bool {
        matches!(self.kind, FieldKind::MultiChoice { .. } | FieldKind::TextList | FieldKind::IncidentTypes)
    }

    /// The value meant by a command-line `FIELD=VALUE`. Lists are comma-separated (or a JSON array); incident
    /// types may carry their OWASP mapping as `type:LLM01:ASI01`. An empty text clears the field.
    pub fn parse_text(&self, text: &str) -> Result<Value> {
        let text = text.trim();
        let value = match self.kind {
            FieldKind::MultiChoice { .. } | FieldKind::TextList | FieldKind::IncidentTypes if text.starts_with('[') => {
                serde_json::from_str(text)
                    .map_err(|e| Error::invalid(self.name, format!("{} is not a valid JSON list: {e}.", self.label)))?
            }
            FieldKind::MultiChoice { .. } | FieldKind::TextList => {
                Value::Array(split_list(text).map(|s| Value::String(s.to_string())).collect())
            }
            FieldKind::IncidentTypes => {
                let mut tags = Vec::new();
                for item in split_list(text) {
                    let mut parts = item.split(':').map(str::trim);
                    let kind = parts.next().unwrap_or_default();
                    let mut tag = json!({ "kind": kind, "owasp_llm": null, "owasp_agentic": null });
                    for part in parts.filter(|p| !p.is_empty()) {
                        let slot =
                            if part.to_ascii_uppercase().starts_with("LLM") { "owasp_llm" } else { "owasp_agentic" };
                        tag[slot] = Value::String(part.to_ascii_uppercase());
                    }
                    tags.push(tag);
                }
                Value::Array(tags)
            }
            _ => Value::String(text.to_string()),
        };
        self.normalize(value)
    }

    /// Checks a value against the field's kind and returns it in stored form (trimmed text, UTC instants, known
    /// keys, de-duplicated lists). Null and "" clear a field.
    pub fn normalize(&self, value: Value) -> Result<Value> {
        let label = self.label;
        let required =
            matches!(self.kind, FieldKind::Text { required: true, .. } | FieldKind::Choice { required: true, .. });
        if required && is_empty(&value) {
            return Err(Error::invalid(self.name, format!("{label} is required.")));
        }
        match self.kind {
            FieldKind::Text { max, .. } => {
                let text = self.text(value)?;
                if text.chars().count() > max {
                    return Err(Error::invalid(
                        self.name,
                        format!("{label} is too long ({} characters); keep it under {max}.", text.chars().count()),
                    ));
                }
                Ok(Value::String(text))
            }
            FieldKind::Person => Ok(Value::String(self.text(value)?)),
            FieldKind::Time => {
                let text = self.text(value)?;
                if text.is_empty() {
                    return Ok(Value::Null);
                }
                let t = parse_instant(&text).ok_or_else(|| {
                    Error::invalid(
                        self.name,
                        format!(
                            "{label} \"{text}\" is not a date and time Firebreak understands. Use RFC 3339 with a zone, \
                             for example 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00."
                        ),
                    )
                })?;
                Ok(Value::String(crate::audit::format_instant(t)))
            }
            FieldKind::Choice { options, .. } => {
                let key = self.text(value)?;
                if key.is_empty() {
                    return Ok(Value::Null);
                }
                let options = options();
                if !options.contains(&key.as_str()) {
                    return Err(Error::invalid(
                        self.name,
                        format!("{label} \"{key}\" is not one of the choices: {}.", options.join(", ")),
                    ));
                }
                Ok(Value::String(key))
            }
            FieldKind::MultiChoice { options } => {
                let options = options();
                let items = self.string_items(value)?;
                if let Some(bad) = items.iter().find(|i| !options.contains(&i.as_str())) {
                    return Err(Error::invalid(
                        self.name,
                        format!("{label}: \"{bad}\" is not one of the choices: {}.", options.join(", ")),
                    ));
                }
                Ok(Value::Array(items.into_iter().map(Value::String).collect()))
            }
            FieldKind::TextList => {
                let items = self.string_items(value)?;
                if let Some(long) = items.iter().find(|i| i.chars().count() > SHORT) {
                    return Err(Error::invalid(
                        self.name,
                        format!("{label}: \"{}…\" is too long; keep each item under {SHORT} characters.", prefix(long)),
                    ));
                }
                Ok(Value::Array(items.into_iter().map(Value::String).collect()))
            }
            FieldKind::IncidentTypes => self.incident_types(value),
        }
    }

    fn text(&self, value: Value) -> Result<String> {
        match value {
            Value::Null => Ok(String::new()),
            Value::String(s) => Ok(s.trim().to_string()),
            other => Err(Error::invalid(self.name, format!("{} must be text, not {other}.", self.label))),
        }
    }

    fn string_items(&self, value: Value) -> Result<Vec<String>> {
        let items = match value {
            Value::Null => return Ok(Vec::new()),
            Value::Array(items) => items,
            Value::String(s) => split_list(&s).map(|s| Value::String(s.to_string())).collect(),
            other => return Err(Error::invalid(self.name, format!("{} must be a list, not {other}.", self.label))),
        };
        let mut out: Vec<String> = Vec::new();
        for item in items {
            let Value::String(s) = item else {
                return Err(Error::invalid(self.name, format!("{} must be a list of text items.", self.label)));
            };
            let s = s.trim().to_string();
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
        Ok(out)
    }

    fn incident_types(&self, value: Value) -> Result<Value> {
        let items = match value {
            Value::Null => Vec::new(),
            Value::Array(items) => items,
            other => return Err(Error::invalid(self.name, format!("Incident types must be a list, not {other}."))),
        };
        let mut out: Vec<Value> = Vec::new();
        let mut seen = Vec::new();
        for item in items {
            let (kind, llm, agentic) = match &item {
                Value::String(kind) => (kind.clone(), None, None),
                Value::Object(o) => (
                    o.get("kind").and_then(Value::as_str).unwrap_or_default().to_string(),
                    o.get("owasp_llm").and_then(Value::as_str).map(str::to_string),
                    o.get("owasp_agentic").and_then(Value::as_str).map(str::to_string),
                ),
                other => {
                    return Err(Error::invalid(self.name, format!("Incident type {other} is not a type name.")));
                }
            };
            let kind = IncidentType::parse(kind.trim()).ok_or_else(|| {
                let known: Vec<&str> = IncidentType::ALL.iter().map(|t| t.key()).collect();
                Error::invalid(self.name, format!("\"{kind}\" is not an incident type. Types: {}.", known.join(", ")))
            })?;
            let llm = match llm.filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => Some(OwaspLlm::parse(&s).ok_or_else(|| {
                    Error::invalid(
                        self.name,
                        format!("\"{s}\" is not an OWASP LLM Top 10 (2025) ID; use LLM01 to LLM10."),
                    )
                })?),
            };
            let agentic = match agentic.filter(|s| !s.is_empty()) {
                None => None,
                Some(s) => Some(OwaspAgentic::parse(&s).ok_or_else(|| {
                    Error::invalid(
                        self.name,
                        format!("\"{s}\" is not an OWASP Agentic Top 10 (2026) ID; use ASI01 to ASI10."),
                    )
                })?),
            };
            if seen.contains(&kind) {
                continue;
            }
            seen.push(kind);
            out.push(json!({ "kind": kind, "owasp_llm": llm, "owasp_agentic": agentic }));
        }
        Ok(Value::Array(out))
    }
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '\n']).map(str::trim).filter(|s| !s.is_empty())
}

fn prefix(s: &str) -> String {
    s.chars().take(40).collect()
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The last year an instant may fall in. Deadlines run up to a year past their trigger, and RFC 3339 cannot write
/// a year past 9999 (a trigger in 9999 would give a due time printed as `+10000-…`).
pub const LATEST_YEAR: i32 = 9000;

/// RFC 3339 with an explicit offset; instants without a zone are ambiguous for legal clocks and are refused, and so
/// are instants after [`LATEST_YEAR`].
///
/// Digits past the microsecond are dropped. A leap second (`23:59:60`) is the instant it ends at, the next second's start: chrono keeps it as 23:59:59 with
/// an extra second of nanoseconds, which arithmetic drops, so a 72-hour clock counted from it ended a second early.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    use chrono::{Datelike, Timelike};
    let t = DateTime::parse_from_rfc3339(text.trim()).ok()?.with_timezone(&Utc);
    let t = if t.nanosecond() >= 1_000_000_000 { t.with_nanosecond(0)? + chrono::Duration::seconds(1) } else { t };
    // Kept to the microsecond, as the trail writes instants: a nanosecond more would read back as another time.
    let t = chrono::SubsecRound::trunc_subsecs(t, 6);
    (t.year() <= LATEST_YEAR).then_some(t)
}

/// [`parse_instant`], or a message naming `field` that says how to write a time.
pub fn instant(field: &str, text: &str) -> Result<DateTime<Utc>> {
    parse_instant(text).ok_or_else(|| {
        Error::invalid(
            field,
            format!(
                "\"{text}\" is not a time Firebreak takes; write RFC 3339 with a zone, e.g. 2026-11-20T14:30:00Z \
                 (years up to {LATEST_YEAR})."
            ),
        )
    })
}
