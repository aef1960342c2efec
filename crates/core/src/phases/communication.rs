//! The communication matrix: who must be told, why (derived from the record), when, the message (drafted from
//! templates/communications/), its owner, and its progress drafted → approved (by a named person) → sent.

use crate::audit::Entity;
use crate::record::Table;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    Audience, "Audience.ts" {
        BusinessOwner => ("business_owner", "Business workflow owner"),
        TechnicalOwner => ("technical_owner", "Technical owner"),
        Security => ("security", "Security"),
        LegalCompliance => ("legal_compliance", "Legal / compliance"),
        InternalUsers => ("internal_users", "Affected internal users"),
        Customers => ("customers", "Customers"),
        Vendors => ("vendors", "Vendors"),
        Candidates => ("candidates", "Candidates"),
        Employees => ("employees", "Employees"),
        Partners => ("partners", "Partners"),
        Executives => ("executives", "Executives"),
    }
);

crate::choices!(
    MessageStatus, "MessageStatus.ts" {
        Drafted => ("drafted", "Drafted"),
        Approved => ("approved", "Approved"),
        Sent => ("sent", "Sent"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE communications (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    audience TEXT,
    required TEXT,
    required_because TEXT,
    when_to_tell TEXT,
    message TEXT,
    owner TEXT,
    status TEXT,
    approved_by TEXT,
    approved_at TEXT,
    sent_at TEXT,
    sent_via TEXT
);
CREATE INDEX communications_incident ON communications (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::Communication,
    name: "communications",
    fields: &[
        "incident",
        "audience",
        "required",
        "required_because",
        "when_to_tell",
        "message",
        "owner",
        "status",
        "approved_by",
        "approved_at",
        "sent_at",
        "sent_via",
    ],
};

/// One row of the matrix for one audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Communication.ts")]
pub struct Communication {
    pub id: String,
    pub incident: String,
    pub audience: Audience,
    pub required: bool,
    /// Why this audience must (or need not) be told, derived from the record.
    #[serde(default)]
    pub required_because: String,
    /// E.g. "now", "within 24 hours", "after recovery".
    #[serde(default)]
    pub when_to_tell: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub owner: String,
    pub status: MessageStatus,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// How it was sent (email, call, status page…).
    pub sent_via: Option<String>,
}
