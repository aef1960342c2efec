//! Postmortem: summary, impact, gaps, root cause and its layers, contributing factors, five whys, what worked and
//! failed; the timeline (built from the record's events plus manual entries); remediation items.

mod remediation;
pub(crate) mod timeline;

pub use remediation::{add_remediation, remediation, shallow_warning, update_remediation, RemediationUpdate};
pub use timeline::{add_timeline_entry, timeline, TimelineEvent, TimelineKind};

use super::{Declaration, Phase, PhaseProgress};
use crate::audit::{Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::record::{self, Table};
use crate::store::Store;
use crate::text::limited;
use crate::vocabulary::{Choice, Status};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

crate::choices!(
    ContributingFactor, "ContributingFactor.ts" {
        PromptChange => ("prompt_change", "Prompt change"),
        ModelChange => ("model_change", "Model change"),
        ToolSchema => ("tool_schema", "Tool schema change"),
        StaleData => ("stale_data", "Stale data"),
        MissingOwner => ("missing_owner", "Missing owner"),
        RetryLoop => ("retry_loop", "Retry loop"),
        UnclearPolicy => ("unclear_policy", "Unclear policy"),
        MissingApproval => ("missing_approval", "Missing approval gate"),
        ExcessivePermissions => ("excessive_permissions", "Excessive permissions"),
        NoMonitoring => ("no_monitoring", "No monitoring or alert"),
    }
);

crate::choices!(
    RootCauseLayer, "RootCauseLayer.ts" {
        ModelBehaviour => ("model_behaviour", "Model behaviour"),
        RetrievalData => ("retrieval_data", "Retrieval and data"),
        ToolsIntegrations => ("tools_integrations", "Tools and integrations"),
        OrchestrationState => ("orchestration_state", "Orchestration and state"),
    }
);

crate::choices!(
    ControlType, "ControlType.ts" {
        NarrowerPermissions => ("narrower_permissions", "Narrower permissions"),
        InputFreshness => ("input_freshness", "Input freshness checks"),
        Idempotency => ("idempotency", "Idempotency"),
        BlockedActions => ("blocked_actions", "Blocked actions"),
        ApprovalGate => ("approval_gate", "Approval gate"),
        RunRecords => ("run_records", "Run records"),
        AlertThresholds => ("alert_thresholds", "Alert thresholds"),
        AdversarialTests => ("adversarial_tests", "Adversarial tests"),
        PromptVersioning => ("prompt_versioning", "Prompt / policy versioning"),
        ChangeControl => ("change_control", "Change control"),
        Training => ("training", "Training"),
        ReenableCriteria => ("reenable_criteria", "Re-enable criteria"),
        PromptChange => ("prompt_change", "Prompt change"),
    }
);

crate::choices!(
    RemediationStatus, "RemediationStatus.ts" {
        Open => ("open", "Open"),
        InProgress => ("in_progress", "In progress"),
        Done => ("done", "Done"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE postmortems (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    summary TEXT,
    impact_records TEXT,
    impact_users TEXT,
    impact_customers TEXT,
    impact_money TEXT,
    impact_hours TEXT,
    detection_gap TEXT,
    control_gap TEXT,
    root_cause TEXT,
    root_cause_layers TEXT,
    contributing_factors TEXT,
    what_worked TEXT,
    what_failed TEXT,
    five_whys TEXT,
    completed TEXT
);
CREATE UNIQUE INDEX postmortems_incident ON postmortems (incident);
CREATE TABLE timeline_entries (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    at TEXT,
    text TEXT
);
CREATE INDEX timeline_entries_incident ON timeline_entries (incident);
CREATE TABLE remediation_items (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    control_type TEXT,
    description TEXT,
    owner TEXT,
    due_date TEXT,
    status TEXT
);
CREATE INDEX remediation_items_incident ON remediation_items (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::Postmortem,
    name: "postmortems",
    fields: &[
        "incident",
        "summary",
        "impact_records",
        "impact_users",
        "impact_customers",
        "impact_money",
        "impact_hours",
        "detection_gap",
        "control_gap",
        "root_cause",
        "root_cause_layers",
        "contributing_factors",
        "what_worked",
        "what_failed",
        "five_whys",
        "completed",
    ],
};

pub(crate) const TIMELINE: Table =
    Table { entity: Entity::TimelineEntry, name: "timeline_entries", fields: &["incident", "at", "text"] };

pub(crate) const REMEDIATION: Table = Table {
    entity: Entity::RemediationItem,
    name: "remediation_items",
    fields: &["incident", "control_type", "description", "owner", "due_date", "status"],
};

/// The incident's postmortem (one per incident, created on first save).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "Postmortem.ts")]
pub struct Postmortem {
    pub id: String,
    pub incident: String,
    pub summary: String,
    #[ts(type = "number | null")]
    pub impact_records: Option<u64>,
    #[ts(type = "number | null")]
    pub impact_users: Option<u64>,
    #[ts(type = "number | null")]
    pub impact_customers: Option<u64>,
    /// Money lost or at risk, in the organisation's currency.
    pub impact_money: Option<f64>,
    /// People-hours spent on the incident.
    pub impact_hours: Option<f64>,
    pub detection_gap: String,
    pub control_gap: String,
    pub root_cause: String,
    pub root_cause_layers: Vec<RootCauseLayer>,
    pub contributing_factors: Vec<ContributingFactor>,
    pub what_worked: String,
    pub what_failed: String,
    /// Up to five "why?" answers, in order.
    pub five_whys: Vec<String>,
    pub completed: bool,
}

/// A manual timeline entry; the automatic ones are derived from the record and not stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "TimelineEntry.ts")]
pub struct TimelineEntry {
    pub id: String,
    pub incident: String,
    pub at: DateTime<Utc>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "RemediationItem.ts")]
pub struct RemediationItem {
    pub id: String,
    pub incident: String,
    pub control_type: ControlType,
    pub description: String,
    pub owner: String,
    pub due_date: Option<NaiveDate>,
    pub status: RemediationStatus,
}

pub(crate) const MAX_TEXT: usize = 20_000;
const MAX_WHY: usize = 2_000;
pub(crate) const MAX_SHORT: usize = 500;
const MAX_WHYS: usize = 5;

/// The incident's postmortem; an empty one (with no ID) before its first save.
pub fn get(store: &Store, key: &str) -> Result<Postmortem> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    Ok(stored(&conn, &incident)?
        .unwrap_or_else(|| Postmortem { incident: incident.uuid.clone(), ..Default::default() }))
}

/// Saves the postmortem as given (its `id` and `incident` are ignored), creating it on first save. Marking it
/// completed is refused until it has a summary, a root cause, a root-cause layer and a remediation item.
pub fn save(store: &Store, actor: &Actor, key: &str, input: Postmortem) -> Result<Postmortem> {
    let input = normalized(input)?;
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let existing = stored(tx, &incident)?;
        let after = Postmortem {
            id: existing.as_ref().map_or_else(record::new_id, |p| p.id.clone()),
            incident: incident.uuid.clone(),
            ..input
        };
        if after.completed {
            let missing = missing_parts(tx, &incident, &after)?;
            if !missing.is_empty() {
                return Err(Error::invalid(
                    "completed",
                    format!("The postmortem cannot be marked complete yet. Still missing: {}.", missing.join("; ")),
                ));
            }
        }
        match &existing {
            Some(before) => TABLE.update(tx, before, &after, None).map(|_| ())?,
            None => TABLE.insert(tx, &after).map(|_| ())?,
        }
        Ok(after)
    })
}

