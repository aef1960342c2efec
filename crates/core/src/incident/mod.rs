//! The incident record: its row type, table, and the audited operations on it.

pub mod fields;
mod reference;

pub use fields::{spec, FieldKind, FieldSpec, FIELDS};

use crate::audit::{self, canonical, Actor, AuditEntry, Entity};
use crate::error::{Error, Result};
use crate::store::{Store, Tx};
use crate::vocabulary::{DataClass, DetectedBy, IncidentType, OwaspAgentic, OwaspLlm, Severity, Status};
use crate::{people, profile};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

pub(crate) const SCHEMA_V1: &str = "
CREATE TABLE incidents (
    uuid               TEXT PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    created_at         TEXT NOT NULL,
    title              TEXT NOT NULL,
    status             TEXT NOT NULL,
    severity           TEXT,
    workflow           TEXT,
    agent              TEXT,
    model              TEXT,
    model_version      TEXT,
    prompt_config_hash TEXT,
    toolset            TEXT,
    detected_by        TEXT,
    detected_at        TEXT,
    aware_at           TEXT,
    commander          TEXT,
    business_owner     TEXT,
    technical_owner    TEXT,
    affected_systems   TEXT,
    data_classes       TEXT,
    incident_types     TEXT,
    customer_impact    TEXT,
    vendor_impact      TEXT,
    employee_impact    TEXT,
    summary            TEXT
);
CREATE INDEX incidents_status ON incidents (status);
";

/// How far in the future a time may lie before it is refused: clocks of different machines disagree a little.
pub(crate) const CLOCK_SKEW: Duration = Duration::minutes(5);

/// An incident type with its optional OWASP mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "IncidentTypeTag.ts")]
pub struct IncidentTypeTag {
    pub kind: IncidentType,
    pub owasp_llm: Option<OwaspLlm>,
    pub owasp_agentic: Option<OwaspAgentic>,
}

/// Everything about an incident a person can edit. Field names are the same in JSON, the CLI and the table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "IncidentFields.ts")]
pub struct IncidentFields {
    pub title: String,
    pub status: Status,
    pub severity: Option<Severity>,
    pub workflow: String,
    pub agent: String,
    pub model: String,
    pub model_version: String,
    pub prompt_config_hash: String,
    pub toolset: Vec<String>,
    pub detected_by: Option<DetectedBy>,
    pub detected_at: Option<DateTime<Utc>>,
    pub aware_at: Option<DateTime<Utc>>,
    pub commander: String,
    pub business_owner: String,
    pub technical_owner: String,
    pub affected_systems: Vec<String>,
    pub data_classes: Vec<DataClass>,
    pub incident_types: Vec<IncidentTypeTag>,
    pub customer_impact: String,
    pub vendor_impact: String,
    pub employee_impact: String,
    pub summary: String,
}

/// An incident as stored: its human ID (`AI-INC-YYYY-MMDD-NNN`), internal UUID v7, and fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Incident.ts")]
pub struct Incident {
    pub id: String,
    pub uuid: String,
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub fields: IncidentFields,
}

/// One field change requested by a form or the CLI. When `expected` is given, the change applies only if the
/// field still holds that value, so an edit made meanwhile by someone else is never silently overwritten.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export_to = "FieldChange.ts")]
pub struct FieldChange {
    pub field: String,
    pub value: Value,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub expected: Option<Value>,
}

/// Keeps an explicit `null` as `Some(Null)` ("expected empty"), unlike serde's default for `Option`.
fn present<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl FieldChange {
    pub fn new(field: impl Into<String>, value: Value) -> Self {
        FieldChange { field: field.into(), value, expected: None }
    }
}

/// Filters of `firebreak incident list`.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<Status>,
}

