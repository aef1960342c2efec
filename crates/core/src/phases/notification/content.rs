//! A notification's content: prefilled from the record, item by item, and rendered to text from
//! templates/notifications/<regime>/<stage>.md.j2 (else templates/notifications/default.md.j2). The built-in
//! templates are compiled in; a file of the same path under `<data folder>/templates/notifications/` replaces one.
//! Every value is plain text: nothing is escaped because nothing is HTML.

use super::clocks::RegimeClocks;
use super::Notification;
use crate::deadlines::{ContentItem, Regime};
use crate::error::{Error, Result};
use crate::incident::Incident;
use crate::people::{self, Person};
use crate::phases::{affected, communication, postmortem};
use crate::store::Store;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The built-in templates by `<regime>/<stage>` (and `default`).
const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../../../../templates/notifications/default.md.j2")),
    ("gdpr-art33/notification", include_str!("../../../../../templates/notifications/gdpr-art33/notification.md.j2")),
    ("gdpr-art34/communication", include_str!("../../../../../templates/notifications/gdpr-art34/communication.md.j2")),
    ("uk-gdpr/notification", include_str!("../../../../../templates/notifications/uk-gdpr/notification.md.j2")),
    ("nis2/early-warning", include_str!("../../../../../templates/notifications/nis2/early-warning.md.j2")),
    ("nis2/notification", include_str!("../../../../../templates/notifications/nis2/notification.md.j2")),
    ("nis2/final-report", include_str!("../../../../../templates/notifications/nis2/final-report.md.j2")),
    ("dora/initial", include_str!("../../../../../templates/notifications/dora/initial.md.j2")),
    ("dora/intermediate", include_str!("../../../../../templates/notifications/dora/intermediate.md.j2")),
    ("dora/final", include_str!("../../../../../templates/notifications/dora/final.md.j2")),
    ("eu-ai-act-art73/report", include_str!("../../../../../templates/notifications/eu-ai-act-art73/report.md.j2")),
    ("sec-8k-105/filing", include_str!("../../../../../templates/notifications/sec-8k-105/filing.md.j2")),
    ("hipaa/individuals", include_str!("../../../../../templates/notifications/hipaa/individuals.md.j2")),
    ("hipaa/hhs", include_str!("../../../../../templates/notifications/hipaa/hhs.md.j2")),
    ("hipaa/media", include_str!("../../../../../templates/notifications/hipaa/media.md.j2")),
    ("us-ny/notification", include_str!("../../../../../templates/notifications/us-ny/notification.md.j2")),
    ("us-ca/residents", include_str!("../../../../../templates/notifications/us-ca/residents.md.j2")),
    ("us-ca/attorney-general", include_str!("../../../../../templates/notifications/us-ca/attorney-general.md.j2")),
    ("nydfs-50017/notification", include_str!("../../../../../templates/notifications/nydfs-50017/notification.md.j2")),
    ("sg-pdpa/notification", include_str!("../../../../../templates/notifications/sg-pdpa/notification.md.j2")),
    ("au-ndb/assessment", include_str!("../../../../../templates/notifications/au-ndb/assessment.md.j2")),
    ("au-ndb/statement", include_str!("../../../../../templates/notifications/au-ndb/statement.md.j2")),
    ("br-lgpd/notification", include_str!("../../../../../templates/notifications/br-lgpd/notification.md.j2")),
    ("br-lgpd/supplementary", include_str!("../../../../../templates/notifications/br-lgpd/supplementary.md.j2")),
    ("in-dpdp/report", include_str!("../../../../../templates/notifications/in-dpdp/report.md.j2")),
    ("in-certin/report", include_str!("../../../../../templates/notifications/in-certin/report.md.j2")),
];

