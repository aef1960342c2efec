//! Severity: the rubric as plain questions, the suggested level and what triggered it, the chosen level, and every
//! assessment kept as history. Choosing lower than suggested needs a reason and is logged as an override.

use crate::audit::Entity;
use crate::record::Table;
use crate::vocabulary::Severity;
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
    reason TEXT
);
CREATE INDEX severity_assessments_incident ON severity_assessments (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::SeverityAssessment,
    name: "severity_assessments",
    fields: &["incident", "answers", "suggested", "triggered_by", "chosen", "reason"],
};

/// One assessment (append-only: a new assessment is a new row; the latest one is the incident's severity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "SeverityAssessment.ts")]
pub struct SeverityAssessment {
    pub id: String,
    /// The incident's UUID.
    pub incident: String,
    /// Answer key → yes (true) / no (false). Unanswered questions are absent.
    pub answers: BTreeMap<String, bool>,
    pub suggested: Severity,
    /// The answer keys that produced the suggestion (triggers and raisers).
    pub triggered_by: Vec<String>,
    pub chosen: Severity,
    /// Required when `chosen` is lower than `suggested`.
    pub reason: Option<String>,
}