/// Opens a new incident. `confirm_early_awareness` must be true to accept an awareness time earlier than the
/// detection time, because it starts the legal clocks earlier.
pub fn create(store: &Store, actor: &Actor, draft: IncidentFields, confirm_early_awareness: bool) -> Result<Incident> {
    store.write(actor, |tx| {
        let draft = normalize_all(draft)?;
        validate(&draft, None, tx.at(), confirm_early_awareness)?;
        let zone = profile::zone(tx)?;
        let incident = Incident {
            id: reference::next(tx, tx.at().with_timezone(&zone).date_naive())?,
            uuid: uuid::Uuid::now_v7().to_string(),
            created_at: tx.at(),
            fields: draft,
        };
        insert(tx, &incident)?;
        let reason = early_awareness(&incident.fields).then_some(EARLY_AWARENESS_REASON);
        tx.record(
            Entity::Incident,
            &incident.uuid,
            audit::CREATED,
            None,
            canonical(&Value::String(incident.id.clone())),
            None,
        )?;
        for (field, value) in audited_values(&incident)? {
            if let Some(value) = value {
                let why = if field == "aware_at" { reason } else { None };
                tx.record(Entity::Incident, &incident.uuid, &field, None, Some(value), why)?;
            }
        }
        add_owners_to_directory(tx, &incident.fields, None)?;
        Ok(incident)
    })
}

/// What a change must also satisfy that the record cannot judge by itself — the phase gates of a status change, the
/// severity floor of the latest assessment — given by the layer above (`phases::guidance`). It refuses the change,
/// or answers the reason to keep with a status change (an override's).
pub(crate) type ChangeRules<'a> = &'a dyn Fn(&Connection, &Incident, &IncidentFields) -> Result<Option<String>>;

/// Applies field changes to an incident inside a caller's transaction, each with its audit entry; unchanged values
/// write nothing. `rules` see the incident before and after, once the record's own checks passed.
pub(crate) fn apply_checked(
    tx: &mut Tx<'_>,
    key: &str,
    changes: &[FieldChange],
    confirm_early_awareness: bool,
    rules: ChangeRules<'_>,
) -> Result<Incident> {
    let before = find(tx, key)?;
    let mut map = to_map(&before.fields)?;
    for change in changes {
        let spec = spec(&change.field)?;
        if let Some(expected) = &change.expected {
            let expected = canonical_of(spec, expected.clone())?;
            let current = map.get(spec.name).and_then(canonical);
            if expected != current {
                return Err(Error::Conflict {
                    message: format!(
                        "{} of {} was changed by someone else since you opened it (it is now {}). Reload the \
                         incident, check the new value, and make your change again.",
                        spec.label,
                        before.id,
                        current.as_deref().unwrap_or("empty")
                    ),
                });
            }
        }
        map.insert(spec.name.to_string(), spec.normalize(change.value.clone())?);
    }
    let fields: IncidentFields = serde_json::from_value(Value::Object(map))?;
    let touches_times = changes.iter().any(|c| c.field == "aware_at" || c.field == "detected_at");
    validate(&fields, Some(&before.fields), tx.at(), confirm_early_awareness || !touches_times)?;
    let status_reason = rules(tx, &before, &fields)?.filter(|_| fields.status != before.fields.status);

    let after = Incident { fields, ..before.clone() };
    let old = audited_values(&before)?;
    let new = audited_values(&after)?;
    let reason = (touches_times && early_awareness(&after.fields)).then_some(EARLY_AWARENESS_REASON);
    for ((field, old), (_, new)) in old.into_iter().zip(new) {
        if old != new {
            let spec = spec(&field)?;
            tx.execute(
                &format!("UPDATE incidents SET {} = ?1 WHERE uuid = ?2", spec.name),
                params![column_text(spec.is_list(), &new), after.uuid],
            )?;
            let why = match field.as_str() {
                "aware_at" | "detected_at" => reason,
                "status" => status_reason.as_deref(),
                _ => None,
            };
            tx.record(Entity::Incident, &after.uuid, &field, old, new, why)?;
        }
    }
    add_owners_to_directory(tx, &after.fields, Some(&before.fields))?;
    Ok(after)
}

impl Incident {
    /// The incident as a phase row's `incident` column holds it (its UUID as canonical JSON text): the one way to
    /// look up an incident's rows, `WHERE incident = ?1`.
    pub fn row_key(&self) -> String {
        Value::String(self.uuid.clone()).to_string()
    }
}

/// An incident by human ID (any letter case) or UUID.
pub fn get(store: &Store, key: &str) -> Result<Incident> {
    find(&store.connect()?, key)
}

pub fn list(store: &Store, filter: &ListFilter) -> Result<Vec<Incident>> {
    let conn = store.connect()?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM incidents WHERE (?1 IS NULL OR status = ?1) ORDER BY created_at DESC, id DESC",
        columns()
    ))?;
    let rows = stmt.query_map([filter.status.map(Status::key)], |row| Ok(from_row(row)))?;
    rows.map(|r| r?).collect()
}

