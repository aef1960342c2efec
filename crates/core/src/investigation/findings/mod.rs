//! Findings: the failures in an incident's traces the owners must see — failed tool calls, retry loops, token and
//! cost spikes, destinations outside the allowlist, calls made without the approval they need, admin tools. They are
//! computed from the stored steps and the incident's rules whenever they are read (one pass over the steps), so a
//! change of the rules shows at once and nothing derived is stored. Each may be dismissed with a written reason;
//! the rules and the dismissals are audited rows.

mod detect;
pub(crate) mod names;
#[cfg(test)]
mod tests;

use super::steps::{preview_of_ids, StoredStep};
use crate::audit::{Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::record::{self, Table};
use crate::store::Store;
use crate::text::limited;
use crate::trace::StepKind;
use crate::vocabulary::IncidentType;
use chrono::{DateTime, Utc};
use detect::{Detector, Fact, ARGUMENT_CHARS, RESULT_CHARS};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

crate::choices!(
    /// What a finding is about; in the order the findings are listed, the most telling first.
    FindingKind, "FindingKind.ts" {
        OffAllowlist => ("off_allowlist", "Destination outside the allowlist"),
        MissingApproval => ("missing_approval", "No approval before the call"),
        AdminTool => ("admin_tool", "Admin tool"),
        FailedToolCalls => ("failed_tool_calls", "Failed tool calls"),
        RetryLoop => ("retry_loop", "Retry loop"),
        CostSpike => ("cost_spike", "Cost spike"),
        TokenSpike => ("token_spike", "Token spike"),
    }
);

/// The most findings one read returns, and the most steps each names (`step_count` says how many in all).
pub const MAX_FINDINGS: usize = 500;
pub const MAX_FINDING_STEPS: usize = 50;

/// One finding, with the steps behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Finding.ts")]
pub struct Finding {
    /// Stable while the steps and rules are: `kind:what` (`failed_tool_calls:send_email`). A dismissal names it.
    pub key: String,
    pub kind: FindingKind,
    pub title: String,
    /// What was found and why it counts, with the numbers.
    pub detail: String,
    /// Incident types this finding points to; adding one to the record is the user's audited choice.
    pub suggests: Vec<IncidentType>,
    /// The first [`MAX_FINDING_STEPS`] steps behind it, by number.
    #[ts(type = "Array<number>")]
    pub steps: Vec<i64>,
    #[ts(type = "number")]
    pub step_count: u64,
    pub first_at: Option<DateTime<Utc>>,
    pub last_at: Option<DateTime<Utc>>,
    /// Set while the finding is dismissed.
    pub dismissal: Option<FindingDismissal>,
}

/// What the findings are judged by, per incident. The defaults hold until someone sets them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "FindingRules.ts")]
pub struct FindingRules {
    /// A retry loop: at least this many calls of one tool with the same arguments in one run …
    pub retry_calls: u32,
    /// … within this many minutes.
    pub retry_minutes: u32,
    /// A spike: a step at least this many times its run's median tokens or cost.
    pub spike_factor: f64,
    /// Domains (and their subdomains) the workflow is expected to reach; every other destination is a finding.
    pub allowed_destinations: Vec<String>,
    /// Tools that need a human approval before each call (name patterns, see `name_matches`).
    pub approval_tools: Vec<String>,
    /// Steps that are such an approval (tool or step name patterns).
    pub approval_steps: Vec<String>,
    /// Tools that act with administrative power.
    pub admin_tools: Vec<String>,
}

impl Default for FindingRules {
    fn default() -> FindingRules {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        FindingRules {
            retry_calls: 5,
            retry_minutes: 10,
            spike_factor: 5.0,
            allowed_destinations: Vec::new(),
            approval_tools: list(&["pay", "transfer", "refund", "wire", "delete", "drop", "purge", "wipe"]),
            approval_steps: list(&["approv", "confirm", "consent", "ask_human", "human_review"]),
            admin_tools: list(&[
                "admin",
                "sudo",
                "grant",
                "permission",
                "role",
                "iam",
                "privilege",
                "superuser",
                "shell",
                "bash",
                "terminal",
            ]),
        }
    }
}

/// The findings of an incident and the rules they were judged by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Findings.ts")]
pub struct Findings {
    pub findings: Vec<Finding>,
    /// Findings past [`MAX_FINDINGS`], not listed.
    #[ts(type = "number")]
    pub more: u64,
    pub rules: FindingRules,
    /// Whether the rules were set for this incident (otherwise they are the defaults).
    pub rules_set: bool,
    /// The steps read.
    #[ts(type = "number")]
    pub steps: u64,
}

/// A finding set aside, with why; `restored_*` once it is back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "FindingDismissal.ts")]
pub struct FindingDismissal {
    pub id: String,
    pub incident: String,
    pub finding: String,
    pub reason: String,
    pub dismissed_by: String,
    pub dismissed_at: DateTime<Utc>,
    pub restored_by: Option<String>,
    pub restored_at: Option<DateTime<Utc>>,
}

/// The rules as stored: one row per incident once set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RulesRow {
    id: String,
    incident: String,
    retry_calls: u32,
    retry_minutes: u32,
    spike_factor: f64,
    #[serde(default)]
    allowed_destinations: Vec<String>,
    #[serde(default)]
    approval_tools: Vec<String>,
    #[serde(default)]
    approval_steps: Vec<String>,
    #[serde(default)]
    admin_tools: Vec<String>,
}

