//! Pause: what was stopped, at the smallest safe scope, who approved it, and when and by whom it was lifted.

use super::{severity, Declaration, Phase, PhaseProgress};
use crate::audit::{format_instant, Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident, CLOCK_SKEW};
use crate::phases::postmortem::timeline::{self as tl, Timeline};
use crate::phases::postmortem::TimelineKind;
use crate::record::{self, Table};
use crate::store::Store;
use crate::vocabulary::{IncidentType, Status};
use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    /// The scope a pause applies to, from narrowest to broadest effect on the business.
    PauseScope, "PauseScope.ts" {
        Workflow => ("workflow", "The whole workflow"),
        Trigger => ("trigger", "A schedule or trigger"),
        Tool => ("tool", "One tool"),
        Permission => ("permission", "A permission or connector"),
        Queue => ("queue", "A queue"),
        Session => ("session", "A browser session"),
        Source => ("source", "A retrieval source"),
        Sends => ("sends", "Outbound sends"),
        Downstream => ("downstream", "A downstream automation"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE pause_actions (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    scope TEXT,
    target TEXT,
    approved_by TEXT,
    paused_at TEXT,
    lifted_at TEXT,
    lifted_by TEXT,
    note TEXT
);
CREATE INDEX pause_actions_incident ON pause_actions (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::PauseAction,
    name: "pause_actions",
    fields: &["incident", "scope", "target", "approved_by", "paused_at", "lifted_at", "lifted_by", "note"],
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "PauseAction.ts")]
pub struct PauseAction {
    pub id: String,
    pub incident: String,
    pub scope: PauseScope,
    /// What exactly is paused, e.g. "refund-sender tool" or "nightly backfill".
    pub target: String,
    pub approved_by: String,
    pub paused_at: DateTime<Utc>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lifted_by: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// A first pause action worth considering, derived from the incident's types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "PauseSuggestion.ts")]
pub struct PauseSuggestion {
    pub scope: PauseScope,
    /// What to pause, in words the owner can act on.
    pub target: String,
    pub why: String,
}

/// Records a pause. `paused_at` defaults to now and may not lie in the future.
pub fn pause(
    store: &Store,
    actor: &Actor,
    key: &str,
    scope: PauseScope,
    target: &str,
    approved_by: &str,
    paused_at: Option<DateTime<Utc>>,
) -> Result<PauseAction> {
    let target = required("target", "The target", target, "Say what exactly is paused, e.g. \"refund-sender tool\".")?;
    let approved_by = required("approved_by", "Approved by", approved_by, "Name the person who approved the pause.")?;
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let paused_at = not_in_future("paused_at", "Pause time", paused_at.unwrap_or(tx.at()), tx.at())?;
        let row = PauseAction {
            id: record::new_id(),
            incident: incident.uuid,
            scope,
            target,
            approved_by,
            paused_at,
            lifted_at: None,
            lifted_by: None,
            note: String::new(),
        };
        TABLE.insert(tx, &row)?;
        Ok(row)
    })
}

/// Records that a pause was lifted, by whom and when (default now). A pause is lifted once.
pub fn lift(
    store: &Store,
    actor: &Actor,
    key: &str,
    pause_id: &str,
    lifted_by: &str,
    lifted_at: Option<DateTime<Utc>>,
) -> Result<PauseAction> {
    let lifted_by = required("lifted_by", "Lifted by", lifted_by, "Name the person who lifted the pause.")?;
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let before: PauseAction = TABLE
            .get::<PauseAction>(tx, pause_id.trim())?
            .filter(|p| p.incident == incident.uuid)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "{} has no pause {}. `firebreak pause list {}` shows its pauses and their IDs.",
                    incident.id,
                    pause_id.trim(),
                    incident.id
                ))
            })?;
        if let (Some(at), Some(by)) = (before.lifted_at, &before.lifted_by) {
            return Err(Error::invalid(
                "pause_id",
                format!(
                    "The pause of {} was already lifted by {by} at {}. Record a new pause if it was paused again.",
                    before.target,
                    format_instant(at)
                ),
            ));
        }
        let lifted_at = not_in_future("lifted_at", "Lift time", lifted_at.unwrap_or(tx.at()), tx.at())?;
        if lifted_at < before.paused_at {
            return Err(Error::invalid(
                "lifted_at",
                format!(
                    "Lift time {} is before the pause began ({}). Enter when the pause was actually lifted.",
                    format_instant(lifted_at),
                    format_instant(before.paused_at)
                ),
            ));
        }
        let after = PauseAction { lifted_at: Some(lifted_at), lifted_by: Some(lifted_by), ..before.clone() };
        TABLE.update(tx, &before, &after, None)?;
        Ok(after)
    })
}

/// Every pause of an incident, oldest first.
pub fn list(store: &Store, key: &str) -> Result<Vec<PauseAction>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    of_incident(&conn, &incident)
}

/// First pause actions for the incident's types, without repeats, in the order of its types.
pub fn suggestions(incident: &Incident) -> Vec<PauseSuggestion> {
    let mut out: Vec<PauseSuggestion> = Vec::new();
    for tag in &incident.fields.incident_types {
        for (scope, target, why) in suggested_for(tag.kind) {
            let suggestion = PauseSuggestion { scope: *scope, target: target.to_string(), why: why.to_string() };
            if !out.contains(&suggestion) {
                out.push(suggestion);
            }
        }
    }
    out
}

