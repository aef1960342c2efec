//! Message drafts rendered from templates/communications/<audience>.md.j2. The built-in templates are compiled
//! into the binary; a file of the same name under `<data folder>/templates/communications/` replaces one, so an
//! organisation can keep its own wording. Every value is plain text: nothing is escaped because nothing is HTML.

use super::Audience;
use crate::error::{Error, Result};
use crate::incident::Incident;
use crate::phases::containment::{self, ContainmentItem, ContainmentStatus};
use crate::phases::pause::{self, PauseAction};
use crate::profile;
use crate::store::Store;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use rusqlite::Connection;
use serde::Serialize;
use std::path::PathBuf;

/// The values a template can use. Every name is always present (empty when the record has nothing), so a
/// misspelt name in a user's template is an error rather than a silent blank.
#[derive(Debug, Serialize)]
pub(crate) struct MessageContext {
    audience: String,
    incident_id: String,
    title: String,
    summary: String,
    workflow: String,
    severity: String,
    status: String,
    detected_at: String,
    aware_at: String,
    affected_systems: String,
    data_classes: String,
    incident_types: String,
    customer_impact: String,
    vendor_impact: String,
    employee_impact: String,
    /// What has been done so far (pauses, containment), one line each.
    actions_taken: Vec<String>,
    /// Who answers questions: the commander, else the business owner.
    contact: String,
    commander: String,
    business_owner: String,
    technical_owner: String,
}

pub(crate) fn context(conn: &Connection, incident: &Incident, audience: Audience) -> Result<MessageContext> {
    let f = &incident.fields;
    let zone = profile::zone(conn)?;
    let actions_taken = actions_taken(conn, incident, zone)?;
    let contact = [&f.commander, &f.business_owner].into_iter().find(|n| !n.trim().is_empty()).cloned();
    Ok(MessageContext {
        audience: audience.label().to_string(),
        incident_id: incident.id.clone(),
        title: f.title.clone(),
        summary: f.summary.clone(),
        workflow: f.workflow.clone(),
        severity: f.severity.map(|s| s.label().to_string()).unwrap_or_default(),
        status: f.status.label().to_string(),
        detected_at: f.detected_at.map(|t| shown(t, zone)).unwrap_or_default(),
        aware_at: f.aware_at.map(|t| shown(t, zone)).unwrap_or_default(),
        affected_systems: f.affected_systems.join(", "),
        data_classes: f.data_classes.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
        incident_types: f.incident_types.iter().map(|t| t.kind.label()).collect::<Vec<_>>().join(", "),
        customer_impact: f.customer_impact.clone(),
        vendor_impact: f.vendor_impact.clone(),
        employee_impact: f.employee_impact.clone(),
        actions_taken,
        contact: contact.unwrap_or_else(|| "the incident commander".into()),
        commander: f.commander.clone(),
        business_owner: f.business_owner.clone(),
        technical_owner: f.technical_owner.clone(),
    })
}

/// What has been done so far (pauses, completed containment), one line each, for messages and notifications.
pub(crate) fn actions_taken(conn: &Connection, incident: &Incident, zone: Tz) -> Result<Vec<String>> {
    let key = incident.row_key();
    let mut lines = Vec::new();
    for p in pause::TABLE.select::<PauseAction>(conn, "incident = ?1", &[&key])? {
        let mut line =
            format!("Paused {} ({}) on {}", p.target, p.scope.label().to_lowercase(), shown(p.paused_at, zone));
        if let Some(lifted) = p.lifted_at {
            line.push_str(&format!("; lifted on {}", shown(lifted, zone)));
        }
        lines.push(line);
    }
    for c in containment::TABLE.select::<ContainmentItem>(conn, "incident = ?1", &[&key])? {
        if c.status == ContainmentStatus::Done {
            let when = c.done_at.map(|t| format!(" on {}", shown(t, zone))).unwrap_or_default();
            lines.push(format!("Contained: {}{when}", c.area.label().to_lowercase()));
        }
    }
    Ok(lines)
}

pub(crate) fn shown(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z").to_string()
}

/// Where a user's own template for `audience` lives: beside the database, under templates/communications/.
pub fn override_path(store: &Store, audience: Audience) -> Option<PathBuf> {
    let folder = store.path().parent()?;
    Some(folder.join("templates").join("communications").join(format!("{}.md.j2", audience.key())))
}

/// Renders the message for `audience`: the user's template if there is one, else the built-in one.
pub(crate) fn render(store: &Store, audience: Audience, context: &MessageContext) -> Result<String> {
    let (name, source) = match override_path(store, audience).filter(|p| p.is_file()) {
        Some(path) => {
            let source = std::fs::read_to_string(&path).map_err(|e| Error::Io {
                message: format!("Cannot read the message template {}: {e}.", path.display()),
            })?;
            (path.display().to_string(), source)
        }
        None => (format!("templates/communications/{}.md.j2 (built in)", audience.key()), builtin(audience).into()),
    };
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let text = env.render_named_str(&name, &source, context).map_err(|e| {
        Error::invalid(
            "template",
            format!(
                "The message template {name} cannot be used: {e}. Fix the template, or delete it to use the built-in one."
            ),
        )
    })?;
    Ok(text.trim().to_string() + "\n")
}

fn builtin(audience: Audience) -> &'static str {
    match audience {
        Audience::BusinessOwner => include_str!("../../../../../templates/communications/business_owner.md.j2"),
        Audience::TechnicalOwner => include_str!("../../../../../templates/communications/technical_owner.md.j2"),
        Audience::Security => include_str!("../../../../../templates/communications/security.md.j2"),
        Audience::LegalCompliance => include_str!("../../../../../templates/communications/legal_compliance.md.j2"),
        Audience::InternalUsers => include_str!("../../../../../templates/communications/internal_users.md.j2"),
        Audience::Customers => include_str!("../../../../../templates/communications/customers.md.j2"),
        Audience::Vendors => include_str!("../../../../../templates/communications/vendors.md.j2"),
        Audience::Candidates => include_str!("../../../../../templates/communications/candidates.md.j2"),
        Audience::Employees => include_str!("../../../../../templates/communications/employees.md.j2"),
        Audience::Partners => include_str!("../../../../../templates/communications/partners.md.j2"),
        Audience::Executives => include_str!("../../../../../templates/communications/executives.md.j2"),
    }
}