impl RulesRow {
    fn new(id: String, incident: String, r: FindingRules) -> RulesRow {
        RulesRow {
            id,
            incident,
            retry_calls: r.retry_calls,
            retry_minutes: r.retry_minutes,
            spike_factor: r.spike_factor,
            allowed_destinations: r.allowed_destinations,
            approval_tools: r.approval_tools,
            approval_steps: r.approval_steps,
            admin_tools: r.admin_tools,
        }
    }

    fn rules(self) -> FindingRules {
        FindingRules {
            retry_calls: self.retry_calls,
            retry_minutes: self.retry_minutes,
            spike_factor: self.spike_factor,
            allowed_destinations: self.allowed_destinations,
            approval_tools: self.approval_tools,
            approval_steps: self.approval_steps,
            admin_tools: self.admin_tools,
        }
    }
}

pub(crate) const SCHEMA_V8: &str = "
CREATE TABLE finding_rules (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL UNIQUE,
    retry_calls TEXT,
    retry_minutes TEXT,
    spike_factor TEXT,
    allowed_destinations TEXT,
    approval_tools TEXT,
    approval_steps TEXT,
    admin_tools TEXT
);
CREATE TABLE finding_dismissals (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    finding TEXT,
    reason TEXT,
    dismissed_by TEXT,
    dismissed_at TEXT,
    restored_by TEXT,
    restored_at TEXT
);
CREATE INDEX finding_dismissals_incident ON finding_dismissals (incident);
";

pub(crate) const RULES: Table = Table {
    entity: Entity::FindingRules,
    name: "finding_rules",
    fields: &[
        "incident",
        "retry_calls",
        "retry_minutes",
        "spike_factor",
        "allowed_destinations",
        "approval_tools",
        "approval_steps",
        "admin_tools",
    ],
};

pub(crate) const DISMISSALS: Table = Table {
    entity: Entity::FindingDismissal,
    name: "finding_dismissals",
    fields: &["incident", "finding", "reason", "dismissed_by", "dismissed_at", "restored_by", "restored_at"],
};

const MAX_REASON: usize = 4_000;
const MAX_RULE_ENTRIES: usize = 500;
const MAX_RULE_CHARS: usize = 200;

/// The incident's findings, computed now from its steps and rules, each with its dismissal if it has one.
pub fn findings(store: &Store, key: &str) -> Result<Findings> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    findings_of(&conn, &incident)
}

