//! The choice lists of the incident record, with the plain-language labels the UI and reports show.
//! Stored values are the snake_case keys; labels may be reworded without touching stored data.

use serde::Serialize;
use ts_rs::TS;

/// Declares a choice enum with its stored keys and labels in one place, so they cannot drift apart.
#[macro_export]
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident, $file:literal { $($variant:ident => ($key:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[ts(export_to = $file)]
        pub enum $name {
            $(#[serde(rename = $key)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }

            pub fn options() -> Vec<$crate::vocabulary::Choice> {
                Self::ALL
                    .iter()
                    .map(|c| $crate::vocabulary::Choice { key: c.key().to_string(), label: c.label().to_string() })
                    .collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

choices!(
    /// Where the incident stands. Incidents are never deleted; they are closed.
    Status, "Status.ts" {
        Investigating => ("investigating", "Investigating"),
        Contained => ("contained", "Contained"),
        Recovering => ("recovering", "Recovering"),
        Monitoring => ("monitoring", "Monitoring"),
        Closed => ("closed", "Closed"),
    }
);

choices!(
    /// The label printed on every page of a generated document: who may read it.
    Classification, "Classification.ts" {
        Internal => ("internal", "Internal"),
        Confidential => ("confidential", "Confidential"),
        Restricted => ("restricted", "Restricted"),
        Privileged => ("privileged", "Privileged & Confidential — prepared at the direction of counsel"),
    }
);

choices!(
    Severity, "Severity.ts" {
        Sev0 => ("sev0", "Sev 0 — material harm"),
        Sev1 => ("sev1", "Sev 1 — serious"),
        Sev2 => ("sev2", "Sev 2 — limited"),
        Sev3 => ("sev3", "Sev 3 — minor"),
    }
);

choices!(
    /// The signal that showed the incident.
    DetectedBy, "DetectedBy.ts" {
        Alert => ("alert", "Monitoring alert"),
        UserReport => ("user_report", "User report"),
        FailedRun => ("failed_run", "Failed run"),
        PolicyViolation => ("policy_violation", "Policy violation"),
        DownstreamAnomaly => ("downstream_anomaly", "Downstream anomaly"),
        SecuritySignal => ("security_signal", "Security signal"),
        CostSignal => ("cost_signal", "Cost signal"),
        QaSample => ("qa_sample", "QA sample"),
        Vendor => ("vendor", "Vendor"),
        Customer => ("customer", "Customer"),
    }
);

choices!(
    /// Kinds of data the incident touched; personal and special-category data drive the regulatory questions.
    DataClass, "DataClass.ts" {
        PersonalData => ("personal_data", "Personal data"),
        SpecialCategoryData => ("special_category_data", "Special-category data (health, beliefs, biometrics…)"),
        Credentials => ("credentials", "Credentials and secrets"),
        Financial => ("financial", "Financial data"),
        Health => ("health", "Health data"),
        CustomerConfidential => ("customer_confidential", "Customer confidential"),
        EmployeeData => ("employee_data", "Employee / HR data"),
        InternalOnly => ("internal_only", "Internal only"),
        Public => ("public", "Public information"),
    }
);

choices!(
    /// What went wrong, in operational terms.
    IncidentType, "IncidentType.ts" {
        MissedWorkflow => ("missed_workflow", "Missed workflow"),
        DuplicateWork => ("duplicate_work", "Duplicate work"),
        StaleOrWrongInput => ("stale_or_wrong_input", "Stale or wrong input"),
        ToolMisuse => ("tool_misuse", "Tool misuse"),
        ApprovalBypass => ("approval_bypass", "Approval bypass"),
        BadWriteback => ("bad_writeback", "Bad writeback"),
        ExternalSend => ("external_send", "External send"),
        SensitiveDataExposure => ("sensitive_data_exposure", "Sensitive data exposure"),
        CostRunaway => ("cost_runaway", "Cost runaway"),
        PromptInjection => ("prompt_injection", "Prompt injection"),
        PolicyDrift => ("policy_drift", "Policy drift"),
        MaliciousPlugin => ("malicious_plugin", "Malicious plugin / supply chain"),
        CrossTenantLeak => ("cross_tenant_leak", "Cross-tenant leak"),
    }
);

choices!(
    /// OWASP Top 10 for LLM Applications 2025.
    OwaspLlm, "OwaspLlm.ts" {
        Llm01 => ("LLM01", "LLM01 Prompt Injection"),
        Llm02 => ("LLM02", "LLM02 Sensitive Information Disclosure"),
        Llm03 => ("LLM03", "LLM03 Supply Chain"),
        Llm04 => ("LLM04", "LLM04 Data and Model Poisoning"),
        Llm05 => ("LLM05", "LLM05 Improper Output Handling"),
        Llm06 => ("LLM06", "LLM06 Excessive Agency"),
        Llm07 => ("LLM07", "LLM07 System Prompt Leakage"),
        Llm08 => ("LLM08", "LLM08 Vector and Embedding Weaknesses"),
        Llm09 => ("LLM09", "LLM09 Misinformation"),
        Llm10 => ("LLM10", "LLM10 Unbounded Consumption"),
    }
);

choices!(
    /// OWASP Top 10 for Agentic Applications 2026.
    OwaspAgentic, "OwaspAgentic.ts" {
        Asi01 => ("ASI01", "ASI01 Agent Goal Hijack"),
        Asi02 => ("ASI02", "ASI02 Tool Misuse and Exploitation"),
        Asi03 => ("ASI03", "ASI03 Identity and Privilege Abuse"),
        Asi04 => ("ASI04", "ASI04 Agentic Supply Chain Vulnerabilities"),
        Asi05 => ("ASI05", "ASI05 Unexpected Code Execution"),
        Asi06 => ("ASI06", "ASI06 Memory and Context Poisoning"),
        Asi07 => ("ASI07", "ASI07 Insecure Inter-Agent Communication"),
        Asi08 => ("ASI08", "ASI08 Cascading Failures"),
        Asi09 => ("ASI09", "ASI09 Human-Agent Trust Exploitation"),
        Asi10 => ("ASI10", "ASI10 Rogue Agents"),
    }
);

impl IncidentType {
    /// The OWASP entries an incident of this type most often maps to; offered as the default mapping.
    pub fn suggested_owasp(self) -> (Option<OwaspLlm>, Option<OwaspAgentic>) {
        use IncidentType::*;
        use OwaspAgentic as A;
        use OwaspLlm as L;
        match self {
            MissedWorkflow => (None, Some(A::Asi08)),
            DuplicateWork => (None, Some(A::Asi08)),
            StaleOrWrongInput => (Some(L::Llm09), Some(A::Asi06)),
            ToolMisuse => (Some(L::Llm06), Some(A::Asi02)),
            ApprovalBypass => (Some(L::Llm06), Some(A::Asi03)),
            BadWriteback => (Some(L::Llm05), Some(A::Asi02)),
            ExternalSend => (Some(L::Llm06), Some(A::Asi02)),
            SensitiveDataExposure => (Some(L::Llm02), Some(A::Asi03)),
            CostRunaway => (Some(L::Llm10), Some(A::Asi08)),
            PromptInjection => (Some(L::Llm01), Some(A::Asi01)),
            PolicyDrift => (Some(L::Llm09), Some(A::Asi10)),
            MaliciousPlugin => (Some(L::Llm03), Some(A::Asi04)),
            CrossTenantLeak => (Some(L::Llm02), Some(A::Asi03)),
        }
    }
}

/// One option of a choice list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "Choice.ts")]
pub struct Choice {
    pub key: String,
    pub label: String,
}

/// A suggested OWASP mapping for an incident type.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "OwaspSuggestion.ts")]
pub struct OwaspSuggestion {
    pub incident_type: IncidentType,
    pub owasp_llm: Option<OwaspLlm>,
    pub owasp_agentic: Option<OwaspAgentic>,
}

impl Default for Status {
    /// A new incident starts under investigation.
    fn default() -> Self {
        Status::Investigating
    }
}