/// The incident's audit entries, oldest first: who changed what, from what to what, when.
pub fn history(store: &Store, key: &str) -> Result<Vec<AuditEntry>> {
    let conn = store.connect()?;
    let incident = find(&conn, key)?;
    audit::entries_for(&conn, Entity::Incident, &incident.uuid)
}

pub(crate) fn find(conn: &Connection, key: &str) -> Result<Incident> {
    let key = key.trim();
    let row = conn
        .query_row(
            &format!("SELECT {} FROM incidents WHERE id = upper(?1) OR uuid = lower(?1)", columns()),
            [key],
            |row| Ok(from_row(row)),
        )
        .optional()?;
    row.unwrap_or_else(|| {
        Err(Error::not_found(format!(
            "No incident {key}. Check the ID (it looks like AI-INC-2026-1120-001); `firebreak incident list` shows them all."
        )))
    })
}

const EARLY_AWARENESS_REASON: &str =
    "confirmed: awareness time is earlier than detection time (starts the legal clocks earlier)";

fn early_awareness(f: &IncidentFields) -> bool {
    matches!((f.aware_at, f.detected_at), (Some(aware), Some(detected)) if aware < detected)
}

fn normalize_all(draft: IncidentFields) -> Result<IncidentFields> {
    let mut map = to_map(&draft)?;
    for spec in FIELDS {
        let value = map.remove(spec.name).unwrap_or(Value::Null);
        map.insert(spec.name.to_string(), spec.normalize(value)?);
    }
    Ok(serde_json::from_value(Value::Object(map))?)
}

/// The rules that involve more than one field or the current time.
fn validate(f: &IncidentFields, before: Option<&IncidentFields>, now: DateTime<Utc>, confirmed: bool) -> Result<()> {
    for (name, label, time) in
        [("detected_at", "Detection time", f.detected_at), ("aware_at", "Awareness time", f.aware_at)]
    {
        let unchanged =
            before.is_some_and(|b| if name == "detected_at" { b.detected_at == time } else { b.aware_at == time });
        if let Some(t) = time.filter(|t| *t > now + CLOCK_SKEW && !unchanged) {
            return Err(Error::invalid(
                name,
                format!(
                    "{label} {} is in the future. Enter when it actually happened (times are in UTC unless you give a zone).",
                    audit::format_instant(t)
                ),
            ));
        }
    }
    if early_awareness(f) && !confirmed {
        return Err(Error::ConfirmationRequired {
            field: Some("aware_at".into()),
            message: "The awareness time is earlier than the detection time. That starts the regulatory clocks \
                      (such as the GDPR 72 hours) earlier. Confirm that this is right to save it."
                .into(),
        });
    }
    Ok(())
}

fn add_owners_to_directory(tx: &mut Tx<'_>, f: &IncidentFields, before: Option<&IncidentFields>) -> Result<()> {
    for (now, was) in [
        (&f.commander, before.map(|b| &b.commander)),
        (&f.business_owner, before.map(|b| &b.business_owner)),
        (&f.technical_owner, before.map(|b| &b.technical_owner)),
    ] {
        if !now.is_empty() && Some(now) != was {
            people::ensure(tx, now, "")?;
        }
    }
    Ok(())
}

fn to_map(fields: &IncidentFields) -> Result<Map<String, Value>> {
    match serde_json::to_value(fields)? {
        Value::Object(map) => Ok(map),
        _ => Err(Error::storage("An incident did not serialise to an object.")),
    }
}

fn canonical_of(spec: &FieldSpec, value: Value) -> Result<Option<String>> {
    let normalized = spec.normalize(value)?;
    let mut map = to_map(&IncidentFields::default())?;
    map.insert(spec.name.to_string(), normalized);
    let typed: IncidentFields = serde_json::from_value(Value::Object(map))?;
    Ok(to_map(&typed)?.get(spec.name).and_then(canonical))
}

/// Every audited field of an incident with its canonical value, in a fixed order: the record's identity first,
/// then the editable fields.
pub(crate) fn audited_values(incident: &Incident) -> Result<Vec<(String, Option<String>)>> {
    let mut map = match serde_json::to_value(incident)? {
        Value::Object(map) => map,
        _ => return Err(Error::storage("An incident did not serialise to an object.")),
    };
    let mut out = Vec::with_capacity(FIELDS.len() + 2);
    for name in ["id", "created_at"].into_iter().chain(FIELDS.iter().map(|f| f.name)) {
        out.push((name.to_string(), map.remove(name).as_ref().and_then(canonical)));
    }
    Ok(out)
}

