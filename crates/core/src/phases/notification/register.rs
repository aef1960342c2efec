//! The breach register: every incident that involves (or may involve) personal data, notified or not, with the
//! facts, effects and remedial action, and per regime the decision and its reasoning. GDPR Art. 33(5) requires the
//! controller to document every personal data breach this way, including those it decided not to notify, so an
//! incident leaves the register only when nobody has said or recorded that personal data is involved.

use super::applicability::{self, Answer};
use super::clocks::RegimeClocks;
use super::{catalog, clocks, content, drafts, Decision, Notification, NotificationStatus};
use crate::error::Result;
use crate::incident::{self, Incident, ListFilter};
use crate::phases::{affected, communication};
use crate::profile;
use crate::store::Store;
use crate::vocabulary::{DataClass, Status};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// One incident of the breach register.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "BreachEntry.ts")]
pub struct BreachEntry {
    pub incident: String,
    pub title: String,
    pub status: Status,
    pub detected_at: Option<DateTime<Utc>>,
    pub aware_at: Option<DateTime<Utc>>,
    /// The questionnaire's answer; absent when not given yet (the record's data classes brought the incident here).
    pub personal_data: Option<Answer>,
    pub record_mentions_personal_data: bool,
    /// What happened: the record's summary (its title when there is none).
    pub facts: String,
    pub effects: BreachEffects,
    /// Pauses and containment done so far, with their times in the user's zone.
    pub remedial_action: Vec<String>,
    /// At least one notification of any regime was submitted.
    pub notified: bool,
    /// Regimes decided, suggested by the questionnaire, or with a submission, in the catalog's order.
    pub regimes: Vec<BreachRegime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "BreachEffects.ts")]
pub struct BreachEffects {
    /// "Customers: …", "Vendors: …", "Employees: …" from the record.
    pub impacts: Vec<String>,
    pub data_classes: Vec<DataClass>,
    /// Rows of the side-effect audit.
    #[ts(type = "number")]
    pub affected_objects: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "BreachRegime.ts")]
pub struct BreachRegime {
    pub regime: String,
    pub name: String,
    /// Absent while the regime is only suggested.
    pub decision: Option<Decision>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub suggested: bool,
    /// The decision's reason, else the questionnaire's reasons for the suggestion.
    pub reasoning: String,
    pub submissions: Vec<BreachSubmission>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "BreachSubmission.ts")]
pub struct BreachSubmission {
    pub stage: String,
    /// 1 for the stage's notification, more for supplements.
    pub sequence: u32,
    pub submitted_at: Option<DateTime<Utc>>,
    pub channel: Option<String>,
    pub reference: Option<String>,
}

/// The register, newest incident first (as the incident register lists them).
pub fn breach_register(store: &Store) -> Result<Vec<BreachEntry>> {
    let catalog = catalog(store)?;
    let conn = store.connect()?;
    let zone = profile::zone(&conn)?;
    let now = Utc::now();
    let mut out = Vec::new();
    for incident in incident::list(store, &ListFilter::default())? {
        let answers = applicability::stored(&conn, &incident)?.unwrap_or_default();
        let mentions = applicability::record_mentions_personal_data(&incident);
        if !matches!(answers.personal_data, Some(Answer::Yes | Answer::Unsure)) && !mentions {
            continue;
        }
        let view = clocks::compute(&conn, &catalog, &incident, now)?;
        let submitted: Vec<Notification> = drafts::stored(&conn, &incident)?
            .into_iter()
            .filter(|n| n.status == NotificationStatus::Submitted)
            .collect();
        let regimes: Vec<BreachRegime> = view.regimes.iter().filter_map(|r| regime_entry(r, &submitted)).collect();
        let f = &incident.fields;
        out.push(BreachEntry {
            incident: incident.id.clone(),
            title: f.title.clone(),
            status: f.status,
            detected_at: f.detected_at,
            aware_at: f.aware_at,
            personal_data: answers.personal_data,
            record_mentions_personal_data: mentions,
            facts: if f.summary.trim().is_empty() { f.title.clone() } else { f.summary.trim().to_string() },
            effects: effects(&conn, &incident)?,
            remedial_action: communication::actions_taken(&conn, &incident, zone)?,
            notified: !submitted.is_empty(),
            regimes,
        });
    }
    Ok(out)
}

