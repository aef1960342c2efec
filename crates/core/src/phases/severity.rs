//! Severity: the rubric as plain questions, the suggested level and what triggered it, the chosen level, and every
//! assessment kept as history. Choosing lower than suggested needs a reason and is logged as an override.

use super::{overrides, Declaration, Phase, PhaseProgress};
use crate::audit::{Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, FieldChange, Incident};
use crate::phases::postmortem::timeline::{self as tl, Timeline};
use crate::phases::postmortem::TimelineKind;
use crate::record::{self, Table};
use crate::store::Store;
use crate::vocabulary::{Severity, Status};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE severity_assessments (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    answers TEXT,
    suggested TEXT,
    triggered_by TEXT,
    chosen TEXT,
    reason TEXT,
    assessed_by TEXT,
    assessed_at TEXT
);
CREATE INDEX severity_assessments_incident ON severity_assessments (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::SeverityAssessment,
    name: "severity_assessments",
    fields: &["incident", "answers", "suggested", "triggered_by", "chosen", "reason", "assessed_by", "assessed_at"],
};

/// One assessment (append-only: a new assessment is a new row; the latest one is the incident's severity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SeverityAssessment.ts")]
pub struct SeverityAssessment {
    pub id: String,
    /// The incident's UUID.
    pub incident: String,
    /// Answer key → yes (true) / no (false). Unanswered questions are absent.
    #[serde(default)]
    pub answers: BTreeMap<String, bool>,
    pub suggested: Severity,
    /// The answer keys that produced the suggestion (triggers and raisers); empty when nothing triggered.
    #[serde(default)]
    pub triggered_by: Vec<String>,
    pub chosen: Severity,
    /// Required when `chosen` is lower than `suggested`.
    pub reason: Option<String>,
    /// Who assessed (the actor of the change), kept on the row so the history needs no join with the trail.
    pub assessed_by: String,
    pub assessed_at: DateTime<Utc>,
}