/// Whether the incident page must warn at the top: the latest severity assessment says the agent is still
/// running and no pause is in force.
pub fn needs_pause_warning(conn: &Connection, incident: &Incident) -> Result<bool> {
    let running = severity::latest(conn, incident)?.and_then(|a| a.answers.get("still_running").copied());
    if running != Some(true) {
        return Ok(false);
    }
    Ok(!of_incident(conn, incident)?.iter().any(|p| p.lifted_at.is_none()))
}

pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let pauses = of_incident(conn, incident)?;
    let running = severity::latest(conn, incident)?.and_then(|a| a.answers.get("still_running").copied());
    let complete = !pauses.is_empty() || running == Some(false);
    let mut missing = Vec::new();
    if !complete {
        missing.push(match running {
            Some(true) => "The agent is still running and nothing is paused: record a pause".to_string(),
            _ => "Record what was paused, or answer \"Is the agent still running?\" with no in the severity \
                  assessment"
                .to_string(),
        });
    }
    let next = (!complete).then(|| match suggestions(incident).first() {
        Some(s) => format!("Pause {} ({})", s.target, s.scope.label().to_lowercase()),
        None => "Pause the workflow at the smallest safe scope".to_string(),
    });
    Ok(PhaseProgress { phase: Phase::Pause, label: Phase::Pause.label().into(), complete, missing, next })
}

fn of_incident(conn: &Connection, incident: &Incident) -> Result<Vec<PauseAction>> {
    TABLE.select(conn, "incident = ?1", &[&incident.row_key()])
}

type Suggested = (PauseScope, &'static str, &'static str);

/// The usual first pause for each incident type: the narrowest scope that stops the harm.
fn suggested_for(kind: IncidentType) -> &'static [Suggested] {
    use IncidentType::*;
    use PauseScope as S;
    match kind {
        BadWriteback => &[(
            S::Tool,
            "write tools: switch them to draft-only mode",
            "Stops further wrong writes while the agent can still prepare drafts a person checks.",
        )],
        ExternalSend => &[(
            S::Tool,
            "the send tool (email, message or API post)",
            "Nothing else reaches customers or partners while you find out what was sent.",
        )],
        DuplicateWork => {
            &[(S::Trigger, "retries and backfills", "Retries and backfills repeat the duplicate action on their own.")]
        }
        CostRunaway => &[(
            S::Workflow,
            "the running job, and cap its budget",
            "Every minute it runs costs money; a budget cap stops a restart from running away again.",
        )],
        PromptInjection => &[
            (
                S::Source,
                "the injected source or retrieval index",
                "The agent keeps reading the injected instructions while the source is reachable.",
            ),
            (
                S::Sends,
                "outbound sends (email, webhooks, uploads)",
                "Injected instructions usually try to send data out; cutting sends stops exfiltration.",
            ),
        ],
        SensitiveDataExposure | CrossTenantLeak => &[(
            S::Permission,
            "the connector or permission that exposed the data",
            "Revoking access stops further exposure without stopping unrelated work.",
        )],
        MaliciousPlugin => &[(
            S::Tool,
            "the suspect plugin or tool",
            "A compromised plugin runs with the agent's permissions on every call.",
        )],
        ToolMisuse => &[(S::Tool, "the misused tool", "Removes the one capability being misused.")],
        ApprovalBypass => &[(
            S::Queue,
            "the queue: require human approval on every item",
            "Actions must not go through without the approval they skipped.",
        )],
        MissedWorkflow => {
            &[(S::Trigger, "the schedule or trigger", "Stops half-runs until you know which items were missed.")]
        }
        StaleOrWrongInput => {
            &[(S::Source, "the stale or wrong input source", "Every run reading it produces more wrong output.")]
        }
        PolicyDrift => &[(
            S::Workflow,
            "the workflow",
            "The agent no longer follows the intended policy; each run may make decisions nobody approved.",
        )],
    }
}

fn required(field: &str, label: &str, value: &str, what_to_do: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, format!("{label} is empty. {what_to_do}")));
    }
    Ok(value.to_string())
}

fn not_in_future(field: &str, label: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if at > now + CLOCK_SKEW {
        return Err(Error::invalid(
            field,
            format!("{label} {} is in the future. Enter when it actually happened.", format_instant(at)),
        ));
    }
    Ok(at.trunc_subsecs(6))
}

pub const PHASE: Declaration = Declaration {
    phase: Phase::Pause,
    tables: &[&TABLE],
    schema: &[(2, SCHEMA_V2)],
    progress,
    gates: &[Status::Contained, Status::Recovering, Status::Monitoring],
    timeline,
};

fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    for p in tl::rows::<PauseAction>(conn, &TABLE, incident)? {
        let what = format!("{} ({})", p.target, p.scope.label().to_lowercase());
        let src = tl::source(Entity::PauseAction, &p.id);
        out.push(
            p.paused_at,
            TimelineKind::Pause,
            format!("Paused {what}{}", tl::approved(&p.approved_by)),
            src.clone(),
        );
        if let Some(lifted) = p.lifted_at {
            let who = tl::by(p.lifted_by.as_deref().unwrap_or_default());
            out.push(lifted, TimelineKind::Lift, format!("Lifted the pause of {what}{who}"), src);
        }
    }
    Ok(())
}