/// Values the record offers for content keys. Items the record cannot answer start empty.
pub(crate) fn prefill(conn: &Connection, incident: &Incident, zone: Tz) -> Result<BTreeMap<String, String>> {
    let f = &incident.fields;
    let when = |t: Option<DateTime<Utc>>| t.map(|t| communication::shown(t, zone));
    let mut values = BTreeMap::new();
    let mut put = |key: &str, value: String| {
        if !value.trim().is_empty() {
            values.insert(key.to_string(), value.trim().to_string());
        }
    };
    let types: Vec<&str> = f.incident_types.iter().map(|t| t.kind.label()).collect();
    let classes: Vec<&str> = f.data_classes.iter().map(|c| c.label()).collect();
    let affected = affected::total(conn, incident)?;
    let impacts = impact_lines(incident);
    let actions = communication::actions_taken(conn, incident, zone)?;

    let mut nature = f.title.clone();
    if !f.summary.trim().is_empty() {
        nature = format!("{nature}. {}", f.summary.trim());
    }
    if !types.is_empty() {
        nature.push_str(&format!("\nKind of incident: {}.", types.join(", ")));
    }
    put("nature", nature);
    put("description", if f.summary.trim().is_empty() { f.title.clone() } else { f.summary.clone() });
    put("reference", incident.id.clone());
    if !classes.is_empty() || affected > 0 {
        let mut records = String::new();
        if !classes.is_empty() {
            records = format!("Categories of data: {}.", classes.join(", "));
        }
        if affected > 0 {
            records.push_str(&format!(
                " Approximately {affected} record{} identified so far in the side-effect audit.",
                if affected == 1 { "" } else { "s" }
            ));
        }
        put("records", records);
        put("information_involved", classes.join(", "));
    }
    put("data_subjects", impacts.join("\n"));
    put("consequences", impacts.join("\n"));
    let measures = actions.iter().map(|a| format!("- {a}")).collect::<Vec<_>>().join("\n");
    put("measures", measures.clone());
    put("mitigation", measures.clone());
    put("what_we_are_doing", measures);
    if let Some(detected) = when(f.detected_at) {
        put("detected_at", detected.clone());
        let by = f.detected_by.map(|d| d.label().to_lowercase()).unwrap_or_else(|| "us".into());
        put("discovery", format!("Detected by {by} on {detected}."));
    }
    let mut happened = f.summary.trim().to_string();
    if let Some(detected) = when(f.detected_at) {
        happened.push_str(&format!("\nWe detected the incident on {detected}"));
        if let Some(aware) = when(f.aware_at) {
            happened.push_str(&format!(" and became aware of its nature on {aware}"));
        }
        happened.push('.');
    }
    put("what_happened", happened);
    if let Some(sev) = f.severity {
        let mut text = format!("Severity: {}.", sev.label());
        if !impacts.is_empty() {
            text.push('\n');
            text.push_str(&impacts.join("\n"));
        }
        put("severity_impact", text);
    }
    if let Some(pm) = postmortem::stored(conn, incident)? {
        put("root_cause", pm.root_cause.clone());
    }
    let contact_name = [&f.commander, &f.business_owner].into_iter().find(|n| !n.trim().is_empty()).cloned();
    if let Some(name) = contact_name {
        let person = people::by_name(conn, &name)?;
        put("contact", contact_line(&name, person.as_ref()));
    }
    Ok(values)
}

/// "Customers: …", "Vendors: …", "Employees: …": the record's impact fields that say something.
pub(crate) fn impact_lines(incident: &Incident) -> Vec<String> {
    let f = &incident.fields;
    [("Customers", &f.customer_impact), ("Vendors", &f.vendor_impact), ("Employees", &f.employee_impact)]
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(who, text)| format!("{who}: {}", text.trim()))
        .collect()
}

fn contact_line(name: &str, person: Option<&Person>) -> String {
    let mut parts = vec![name.to_string()];
    if let Some(p) = person {
        for value in [&p.details.role, &p.details.email, &p.details.phone] {
            if !value.trim().is_empty() {
                parts.push(value.trim().to_string());
            }
        }
    }
    parts.join(", ")
}

/// The required items still empty, by label.
pub fn missing(items: &[ContentItem], content: &BTreeMap<String, String>) -> Vec<String> {
    items
        .iter()
        .filter(|i| i.required && content.get(&i.key).is_none_or(|v| v.trim().is_empty()))
        .map(|i| i.label.clone())
        .collect()
}

#[derive(Debug, Serialize)]
struct RegimeContext<'a> {
    id: &'a str,
    name: &'a str,
    legal_reference: &'a str,
    notifies: &'a str,
    verified: bool,
}

#[derive(Debug, Serialize)]
struct IncidentContext {
    id: String,
    title: String,
    workflow: String,
    severity: String,
    status: String,
    detected_at: String,
    aware_at: String,
    summary: String,
}

#[derive(Debug, Serialize)]
struct ItemContext<'a> {
    key: &'a str,
    label: &'a str,
    value: String,
    required: bool,
}

#[derive(Debug, Serialize)]
struct TriggerContext {
    kind: String,
    at: String,
    decided_by: String,
}

/// What a notification template can use. Every name is always present (empty when unknown), so a misspelt name
/// in a user's template is an error rather than a silent blank.
#[derive(Debug, Serialize)]
pub(crate) struct DraftContext<'a> {
    regime: RegimeContext<'a>,
    stage: &'a str,
    variant: String,
    sequence: u32,
    supplement: bool,
    incident: IncidentContext,
    items: Vec<ItemContext<'a>>,
    content: BTreeMap<String, String>,
    /// The due time in force, in the authority's zone; empty when the clock has no fixed length or has not started.
    due: String,
    late: bool,
    delay_reasons: String,
    triggers: Vec<TriggerContext>,
    generated_at: String,
}

pub(crate) struct Rendering<'a> {
    pub regime: &'a Regime,
    pub clocks: &'a RegimeClocks,
    pub items: &'a [ContentItem],
    pub notification: &'a Notification,
    pub late: bool,
    pub zone: Tz,
    pub now: DateTime<Utc>,
}

/// What an optional item left empty says in the text. An empty required item keeps its "[to be completed: …]" gap,
/// which blocks approval; an optional one may stay empty, and its gap must not reach an authority.
pub const NOT_AVAILABLE: &str = "Not available at the time of this notification.";