/// A rubric question as the severity screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "SeverityQuestion.ts")]
pub struct SeverityQuestion {
    /// The answer key (CLI and stored data).
    pub key: String,
    pub question: String,
    /// One or two sentences that help a business owner answer.
    pub explanation: String,
    /// What a "yes" does, in plain words ("Sev 1", "Raises one level", "Guides the pause").
    pub effect: String,
    /// The level a "yes" suggests, for trigger questions.
    pub level: Option<Severity>,
    /// Whether a "yes" raises the suggestion one level.
    pub raises: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Effect {
    /// A "yes" suggests at least this level.
    Sets(Severity),
    /// A "yes" raises the suggestion one level (once, however many raisers say yes).
    Raises,
    /// Asked for the pause guidance; does not change the suggestion.
    Guides,
}

struct Rubric {
    key: &'static str,
    question: &'static str,
    explanation: &'static str,
    effect: Effect,
}

/// The rubric, in the order the questions are asked.
const RUBRIC: &[Rubric] = &[
    Rubric {
        key: "material_harm",
        question: "Has the incident caused, or is it likely to cause, material harm?",
        explanation: "Legal, safety, security, financial, HR, regulatory or customer harm that matters: money lost, a \
                      person put at risk, a law broken, a customer seriously affected. If it is likely, answer yes.",
        effect: Effect::Sets(Severity::Sev0),
    },
    Rubric {
        key: "external_communication_wrong",
        question: "Did the agent send wrong or inappropriate communication outside the company?",
        explanation: "Emails, chat messages, letters, posts or API calls that reached customers, vendors, \
                      candidates, employees' private addresses or partners.",
        effect: Effect::Sets(Severity::Sev1),
    },
    Rubric {
        key: "sensitive_data_exposed",
        question: "Was sensitive data shown or sent to someone who should not have it?",
        explanation: "Personal, health, financial, HR or customer-confidential data, or credentials, seen by the \
                      wrong person, tenant, vendor or model provider.",
        effect: Effect::Sets(Severity::Sev1),
    },
    Rubric {
        key: "unauthorized_production_write",
        question: "Did the agent change live records it was not allowed to change?",
        explanation: "Writes to production systems (CRM, ERP, payroll, ticketing, access control) without the \
                      permission or approval they needed.",
        effect: Effect::Sets(Severity::Sev1),
    },
    Rubric {
        key: "high_volume_bad_action",
        question: "Did the agent repeat a bad action many times?",
        explanation: "Dozens or more wrong records, messages, refunds or calls: the reach is large even when each \
                      one is small.",
        effect: Effect::Sets(Severity::Sev1),
    },
    Rubric {
        key: "prompt_injection_unresolved",
        question: "Did the agent follow injected instructions whose source is still reachable?",
        explanation: "Instructions hidden in a document, web page, email, ticket or tool output that the agent \
                      obeyed, and the source has not yet been cut off.",
        effect: Effect::Sets(Severity::Sev1),
    },
    Rubric {
        key: "internal_records_wrong",
        question: "Are internal records, tasks or summaries wrong?",
        explanation: "A wrong internal task, a stale summary, duplicate records, a failed writeback or an approval \
                      backlog, seen only inside the company.",
        effect: Effect::Sets(Severity::Sev2),
    },
    Rubric {
        key: "quality_drop_limited",
        question: "Has the quality of the agent's work dropped, with a limited reach?",
        explanation: "Worse answers or drafts that few people saw and that are easy to correct.",
        effect: Effect::Sets(Severity::Sev2),
    },
    Rubric {
        key: "single_failed_run",
        question: "Is this a single failed run or a recoverable error?",
        explanation: "One run failed, an output was malformed but not sensitive, a tool error recovered, or an \
                      expected exception path was taken.",
        effect: Effect::Sets(Severity::Sev3),
    },
    Rubric {
        key: "sensitive_domain",
        question: "Does the workflow touch payroll, contracts, banking details, health data, access permissions or \
                   customer commitments?",
        explanation: "Mistakes in these areas cost more to find and undo, so the suggestion rises one level.",
        effect: Effect::Raises,
    },
    Rubric {
        key: "irreversible",
        question: "Is any of the damage hard or impossible to undo?",
        explanation: "Money paid out, messages sent, records deleted without a backup, decisions already acted on. \
                      The suggestion rises one level.",
        effect: Effect::Raises,
    },
    Rubric {
        key: "still_running",
        question: "Is the agent or workflow still running?",
        explanation: "If it is, pause it at the smallest safe scope before anything else; Firebreak warns until a \
                      pause is recorded.",
        effect: Effect::Guides,
    },
    Rubric {
        key: "root_cause_unknown",
        question: "Is the cause still unknown?",
        explanation: "Without a known cause, assume the next run can fail the same way and pause more broadly.",
        effect: Effect::Guides,
    },
    Rubric {
        key: "could_repeat",
        question: "Could it happen again at the next run, schedule or retry?",
        explanation: "Scheduled triggers, retries and backfills repeat a failure on their own; pause them too.",
        effect: Effect::Guides,
    },
];

/// The rubric as the severity screen shows it.
pub fn questions() -> Vec<SeverityQuestion> {
    RUBRIC
        .iter()
        .map(|r| SeverityQuestion {
            key: r.key.to_string(),
            question: r.question.to_string(),
            explanation: r.explanation.to_string(),
            effect: match r.effect {
                Effect::Sets(level) => level.label().split(" — ").next().unwrap_or(level.key()).to_string(),
                Effect::Raises => "Raises one level".to_string(),
                Effect::Guides => "Guides the pause".to_string(),
            },
            level: match r.effect {
                Effect::Sets(level) => Some(level),
                _ => None,
            },
            raises: r.effect == Effect::Raises,
        })
        .collect()
}

/// The suggested level and the answer keys that produced it: the most severe level any "yes" triggers (Sev 3 when
/// none does), raised one level if a raiser is "yes" (once, at most to Sev 0). `triggered_by` lists the triggers
/// at the suggested level, then the raisers that raised it. Unknown keys are ignored here (`assess` refuses them).
/// The suggestion as the assessment screen shows it while answers change (the rule lives only here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "SeveritySuggestion.ts")]
pub struct SeveritySuggestion {
    pub suggested: Severity,
    pub triggered_by: Vec<String>,
}

pub fn suggestion(answers: &BTreeMap<String, bool>) -> SeveritySuggestion {
    let (suggested, triggered_by) = suggest(answers);
    SeveritySuggestion { suggested, triggered_by }
}

pub fn suggest(answers: &BTreeMap<String, bool>) -> (Severity, Vec<String>) {
    let yes = |key: &str| answers.get(key).copied().unwrap_or(false);
    let base = RUBRIC
        .iter()
        .filter_map(|r| match r.effect {
            Effect::Sets(level) if yes(r.key) => Some(level),
            _ => None,
        })
        .min() // Sev0 orders first: the most severe
        .unwrap_or(Severity::Sev3);
    let mut triggered_by: Vec<String> =
        RUBRIC.iter().filter(|r| r.effect == Effect::Sets(base) && yes(r.key)).map(|r| r.key.to_string()).collect();
    let raisers: Vec<String> =
        RUBRIC.iter().filter(|r| r.effect == Effect::Raises && yes(r.key)).map(|r| r.key.to_string()).collect();
    let suggested = match (raisers.is_empty(), one_level_up(base)) {
        (false, Some(higher)) => {
            triggered_by.extend(raisers);
            higher
        }
        _ => base,
    };
    (suggested, triggered_by)
}

fn one_level_up(level: Severity) -> Option<Severity> {
    match level {
        Severity::Sev0 => None,
        Severity::Sev1 => Some(Severity::Sev0),
        Severity::Sev2 => Some(Severity::Sev1),
        Severity::Sev3 => Some(Severity::Sev2),
    }
}

/// Records a new assessment, sets the incident's severity to the chosen level (audited like any incident edit) and,
/// when the chosen level is lower than suggested, logs the override, all in one transaction. `chosen` defaults to
/// the suggestion; a lower choice needs a written `reason`.
pub fn assess(
    store: &Store,
    actor: &Actor,
    incident_key: &str,
    answers: BTreeMap<String, bool>,
    chosen: Option<Severity>,
    reason: Option<String>,
) -> Result<SeverityAssessment> {
    let answers = checked_answers(answers)?;
    let (suggested, triggered_by) = suggest(&answers);
    let chosen = chosen.unwrap_or(suggested);
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    let lower = chosen > suggested; // Sev3 orders after Sev0: greater is less severe
    if lower && reason.is_none() {
        return Err(Error::invalid(
            "reason",
            format!(
                "You chose {chosen}, lower than the suggested {suggested}. A written reason is required to choose a \
                 lower level than suggested (it is logged as an override); add one, or choose {suggested}."
            ),
        ));
    }
    store.write(actor, |tx| {
        let incident = incident::find(tx, incident_key)?;
        let row = SeverityAssessment {
            id: record::new_id(),
            incident: incident.uuid.clone(),
            answers,
            suggested,
            triggered_by,
            chosen,
            reason,
            assessed_by: tx.actor().name.clone(),
            assessed_at: tx.at(),
        };
        TABLE.insert(tx, &row)?;
        if lower {
            let reason = row.reason.as_deref().unwrap_or_default();
            overrides::record(tx, &incident.uuid, "severity", reason, vec![suggested.key().into()], chosen.key())?;
        }
        let change = FieldChange::new("severity", serde_json::Value::String(chosen.key().into()));
        // The assessment just kept is the severity floor, and the status does not change: no rule to apply.
        incident::apply_checked(tx, &incident.uuid, &[change], false, &|_, _, _| Ok(None))?;
        Ok(row)
    })
}

/// Every assessment of an incident, oldest first.
pub fn history(store: &Store, key: &str) -> Result<Vec<SeverityAssessment>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    of_incident(&conn, &incident)
}