fn regime_entry(r: &RegimeClocks, submitted: &[Notification]) -> Option<BreachRegime> {
    let mut submissions: Vec<BreachSubmission> = submitted
        .iter()
        .filter(|n| n.regime == r.regime)
        .map(|n| BreachSubmission {
            stage: n.stage.clone(),
            sequence: n.sequence,
            submitted_at: n.submitted_at,
            channel: n.channel.clone(),
            reference: n.reference.clone(),
        })
        .collect();
    submissions.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at).then(a.sequence.cmp(&b.sequence)));
    let decision = r.decision.as_ref().filter(|d| d.decision.is_some());
    if decision.is_none() && !r.suggestion.suggested && submissions.is_empty() {
        return None;
    }
    let reasoning = match decision.map(|d| d.reason.trim()).filter(|reason| !reason.is_empty()) {
        Some(reason) => reason.to_string(),
        None => r.suggestion.reasons.join("; "),
    };
    Some(BreachRegime {
        regime: r.regime.clone(),
        name: r.name.clone(),
        decision: decision.and_then(|d| d.decision),
        decided_by: decision.and_then(|d| d.decided_by.clone()),
        decided_at: decision.and_then(|d| d.decided_at),
        suggested: r.suggestion.suggested,
        reasoning,
        submissions,
    })
}

fn effects(conn: &Connection, incident: &Incident) -> Result<BreachEffects> {
    Ok(BreachEffects {
        impacts: content::impact_lines(incident),
        data_classes: incident.fields.data_classes.clone(),
        affected_objects: affected::total(conn, incident)?,
    })
}

const HEADER: &[&str] = &[
    "incident",
    "title",
    "status",
    "detected_at",
    "aware_at",
    "personal_data",
    "facts",
    "impacts",
    "data_classes",
    "affected_objects",
    "remedial_action",
    "notified",
    "decisions",
    "reasoning",
    "submissions",
];

/// The register as CSV (RFC 4180: CRLF line ends, quoted where needed), one row per incident. Lists inside a cell
/// are one item per line, each regime's line starting with its name, so a spreadsheet shows them readably.
pub fn breach_register_csv(entries: &[BreachEntry]) -> String {
    let mut out = row(HEADER.iter().map(|h| h.to_string()));
    for e in entries {
        let instant = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
        let decisions = e.regimes.iter().map(|r| format!("{}: {}", r.name, decision_text(r)));
        let reasoning = e.regimes.iter().map(|r| format!("{}: {}", r.name, r.reasoning));
        let submissions = e.regimes.iter().flat_map(|r| {
            r.submissions.iter().map(move |s| {
                let mut line = format!("{} {}", r.name, s.stage);
                if s.sequence > 1 {
                    line.push_str(&format!(" (supplement {})", s.sequence - 1));
                }
                line.push_str(&format!(": submitted {}", instant(s.submitted_at).unwrap_or_default()));
                if let Some(channel) = &s.channel {
                    line.push_str(&format!(" via {channel}"));
                }
                if let Some(reference) = &s.reference {
                    line.push_str(&format!(", reference {reference}"));
                }
                line
            })
        });
        let personal_data = match e.personal_data {
            Some(answer) => answer.key().to_string(),
            None => "not answered (the record's data classes mention personal data)".to_string(),
        };
        out.push_str(&row([
            e.incident.clone(),
            e.title.clone(),
            e.status.key().to_string(),
            instant(e.detected_at).unwrap_or_default(),
            instant(e.aware_at).unwrap_or_default(),
            personal_data,
            e.facts.clone(),
            e.effects.impacts.join("\n"),
            e.effects.data_classes.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
            e.effects.affected_objects.to_string(),
            e.remedial_action.join("\n"),
            if e.notified { "yes" } else { "no" }.to_string(),
            decisions.collect::<Vec<_>>().join("\n"),
            reasoning.collect::<Vec<_>>().join("\n"),
            submissions.collect::<Vec<_>>().join("\n"),
        ]));
    }
    out
}

fn decision_text(r: &BreachRegime) -> String {
    match r.decision {
        Some(d) => {
            let mut text = match d {
                Decision::Applies => "applies".to_string(),
                Decision::NotApplicable => "does not apply".to_string(),
            };
            if let Some(by) = &r.decided_by {
                text.push_str(&format!(" (decided by {by}"));
                if let Some(at) = r.decided_at {
                    text.push_str(&format!(" on {}", at.to_rfc3339_opts(SecondsFormat::Secs, true)));
                }
                text.push(')');
            }
            text
        }
        None if r.suggested => "suggested, not decided yet".to_string(),
        None => "not decided".to_string(),
    }
}

fn row(cells: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> = cells.into_iter().map(|c| cell(&c)).collect();
    cells.join(",") + "\r\n"
}

/// One RFC 4180 field. Text from the record is typed by anyone (or an agent): a cell a spreadsheet would read as a
/// formula is prefixed with a single quote so it stays text.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