/// Sets one field from text, as `firebreak postmortem set FIELD=VALUE` gives it: lists comma-separated, the five
/// whys separated by `|`, numbers as digits, `completed` as yes/no. An empty value clears the field.
pub fn assign(postmortem: Postmortem, field: &str, text: &str) -> Result<Postmortem> {
    let text = text.trim();
    let list = |sep: char| -> Value {
        Value::Array(text.split(sep).map(str::trim).filter(|s| !s.is_empty()).map(Value::from).collect())
    };
    let value = match field {
        "summary" | "detection_gap" | "control_gap" | "root_cause" | "what_worked" | "what_failed" => Value::from(text),
        "impact_records" | "impact_users" | "impact_customers" | "impact_money" | "impact_hours" => {
            if text.is_empty() {
                Value::Null
            } else {
                let number: f64 = text.parse().ok().filter(|n: &f64| n.is_finite()).ok_or_else(|| {
                    Error::invalid(field, format!("\"{text}\" is not a number for {field}; write digits, e.g. 120."))
                })?;
                if number < 0.0 {
                    return Err(Error::invalid(field, format!("{field} cannot be negative.")));
                }
                if field.ends_with("money") || field.ends_with("hours") {
                    Value::from(number)
                } else if number.fract() == 0.0 {
                    Value::from(number as u64)
                } else {
                    return Err(Error::invalid(field, format!("{field} is a count: write a whole number.")));
                }
            }
        }
        "root_cause_layers" | "contributing_factors" => {
            let value = list(',');
            for key in value.as_array().into_iter().flatten().filter_map(Value::as_str) {
                let known = if field == "root_cause_layers" {
                    RootCauseLayer::parse(key).is_some()
                } else {
                    ContributingFactor::parse(key).is_some()
                };
                if !known {
                    let keys: Vec<&str> = if field == "root_cause_layers" {
                        RootCauseLayer::ALL.iter().map(|l| l.key()).collect()
                    } else {
                        ContributingFactor::ALL.iter().map(|f| f.key()).collect()
                    };
                    return Err(Error::invalid(
                        field,
                        format!("\"{key}\" is not one of the {field}: {}.", keys.join(", ")),
                    ));
                }
            }
            value
        }
        "five_whys" => list('|'),
        "completed" => match text.to_ascii_lowercase().as_str() {
            "yes" | "true" => Value::Bool(true),
            "no" | "false" | "" => Value::Bool(false),
            _ => return Err(Error::invalid(field, "completed is yes or no.")),
        },
        _ => {
            return Err(Error::invalid_input(format!(
                "\"{field}\" is not a postmortem field. Fields: summary, impact_records, impact_users, \
                 impact_customers, impact_money, impact_hours, detection_gap, control_gap, root_cause, \
                 root_cause_layers, contributing_factors, what_worked, what_failed, five_whys, completed."
            )))
        }
    };
    let mut map = match serde_json::to_value(&postmortem)? {
        Value::Object(map) => map,
        _ => return Err(Error::storage("A postmortem did not serialise to an object.")),
    };
    map.insert(field.to_string(), value);
    Ok(serde_json::from_value(Value::Object(map))?)
}