/// What the column holds for a canonical value: plain text for scalars, JSON for lists.
fn column_text(is_list: bool, canonical: &Option<String>) -> Option<String> {
    let text = canonical.as_ref()?;
    if is_list {
        return Some(text.clone());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::String(s)) => Some(s),
        _ => Some(text.clone()),
    }
}

/// A column read back into the canonical form, leniently: `verify` must be able to read values written by other
/// programs, and reports anything that does not match instead of failing.
pub(crate) fn column_canonical(spec_is_list: bool, raw: Option<String>) -> Option<String> {
    let raw = raw?;
    if spec_is_list {
        // A list column holds the canonical JSON itself; compared as stored, so no equivalent spelling passes.
        Some(raw)
    } else if raw.is_empty() {
        // Firebreak stores an empty value as NULL; "" is another program's spelling of it.
        Some("\"\"".to_string())
    } else {
        canonical(&Value::String(raw))
    }
}

fn insert(tx: &Tx<'_>, incident: &Incident) -> Result<()> {
    let values = audited_values(incident)?;
    let mut columns = vec!["uuid".to_string()];
    let mut texts: Vec<Option<String>> = vec![Some(incident.uuid.clone())];
    for (field, value) in values {
        let is_list = FIELDS.iter().any(|f| f.name == field && f.is_list());
        let text = column_text(is_list, &value);
        columns.push(field);
        texts.push(text);
    }
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    tx.execute(
        &format!("INSERT INTO incidents ({}) VALUES ({})", columns.join(", "), placeholders.join(", ")),
        rusqlite::params_from_iter(texts),
    )?;
    Ok(())
}

/// The columns [`from_row`] reads, in its order: the identity, then every field.
fn columns() -> String {
    let mut out = String::from("uuid, id, created_at");
    for spec in FIELDS {
        out.push_str(", ");
        out.push_str(spec.name);
    }
    out
}

/// Reads a row of [`columns`] by position (a lookup by name per column is most of listing ten thousand incidents).
fn from_row(row: &Row<'_>) -> Result<Incident> {
    let mut map = Map::new();
    for (i, name) in ["uuid", "id", "created_at"].into_iter().enumerate() {
        map.insert(name.to_string(), Value::String(row.get(i)?));
    }
    for (i, spec) in FIELDS.iter().enumerate() {
        let raw: Option<String> = row.get(i + 3)?;
        let Some(raw) = raw else { continue };
        let value = if spec.is_list() { serde_json::from_str(&raw).unwrap_or(Value::Null) } else { Value::String(raw) };
        map.insert(spec.name.to_string(), value);
    }
    let id = map.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
    serde_json::from_value(Value::Object(map)).map_err(|e| {
        Error::storage(format!(
            "Incident {id} holds a value Firebreak cannot read ({e}); it was probably edited outside the app. Run \
             `firebreak audit verify` to see what changed, then restore the database from a backup."
        ))
    })
}

/// Raw column values of every incident for `verify`: uuid and (field, canonical value) pairs.
pub(crate) fn stored_records() -> crate::audit::StoredRecords {
    let names: Vec<&str> = ["id", "created_at"].into_iter().chain(FIELDS.iter().map(|spec| spec.name)).collect();
    crate::audit::StoredRecords::Query {
        sql: format!("SELECT uuid, {} FROM incidents ORDER BY uuid", names.join(", ")),
        decode: Box::new(|row| {
            let uuid: String = row.get(0)?;
            let mut values = Vec::with_capacity(FIELDS.len() + 2);
            for (i, name) in ["id", "created_at"].into_iter().enumerate() {
                values.push((name.to_string(), column_canonical(false, row.get(i + 1)?)));
            }
            for (i, spec) in FIELDS.iter().enumerate() {
                values.push((spec.name.to_string(), column_canonical(spec.is_list(), row.get(i + 3)?)));
            }
            Ok((uuid, values))
        }),
    }
}

/// The human name of an incident by UUID, for messages.
pub(crate) fn display_id(conn: &Connection, uuid: &str) -> Option<String> {
    conn.query_row("SELECT id FROM incidents WHERE uuid = ?1", [uuid], |r| r.get(0)).optional().ok().flatten()
}