fn findings_of(conn: &Connection, incident: &Incident) -> Result<Findings> {
    let (rules, rules_set) = rules_of(conn, incident)?;
    let imports: Vec<String> = {
        let mut stmt = conn.prepare("SELECT uuid FROM trace_imports WHERE incident = ?1 ORDER BY uuid")?;
        let rows = stmt.query_map([incident.row_key()], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let place: HashMap<&str, usize> = imports.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let mut run_names: HashMap<(usize, i64), String> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT r.import, r.idx, r.source_id FROM trace_runs r JOIN trace_imports i ON i.uuid = r.import \
             WHERE i.incident = ?1",
        )?;
        let mut rows = stmt.query([incident.row_key()])?;
        while let Some(r) = rows.next()? {
            let import: String = r.get(0)?;
            if let Some(&p) = place.get(import.as_str()) {
                run_names.insert((p, r.get(1)?), r.get(2)?);
            }
        }
    }
    let mut detector = Detector::new(&rules);
    // Only what the findings read of each step: texts cut, and the arguments of tool calls only.
    let mut stmt = conn.prepare(&format!(
        "SELECT id, import, run, kind, name, tool, at, is_error, substr(error, 1, 400), \
                CASE WHEN kind = 'tool_call' THEN substr(arguments, 1, {ARGUMENT_CHARS}) END, \
                CASE WHEN tool IS NOT NULL THEN substr(result, 1, {RESULT_CHARS}) END, \
                CASE WHEN input_tokens IS NULL AND output_tokens IS NULL THEN NULL \
                     ELSE coalesce(input_tokens, 0) + coalesce(output_tokens, 0) END, \
                cost, call_id \
         FROM trace_steps WHERE incident = ?1 ORDER BY import, seq"
    ))?;
    let mut rows = stmt.query([&incident.uuid])?;
    let mut steps = 0u64;
    while let Some(r) = rows.next()? {
        steps += 1;
        let import: String = r.get(1)?;
        let Some(&import) = place.get(import.as_str()) else { continue };
        let kind: String = r.get(3)?;
        detector.feed(Fact {
            id: r.get(0)?,
            run: (import, r.get(2)?),
            kind: StepKind::parse(&kind),
            name: r.get(4)?,
            tool: r.get(5)?,
            at: r.get(6)?,
            is_error: r.get(7)?,
            error: r.get(8)?,
            arguments: r.get(9)?,
            result: r.get(10)?,
            tokens: r.get::<_, Option<i64>>(11)?.map(|t| t.max(0) as u64),
            cost: r.get(12)?,
            call_id: r.get(13)?,
        });
    }
    let run_name = |run: (usize, i64)| run_names.get(&run).cloned().unwrap_or_else(|| format!("#{}", run.1));
    let import_key = |i: usize| imports[i].chars().take(8).collect::<String>();
    let (mut found, more) = detector.finish(&run_name, &import_key);
    let dismissals = active_dismissals(conn, incident)?;
    for finding in &mut found {
        finding.dismissal = dismissals.iter().find(|d| d.finding == finding.key).cloned();
    }
    Ok(Findings { findings: found, more, rules, rules_set, steps })
}

/// The incident's rules, or the defaults, and whether they were set.
pub fn rules(store: &Store, key: &str) -> Result<(FindingRules, bool)> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    rules_of(&conn, &incident)
}

fn rules_of(conn: &Connection, incident: &Incident) -> Result<(FindingRules, bool)> {
    let row: Option<RulesRow> = RULES.select(conn, "incident = ?1", &[&incident.row_key()])?.pop();
    Ok(match row {
        Some(row) => (row.rules(), true),
        None => (FindingRules::default(), false),
    })
}

/// Sets the incident's rules (each change audited), after checking them; the findings follow at once.
pub fn set_rules(store: &Store, actor: &Actor, key: &str, rules: &FindingRules) -> Result<FindingRules> {
    let rules = checked(rules)?;
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let before: Option<RulesRow> = RULES.select(tx, "incident = ?1", &[&incident.row_key()])?.pop();
        match before {
            Some(before) => {
                let after = RulesRow::new(before.id.clone(), before.incident.clone(), rules.clone());
                RULES.update(tx, &before, &after, None)?;
            }
            None => {
                let row = RulesRow::new(record::new_id(), incident.uuid.clone(), rules.clone());
                RULES.insert(tx, &row)?;
            }
        }
        Ok(rules)
    })
}