/// Everything the postmortem screen shows at once: the postmortem, its timeline, the remediation items, the
/// shallow-postmortem warning, what is still missing before it can be marked complete, and the choice lists.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "PostmortemView.ts")]
pub struct PostmortemView {
    pub postmortem: Postmortem,
    pub timeline: Vec<TimelineEvent>,
    pub remediation: Vec<RemediationItem>,
    pub shallow_warning: Option<String>,
    /// What marking the postmortem complete still needs (empty when it can be marked complete).
    pub missing: Vec<String>,
    /// How many affected objects the side-effect audit recorded, shown beside the timeline.
    #[ts(type = "number")]
    pub affected_objects: u64,
    pub layers: Vec<Choice>,
    pub factors: Vec<Choice>,
    pub control_types: Vec<Choice>,
    pub remediation_statuses: Vec<Choice>,
    pub timeline_kinds: Vec<Choice>,
}

/// The postmortem screen's data in one read.
pub fn view(store: &Store, key: &str) -> Result<PostmortemView> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let postmortem = stored(&conn, &incident)?
        .unwrap_or_else(|| Postmortem { incident: incident.uuid.clone(), ..Default::default() });
    let missing = missing_parts(&conn, &incident, &postmortem)?;
    let affected_objects = crate::phases::affected::total(&conn, &incident)?;
    Ok(PostmortemView {
        timeline: timeline::events(&conn, &incident)?,
        remediation: items(&conn, &incident)?,
        shallow_warning: shallow_warning(&conn, &incident)?,
        missing,
        affected_objects,
        postmortem,
        layers: RootCauseLayer::options(),
        factors: ContributingFactor::options(),
        control_types: ControlType::options(),
        remediation_statuses: RemediationStatus::options(),
        timeline_kinds: TimelineKind::options(),
    })
}