pub(crate) fn context<'a>(incident: &Incident, r: &Rendering<'a>) -> DraftContext<'a> {
    let f = &incident.fields;
    let n = r.notification;
    let authority_zone: Tz = r.clocks.zone.parse().unwrap_or(r.zone);
    let due = r
        .clocks
        .stages
        .iter()
        .find(|s| s.stage == n.stage)
        .and_then(|s| s.due)
        .map(|d| communication::shown(d, authority_zone))
        .unwrap_or_default();
    let value = |item: &ContentItem| -> String {
        match n.content.get(&item.key).filter(|v| !v.trim().is_empty()) {
            Some(v) => v.clone(),
            None if item.required => String::new(),
            None => NOT_AVAILABLE.to_string(),
        }
    };
    let mut content: BTreeMap<String, String> = n.content.clone();
    for item in r.items {
        content.insert(item.key.clone(), value(item));
    }
    DraftContext {
        regime: RegimeContext {
            id: &r.regime.id,
            name: &r.regime.name,
            legal_reference: &r.regime.legal_reference,
            notifies: &r.regime.notifies,
            verified: r.regime.verified,
        },
        stage: &n.stage,
        variant: r.clocks.decision.as_ref().and_then(|d| d.variant.clone()).unwrap_or_default(),
        sequence: n.sequence,
        supplement: n.is_supplement(),
        incident: IncidentContext {
            id: incident.id.clone(),
            title: f.title.clone(),
            workflow: f.workflow.clone(),
            severity: f.severity.map(|s| s.label().to_string()).unwrap_or_default(),
            status: f.status.label().to_string(),
            detected_at: f.detected_at.map(|t| communication::shown(t, r.zone)).unwrap_or_default(),
            aware_at: f.aware_at.map(|t| communication::shown(t, r.zone)).unwrap_or_default(),
            summary: f.summary.clone(),
        },
        items: r
            .items
            .iter()
            .map(|i| ItemContext { key: &i.key, label: &i.label, value: value(i), required: i.required })
            .collect(),
        content,
        due,
        late: r.late,
        delay_reasons: n.delay_reasons.clone(),
        triggers: r
            .clocks
            .triggers
            .iter()
            .map(|t| TriggerContext {
                kind: t.kind.clone(),
                at: communication::shown(t.at, authority_zone),
                decided_by: t.decided_by.clone(),
            })
            .collect(),
        generated_at: communication::shown(r.now, r.zone),
    }
}

/// Where a user's own template for a regime's stage lives: beside the database.
pub fn override_path(store: &Store, regime: &str, stage: &str) -> Option<PathBuf> {
    let folder = store.path().parent()?;
    Some(folder.join("templates").join("notifications").join(regime).join(format!("{stage}.md.j2")))
}

fn user_default_path(store: &Store) -> Option<PathBuf> {
    Some(store.path().parent()?.join("templates").join("notifications").join("default.md.j2"))
}

/// The template for a regime's stage: the user's, else the built-in one, else the user's or built-in default.
fn template(store: &Store, regime: &str, stage: &str) -> Result<(String, String)> {
    let key = format!("{regime}/{stage}");
    let read = |path: PathBuf| -> Result<(String, String)> {
        let source = std::fs::read_to_string(&path).map_err(|e| Error::Io {
            message: format!("Cannot read the notification template {}: {e}.", path.display()),
        })?;
        Ok((path.display().to_string(), source))
    };
    if let Some(path) = override_path(store, regime, stage).filter(|p| p.is_file()) {
        return read(path);
    }
    if let Some((_, source)) = BUILTIN.iter().find(|(k, _)| *k == key) {
        return Ok((format!("templates/notifications/{key}.md.j2 (built in)"), source.to_string()));
    }
    if let Some(path) = user_default_path(store).filter(|p| p.is_file()) {
        return read(path);
    }
    Ok(("templates/notifications/default.md.j2 (built in)".into(), builtin("default").to_string()))
}

fn builtin(key: &str) -> &'static str {
    BUILTIN.iter().find(|(k, _)| *k == key).map_or("", |(_, s)| s)
}

/// Renders a notification's text.
pub(crate) fn render(store: &Store, regime: &str, stage: &str, context: &DraftContext<'_>) -> Result<String> {
    let (name, source) = template(store, regime, stage)?;
    render_source(&name, &source, context)
}

pub(crate) fn render_source(name: &str, source: &str, context: &DraftContext<'_>) -> Result<String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let text = env.render_named_str(name, source, context).map_err(|e| {
        Error::invalid(
            "template",
            format!(
                "The notification template {name} cannot be used: {e}. Fix the template, or delete it to use the \
                 built-in one."
            ),
        )
    })?;
    Ok(text.trim().to_string() + "\n")
}

/// Every built-in template key, for tests and for listing.
pub fn builtin_templates() -> Vec<&'static str> {
    BUILTIN.iter().map(|(k, _)| *k).collect()
}