/// The incident's most recent assessment, if any.
pub fn latest(conn: &Connection, incident: &Incident) -> Result<Option<SeverityAssessment>> {
    Ok(of_incident(conn, incident)?.pop())
}

pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let complete = latest(conn, incident)?.is_some();
    Ok(PhaseProgress {
        phase: Phase::Severity,
        label: Phase::Severity.label().into(),
        complete,
        missing: if complete { Vec::new() } else { vec!["Assess severity".into()] },
        next: (!complete).then(|| "Answer the severity questions and choose a level".into()),
    })
}

fn of_incident(conn: &Connection, incident: &Incident) -> Result<Vec<SeverityAssessment>> {
    TABLE.select(conn, "incident = ?1", &[&incident.row_key()])
}

/// The answers with their keys normalised; an unknown key is refused by name, with the valid keys.
fn checked_answers(answers: BTreeMap<String, bool>) -> Result<BTreeMap<String, bool>> {
    let mut out = BTreeMap::new();
    for (key, value) in answers {
        let normalized = key.trim().to_lowercase();
        if !RUBRIC.iter().any(|r| r.key == normalized) {
            let valid: Vec<&str> = RUBRIC.iter().map(|r| r.key).collect();
            return Err(Error::invalid(
                "answers",
                format!("\"{key}\" is not a severity question. The questions are: {}.", valid.join(", ")),
            ));
        }
        out.insert(normalized, value);
    }
    Ok(out)
}

pub const PHASE: Declaration = Declaration {
    phase: Phase::Severity,
    tables: &[&TABLE],
    schema: &[(2, SCHEMA_V2)],
    progress,
    gates: &[Status::Contained, Status::Recovering, Status::Monitoring],
    timeline,
};

fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    for a in tl::rows::<SeverityAssessment>(conn, &TABLE, incident)? {
        let Some(at) = tl::created_at(conn, Entity::SeverityAssessment, &a.id)? else { continue };
        let mut text = format!("Severity assessed: suggested {}, chosen {}", a.suggested.label(), a.chosen.label());
        if let Some(reason) = a.reason.filter(|r| !r.is_empty()) {
            text.push_str(&format!(" (reason: {reason})"));
        }
        out.push(at, TimelineKind::Severity, text, tl::source(Entity::SeverityAssessment, &a.id));
    }
    Ok(())
}