/// The rules cleaned (entries trimmed, lower-cased, each once) or refused with what to change.
fn checked(rules: &FindingRules) -> Result<FindingRules> {
    if !(2..=1000).contains(&rules.retry_calls) {
        return Err(Error::invalid("retry_calls", "A retry loop is 2 to 1000 calls; choose a number in that range."));
    }
    if !(1..=10_080).contains(&rules.retry_minutes) {
        return Err(Error::invalid(
            "retry_minutes",
            "The retry window is 1 minute to 7 days (10080 minutes); choose a number in that range.",
        ));
    }
    if !(rules.spike_factor.is_finite() && (1.5..=1000.0).contains(&rules.spike_factor)) {
        return Err(Error::invalid(
            "spike_factor",
            "A spike is 1.5 to 1000 times the run's median; choose a factor in that range.",
        ));
    }
    let list = |field: &str, entries: &[String], destination: bool| -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for entry in entries {
            let mut entry = entry.trim().to_lowercase();
            if destination {
                // A pasted URL or `*.domain` is taken as its domain.
                if let Some((_, rest)) = entry.split_once("://") {
                    entry = rest.to_string();
                }
                entry = entry.split(['/', '?', '#']).next().unwrap_or_default().to_string();
                entry = entry.rsplit('@').next().unwrap_or_default().trim_start_matches("*.").trim_matches('.').into();
            }
            if entry.is_empty() {
                continue;
            }
            if entry.chars().count() > MAX_RULE_CHARS || entry.chars().any(|c| c.is_control() || c.is_whitespace()) {
                return Err(Error::invalid(
                    field,
                    format!("“{}” is not a name Firebreak can match: one word or name per entry, without spaces, up to {MAX_RULE_CHARS} characters.", crate::text::one_line(&entry.chars().take(60).collect::<String>())),
                ));
            }
            if !out.contains(&entry) {
                out.push(entry);
            }
        }
        if out.len() > MAX_RULE_ENTRIES {
            return Err(Error::invalid(field, format!("Keep the list under {MAX_RULE_ENTRIES} entries.")));
        }
        Ok(out)
    };
    Ok(FindingRules {
        retry_calls: rules.retry_calls,
        retry_minutes: rules.retry_minutes,
        spike_factor: rules.spike_factor,
        allowed_destinations: list("allowed_destinations", &rules.allowed_destinations, true)?,
        approval_tools: list("approval_tools", &rules.approval_tools, false)?,
        approval_steps: list("approval_steps", &rules.approval_steps, false)?,
        admin_tools: list("admin_tools", &rules.admin_tools, false)?,
    })
}

/// Dismisses a current finding with a written reason.
pub fn dismiss(store: &Store, actor: &Actor, key: &str, finding: &str, reason: &str) -> Result<FindingDismissal> {
    let reason = limited("reason", reason, MAX_REASON)?;
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            "Say why this finding does not need action (for example “expected: the nightly sync retries by design”).",
        ));
    }
    // The findings are judged before the write, so the write lock is held only for the row: on a large trace the
    // judging takes a while, and a finding that exists now is what the user saw.
    let current = findings(store, key)?;
    let Some(found) = current.findings.iter().find(|f| f.key == finding) else {
        let conn = store.connect()?;
        return Err(unknown(&incident::find(&conn, key)?, finding));
    };
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        if active_dismissals(tx, &incident)?.iter().any(|d| d.finding == finding) {
            return Err(Error::invalid("finding", format!("“{}” is already dismissed.", found.title)));
        }
        let row = FindingDismissal {
            id: record::new_id(),
            incident: incident.uuid.clone(),
            finding: finding.to_string(),
            reason: reason.clone(),
            dismissed_by: tx.actor().name.clone(),
            dismissed_at: tx.at(),
            restored_by: None,
            restored_at: None,
        };
        DISMISSALS.insert(tx, &row)?;
        Ok(row)
    })
}

/// Brings a dismissed finding back.
pub fn restore(store: &Store, actor: &Actor, key: &str, finding: &str) -> Result<FindingDismissal> {
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let Some(before) = active_dismissals(tx, &incident)?.into_iter().find(|d| d.finding == finding) else {
            return Err(Error::invalid(
                "finding",
                format!(
                    "No dismissed finding “{finding}” in {}. `firebreak trace findings {}` lists them.",
                    incident.id, incident.id
                ),
            ));
        };
        let after = FindingDismissal {
            restored_by: Some(tx.actor().name.clone()),
            restored_at: Some(tx.at()),
            ..before.clone()
        };
        DISMISSALS.update(tx, &before, &after, None)?;
        Ok(after)
    })
}

fn active_dismissals(conn: &Connection, incident: &Incident) -> Result<Vec<FindingDismissal>> {
    let all: Vec<FindingDismissal> = DISMISSALS.select(conn, "incident = ?1", &[&incident.row_key()])?;
    Ok(all.into_iter().filter(|d| d.restored_at.is_none()).collect())
}

fn unknown(incident: &Incident, finding: &str) -> Error {
    Error::not_found(format!(
        "No finding “{}” in {} now (the steps or the rules may have changed). `firebreak trace findings {}` lists them with their keys.",
        crate::text::one_line(&finding.chars().take(200).collect::<String>()),
        incident.id,
        incident.id
    ))
}

/// The steps behind a finding (its first [`MAX_FINDING_STEPS`]), in time order, their texts cut as in a page.
pub fn finding_steps(store: &Store, key: &str, finding: &str) -> Result<Vec<StoredStep>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let current = findings_of(&conn, &incident)?;
    let found = current.findings.iter().find(|f| f.key == finding).ok_or_else(|| unknown(&incident, finding))?;
    preview_of_ids(&conn, &incident, &found.steps)
}