/// Complete when the postmortem is marked completed.
pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let postmortem = stored(conn, incident)?.unwrap_or_default();
    let mut missing = Vec::new();
    if !postmortem.completed {
        missing = missing_parts(conn, incident, &postmortem)?;
        missing.push("Mark the postmortem complete".into());
    }
    Ok(PhaseProgress {
        phase: Phase::Postmortem,
        label: Phase::Postmortem.label().into(),
        complete: missing.is_empty(),
        next: missing.first().cloned(),
        missing,
    })
}

pub(crate) fn stored(conn: &Connection, incident: &Incident) -> Result<Option<Postmortem>> {
    let key = incident.row_key();
    Ok(TABLE.select(conn, "incident = ?1", &[&key])?.pop())
}

pub(crate) fn items(conn: &Connection, incident: &Incident) -> Result<Vec<RemediationItem>> {
    let key = incident.row_key();
    REMEDIATION.select(conn, "incident = ?1", &[&key])
}

fn missing_parts(conn: &Connection, incident: &Incident, p: &Postmortem) -> Result<Vec<String>> {
    let mut missing = Vec::new();
    if p.summary.trim().is_empty() {
        missing.push("a summary".to_string());
    }
    if p.root_cause.trim().is_empty() {
        missing.push("the root cause".to_string());
    }
    if p.root_cause_layers.is_empty() {
        missing.push("at least one root-cause layer".to_string());
    }
    if items(conn, incident)?.is_empty() {
        missing.push("at least one remediation item".to_string());
    }
    Ok(missing)
}

fn normalized(p: Postmortem) -> Result<Postmortem> {
    let mut p = p;
    for (field, text) in [
        ("summary", &mut p.summary),
        ("detection_gap", &mut p.detection_gap),
        ("control_gap", &mut p.control_gap),
        ("root_cause", &mut p.root_cause),
        ("what_worked", &mut p.what_worked),
        ("what_failed", &mut p.what_failed),
    ] {
        *text = limited(field, text, MAX_TEXT)?;
    }
    for (field, number) in [("impact_money", p.impact_money), ("impact_hours", p.impact_hours)] {
        if number.is_some_and(|n| !n.is_finite() || n < 0.0) {
            return Err(Error::invalid(field, format!("{field} must be a number of zero or more.")));
        }
    }
    let whys: Vec<String> = p.five_whys.iter().map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect();
    if whys.len() > MAX_WHYS {
        return Err(Error::invalid(
            "five_whys",
            format!("There are {} whys; keep to five (merge or drop the weakest).", whys.len()),
        ));
    }
    if whys.iter().any(|w| w.chars().count() > MAX_WHY) {
        return Err(Error::invalid("five_whys", format!("Keep each why under {MAX_WHY} characters.")));
    }
    p.five_whys = whys;
    p.root_cause_layers = deduplicated(p.root_cause_layers);
    p.contributing_factors = deduplicated(p.contributing_factors);
    Ok(p)
}

fn deduplicated<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

pub(crate) fn required(field: &str, text: &str, max: usize, what: &str) -> Result<String> {
    let text = limited(field, text, max)?;
    if text.is_empty() {
        return Err(Error::invalid(field, what));
    }
    Ok(text)
}

pub const PHASE: Declaration = Declaration {
    phase: Phase::Postmortem,
    tables: &[&TABLE, &TIMELINE, &REMEDIATION],
    schema: &[(2, SCHEMA_V2)],
    progress,
    gates: &[Status::Closed],
    timeline: timeline::manual_entries,
};
