//! What a front end needs to know when it starts: which database it is on and whether the user has introduced
//! themselves yet, and the choice lists its forms offer.

use crate::error::Result;
use crate::incident;
use crate::profile::{self, Profile};
use crate::schema;
use crate::store::Store;
use crate::vocabulary::{
    Choice, DataClass, DetectedBy, IncidentType, OwaspAgentic, OwaspLlm, OwaspSuggestion, Severity, Status,
};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "Startup.ts")]
pub struct Startup {
    pub version: String,
    pub db_path: String,
    /// The database is a read-only copy: everything can be looked at and verified, nothing changed.
    pub read_only: bool,
    #[ts(type = "number")]
    pub schema_version: i64,
    /// `None` until the first-run questions (name, role, time zone) are answered.
    pub profile: Option<Profile>,
    pub system_timezone: String,
}

pub fn startup(store: &Store) -> Result<Startup> {
    Ok(Startup {
        version: env!("CARGO_PKG_VERSION").to_string(),
        db_path: store.path().display().to_string(),
        read_only: store.is_read_only(),
        schema_version: schema::version(),
        profile: profile::get(store)?,
        system_timezone: profile::system_zone(),
    })
}

/// Every choice list, for forms and filters, and the incident fields' labels.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "Vocabulary.ts")]
pub struct Vocabulary {
    pub statuses: Vec<Choice>,
    pub severities: Vec<Choice>,
    pub detected_by: Vec<Choice>,
    pub data_classes: Vec<Choice>,
    pub incident_types: Vec<Choice>,
    pub owasp_llm: Vec<Choice>,
    pub owasp_agentic: Vec<Choice>,
    pub owasp_suggestions: Vec<OwaspSuggestion>,
    /// Field key → label, used to show history entries in plain words.
    pub field_labels: Vec<Choice>,
}

pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        statuses: Status::options(),
        severities: Severity::options(),
        detected_by: DetectedBy::options(),
        data_classes: DataClass::options(),
        incident_types: IncidentType::options(),
        owasp_llm: OwaspLlm::options(),
        owasp_agentic: OwaspAgentic::options(),
        owasp_suggestions: IncidentType::ALL
            .iter()
            .map(|&t| {
                let (owasp_llm, owasp_agentic) = t.suggested_owasp();
                OwaspSuggestion { incident_type: t, owasp_llm, owasp_agentic }
            })
            .collect(),
        field_labels: incident::FIELDS
            .iter()
            .map(|f| Choice { key: f.name.to_string(), label: f.label.to_string() })
            .collect(),
    }
}
