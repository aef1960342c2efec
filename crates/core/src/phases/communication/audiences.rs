//! Who must be told, derived from the incident record. The rules are deliberately simple and visible: the reason
//! shown to the owner names the facts of the record that made an audience required.

use super::Audience;
use crate::incident::IncidentFields;
use crate::vocabulary::{DataClass, IncidentType, Severity};
use serde::Serialize;

/// What the record alone says about one audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Derived {
    pub required: bool,
    /// Why (or why not), in plain words.
    pub because: String,
    /// The suggested moment to tell them.
    pub when_to_tell: String,
}

const NOW: &str = "now";
const WITHIN_24_HOURS: &str = "within 24 hours";
const WHEN_CONFIRMED: &str = "when the facts are confirmed";

const SECURITY_DATA: &[DataClass] = &[DataClass::PersonalData, DataClass::SpecialCategoryData, DataClass::Credentials];
const SECURITY_TYPES: &[IncidentType] = &[
    IncidentType::PromptInjection,
    IncidentType::MaliciousPlugin,
    IncidentType::CrossTenantLeak,
    IncidentType::SensitiveDataExposure,
];
const REGULATED_DATA: &[DataClass] = &[
    DataClass::PersonalData,
    DataClass::SpecialCategoryData,
    DataClass::Health,
    DataClass::Financial,
    DataClass::EmployeeData,
];
const EXTERNAL_TYPES: &[IncidentType] =
    &[IncidentType::ExternalSend, IncidentType::SensitiveDataExposure, IncidentType::CrossTenantLeak];
const CUSTOMER_TYPES: &[IncidentType] = &[IncidentType::ExternalSend, IncidentType::CrossTenantLeak];
const WRONG_RECORD_TYPES: &[IncidentType] =
    &[IncidentType::BadWriteback, IncidentType::DuplicateWork, IncidentType::StaleOrWrongInput];

/// Whether `audience` must be told, why, and when, from the record's data classes, incident types, impacts and
/// severity (`fields.severity` is the current level).
pub fn derive(f: &IncidentFields, audience: Audience) -> Derived {
    let mut reasons = Vec::new();
    let when = match audience {
        Audience::BusinessOwner => {
            reasons
                .push("the business workflow owner is always told: they own the workflow and its re-enabling".into());
            NOW
        }
        Audience::TechnicalOwner => {
            reasons.push("the technical owner is always told: they run the agent and its fixes".into());
            NOW
        }
        Audience::Security => {
            data_reason(f, SECURITY_DATA, &mut reasons);
            type_reason(f, SECURITY_TYPES, &mut reasons);
            NOW
        }
        Audience::LegalCompliance => {
            data_reason(f, REGULATED_DATA, &mut reasons);
            type_reason(f, EXTERNAL_TYPES, &mut reasons);
            impact_reason("customer", &f.customer_impact, &mut reasons);
            impact_reason("vendor", &f.vendor_impact, &mut reasons);
            NOW
        }
        Audience::Executives => {
            if let Some(level @ (Severity::Sev0 | Severity::Sev1)) = f.severity {
                reasons.push(format!("the severity is {}", level.label()));
            }
            if f.severity == Some(Severity::Sev0) {
                NOW
            } else {
                WITHIN_24_HOURS
            }
        }
        Audience::Customers => {
            impact_reason("customer", &f.customer_impact, &mut reasons);
            type_reason(f, CUSTOMER_TYPES, &mut reasons);
            WHEN_CONFIRMED
        }
        Audience::Vendors => {
            impact_reason("vendor", &f.vendor_impact, &mut reasons);
            WHEN_CONFIRMED
        }
        Audience::Employees => {
            impact_reason("employee", &f.employee_impact, &mut reasons);
            data_reason(f, &[DataClass::EmployeeData], &mut reasons);
            WHEN_CONFIRMED
        }
        Audience::InternalUsers => {
            if type_reason(f, WRONG_RECORD_TYPES, &mut reasons) {
                reasons.push("people may be relying on records the agent got wrong".into());
            }
            NOW
        }
        Audience::Candidates | Audience::Partners => WHEN_CONFIRMED,
    };
    if reasons.is_empty() {
        return Derived { required: false, because: not_indicated(audience).into(), when_to_tell: when.into() };
    }
    Derived { required: true, because: sentence(&reasons.join("; ")), when_to_tell: when.into() }
}

fn data_reason(f: &IncidentFields, classes: &[DataClass], reasons: &mut Vec<String>) -> bool {
    let found: Vec<String> =
        f.data_classes.iter().filter(|c| classes.contains(c)).map(|c| c.label().to_lowercase()).collect();
    if !found.is_empty() {
        reasons.push(format!("the data involved includes {}", found.join(", ")));
    }
    !found.is_empty()
}

fn type_reason(f: &IncidentFields, types: &[IncidentType], reasons: &mut Vec<String>) -> bool {
    let found: Vec<String> =
        f.incident_types.iter().filter(|t| types.contains(&t.kind)).map(|t| t.kind.label().to_lowercase()).collect();
    if !found.is_empty() {
        reasons.push(format!("the incident type is {}", found.join(", ")));
    }
    !found.is_empty()
}

fn impact_reason(who: &str, impact: &str, reasons: &mut Vec<String>) {
    if !impact.trim().is_empty() {
        reasons.push(format!("{who} impact is recorded"));
    }
}

fn not_indicated(audience: Audience) -> &'static str {
    match audience {
        Audience::Security => {
            "Not indicated by the record: no personal, special-category or credential data and no security incident \
             type (prompt injection, malicious plugin, cross-tenant leak, sensitive data exposure)."
        }
        Audience::LegalCompliance => {
            "Not indicated by the record: no regulated data (personal, special-category, health, financial, \
             employee) and no external exposure recorded."
        }
        Audience::Executives => "Not indicated by the record: the severity is not Sev 0 or Sev 1.",
        Audience::Customers => "Not indicated by the record: no customer impact and no external send recorded.",
        Audience::Vendors => "Not indicated by the record: no vendor impact recorded.",
        Audience::Employees => "Not indicated by the record: no employee impact and no employee data recorded.",
        Audience::InternalUsers => {
            "Not indicated by the record: no wrong, duplicate or stale internal records recorded."
        }
        _ => "The record cannot tell whether they are affected: mark them required if they are.",
    }
}

fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}
