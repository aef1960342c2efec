//! Postmortem: summary, impact, gaps, root cause and its layers, contributing factors, five whys, what worked and
//! failed; the timeline (built from the record's events plus manual entries); remediation items.

use crate::audit::Entity;
use crate::record::Table;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
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
