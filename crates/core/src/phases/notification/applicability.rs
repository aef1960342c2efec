//! The applicability questionnaire and the regimes it suggests. Suggestions are never decisions: each regime is
//! confirmed by a person or recorded as not applicable with the reasoning (GDPR Art. 33(5) requires it for a
//! breach that is not notified). "Unsure" counts as "yes" for a suggestion: the earliest defensible reading.

use super::ANSWERS;
use crate::audit::Actor;
use crate::deadlines::{self, CalendarChoice, Catalog};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::record;
use crate::store::Store;
use crate::vocabulary::{Choice, DataClass};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    Answer, "ApplicabilityAnswer.ts" {
        Yes => ("yes", "Yes"),
        No => ("no", "No"),
        Unsure => ("unsure", "Not sure yet"),
    }
);

crate::choices!(
    /// Where the people affected are (one incident may touch several).
    Region, "Region.ts" {
        EuEea => ("eu_eea", "EU / EEA"),
        Uk => ("uk", "United Kingdom"),
        UsNewYork => ("us_ny", "US: New York"),
        UsCalifornia => ("us_ca", "US: California"),
        UsOther => ("us_other", "US: other states"),
        Singapore => ("sg", "Singapore"),
        Australia => ("au", "Australia"),
        Brazil => ("br", "Brazil"),
        India => ("in", "India"),
        Elsewhere => ("other", "Elsewhere"),
    }
);

/// The answers of one incident; absent answers are not given yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ApplicabilityAnswers.ts")]
pub struct ApplicabilityAnswers {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub incident: String,
    pub personal_data: Option<Answer>,
    pub risk: Option<Answer>,
    pub high_risk: Option<Answer>,
    #[serde(default)]
    pub locations: Vec<Region>,
    pub nis2: Option<Answer>,
    pub dora: Option<Answer>,
    pub ai_act: Option<Answer>,
    pub sec: Option<Answer>,
    pub hipaa: Option<Answer>,
    pub nydfs: Option<Answer>,
    pub certin: Option<Answer>,
}

/// A question of the form, for the UI and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "ApplicabilityQuestion.ts")]
pub struct Question {
    pub key: String,
    pub text: String,
    pub help: String,
    /// True for the one multiple-choice question (where the people are).
    pub regions: bool,
    /// Only asked when personal data is (or may be) involved.
    pub about_personal_data: bool,
}

const QUESTIONS: &[(&str, &str, &str)] = &[
    (
        "personal_data",
        "Does the incident involve personal data: information about identifiable people?",
        "Names, emails, customer or employee records, health or financial details, identifiers. If in doubt, answer \
         \"not sure\".",
    ),
    (
        "risk",
        "Is it likely to result in a risk to those people's rights and freedoms?",
        "GDPR Art. 33: a breach unlikely to result in a risk need not be notified, but the reasoning must be recorded.",
    ),
    (
        "high_risk",
        "Is it likely to result in a high risk to them (identity theft, fraud, financial loss, discrimination, \
         damage to reputation, distress)?",
        "GDPR Art. 34: then the people themselves must be told without undue delay.",
    ),
    ("locations", "Where are the people affected?", "Pick every place that applies."),
    (
        "nis2",
        "Are we an essential or important entity under NIS2, and is this a significant incident (severe disruption or \
         financial loss, or considerable damage to others)?",
        "Directive (EU) 2022/2555 Art. 23.",
    ),
    (
        "dora",
        "Are we a financial entity under DORA, and is this an ICT-related incident classified (or likely to be \
         classified) as major?",
        "Regulation (EU) 2022/2554 Art. 19.",
    ),
    (
        "ai_act",
        "Are we the provider of a high-risk AI system involved in a serious incident (death or serious harm to \
         health, serious and irreversible disruption of critical infrastructure, breach of fundamental-rights \
         obligations, serious harm to property or the environment)?",
        "EU AI Act Art. 73. A deployer informs the provider instead.",
    ),
    (
        "sec",
        "Are we an SEC registrant, and could this cybersecurity incident be material to investors?",
        "Form 8-K Item 1.05: 4 business days after the materiality determination.",
    ),
    (
        "hipaa",
        "Are we a HIPAA covered entity or business associate, and is unsecured protected health information involved?",
        "45 CFR 164.404–408.",
    ),
    (
        "nydfs",
        "Are we regulated by the New York Department of Financial Services (23 NYCRR Part 500)?",
        "500.17: 72 hours after determining that a cybersecurity incident occurred.",
    ),
    (
        "certin",
        "Did the incident affect systems in India, and is it of a kind CERT-In lists (data breach or leak, \
         unauthorised access, attacks on AI or machine-learning applications…)?",
        "CERT-In Directions of April 2022: report within 6 hours of noticing it.",
    ),
];

const ABOUT_PERSONAL_DATA: &[&str] = &["risk", "high_risk", "locations"];

pub fn questions() -> Vec<Question> {
    QUESTIONS
        .iter()
        .map(|(key, text, help)| Question {
            key: key.to_string(),
            text: text.to_string(),
            help: help.to_string(),
            regions: *key == "locations",
            about_personal_data: ABOUT_PERSONAL_DATA.contains(key),
        })
        .collect()
}

/// The questionnaire and the choice lists of the notification screen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "NotificationChoices.ts")]
pub struct NotificationChoices {
    pub questions: Vec<Question>,
    pub answers: Vec<Choice>,
    pub regions: Vec<Choice>,
    /// Holiday calendars for working-day notes (DORA: the Member State's).
    pub calendars: Vec<CalendarChoice>,
}

pub fn choices(catalog: &Catalog) -> NotificationChoices {
    NotificationChoices {
        questions: questions(),
        answers: Answer::options(),
        regions: Region::options(),
        calendars: deadlines::calendars(catalog),
    }
}

/// A regime suggested (or not) by the answers, with the reasoning in plain words.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "RegimeSuggestion.ts")]
pub struct Suggestion {
    pub suggested: bool,
    pub reasons: Vec<String>,
}

/// The stored answers of an incident, if any were given.
pub(crate) fn stored(conn: &Connection, incident: &Incident) -> Result<Option<ApplicabilityAnswers>> {
    Ok(ANSWERS.select(conn, "incident = ?1", &[&incident.row_key()])?.pop())
}

fn blank(incident: &Incident) -> ApplicabilityAnswers {
    ApplicabilityAnswers { id: record::new_id(), incident: incident.uuid.clone(), ..Default::default() }
}

/// Records one answer. `value` is an answer key (yes / no / unsure), empty to clear it, or for `locations` a
/// comma-separated list of region keys.
pub fn answer(store: &Store, actor: &Actor, key: &str, question: &str, value: &str) -> Result<ApplicabilityAnswers> {
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let before = stored(tx, &incident)?;
        let mut after = before.clone().unwrap_or_else(|| blank(&incident));
        let value = value.trim();
        if question == "locations" {
            let mut regions = Vec::new();
            for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let region = Region::parse(part).ok_or_else(|| {
                    let keys: Vec<&str> = Region::ALL.iter().map(|r| r.key()).collect();
                    Error::invalid("locations", format!("\"{part}\" is not a place. Places: {}.", keys.join(", ")))
                })?;
                if !regions.contains(&region) {
                    regions.push(region);
                }
            }
            regions.sort();
            after.locations = regions;
        } else {
            let parsed = if value.is_empty() {
                None
            } else {
                Some(Answer::parse(value).ok_or_else(|| {
                    Error::invalid(question, format!("\"{value}\" is not an answer; answer yes, no or unsure."))
                })?)
            };
            *slot(&mut after, question)? = parsed;
        }
        match &before {
            Some(before) => ANSWERS.update(tx, before, &after, None)?,
            None => {
                ANSWERS.insert(tx, &after)?;
                Vec::new()
            }
        };
        Ok(after)
    })
}

fn slot<'a>(answers: &'a mut ApplicabilityAnswers, question: &str) -> Result<&'a mut Option<Answer>> {
    Ok(match question {
        "personal_data" => &mut answers.personal_data,
        "risk" => &mut answers.risk,
        "high_risk" => &mut answers.high_risk,
        "nis2" => &mut answers.nis2,
        "dora" => &mut answers.dora,
        "ai_act" => &mut answers.ai_act,
        "sec" => &mut answers.sec,
        "hipaa" => &mut answers.hipaa,
        "nydfs" => &mut answers.nydfs,
        "certin" => &mut answers.certin,
        other => {
            let keys: Vec<&str> = QUESTIONS.iter().map(|q| q.0).collect();
            return Err(Error::invalid(
                "question",
                format!("\"{other}\" is not a question. Questions: {}.", keys.join(", ")),
            ));
        }
    })
}

/// The questions still open. Questions about personal data are not asked when there is none.
pub(crate) fn unanswered(answers: Option<&ApplicabilityAnswers>) -> Vec<&'static str> {
    let blank = ApplicabilityAnswers::default();
    let a = answers.unwrap_or(&blank);
    let no_personal_data = a.personal_data == Some(Answer::No);
    QUESTIONS
        .iter()
        .map(|q| q.0)
        .filter(|key| !(no_personal_data && ABOUT_PERSONAL_DATA.contains(key)))
        .filter(|key| match *key {
            "locations" => a.locations.is_empty(),
            "personal_data" => a.personal_data.is_none(),
            "risk" => a.risk.is_none(),
            "high_risk" => a.high_risk.is_none(),
            "nis2" => a.nis2.is_none(),
            "dora" => a.dora.is_none(),
            "ai_act" => a.ai_act.is_none(),
            "sec" => a.sec.is_none(),
            "hipaa" => a.hipaa.is_none(),
            "nydfs" => a.nydfs.is_none(),
            _ => a.certin.is_none(),
        })
        .collect()
}

/// Whether the record itself says personal data is involved (its data classes), as a hint for the first question.
pub fn record_mentions_personal_data(incident: &Incident) -> bool {
    incident.fields.data_classes.iter().any(|c| {
        matches!(
            c,
            DataClass::PersonalData | DataClass::SpecialCategoryData | DataClass::Health | DataClass::EmployeeData
        )
    })
}

/// What the answers suggest for `regime`, with the reasoning.
pub fn suggest(regime: &str, answers: &ApplicabilityAnswers) -> Suggestion {
    let mut reasons = Vec::new();
    let yes = |a: Option<Answer>, what: &str, reasons: &mut Vec<String>| -> bool {
        match a {
            Some(Answer::Yes) => {
                reasons.push(format!("{what}: yes"));
                true
            }
            Some(Answer::Unsure) => {
                reasons.push(format!("{what}: not sure yet, so treated as yes until decided"));
                true
            }
            Some(Answer::No) => {
                reasons.push(format!("{what}: no"));
                false
            }
            None => {
                reasons.push(format!("{what}: not answered yet"));
                false
            }
        }
    };
    let personal = |reasons: &mut Vec<String>| yes(answers.personal_data, "Personal data involved", reasons);
    let place = |region: Region, reasons: &mut Vec<String>| -> bool {
        let here = answers.locations.contains(&region);
        reasons.push(format!("People in {}: {}", region.label(), if here { "yes" } else { "no" }));
        here
    };
    // "Unlikely to result in a risk" is the only way out of GDPR Art. 33 (and its UK twin), so "no" must be explicit.
    let not_no_risk = |reasons: &mut Vec<String>| -> bool {
        match answers.risk {
            Some(Answer::No) => {
                reasons.push(
                    "Unlikely to result in a risk to people: not notifiable, but record the decision and its \
                     reasoning (Art. 33(5))"
                        .into(),
                );
                false
            }
            other => {
                yes(other.or(Some(Answer::Unsure)), "Risk to people's rights and freedoms", reasons);
                true
            }
        }
    };
    let suggested = match regime {
        "gdpr-art33" => personal(&mut reasons) && place(Region::EuEea, &mut reasons) && not_no_risk(&mut reasons),
        "uk-gdpr" => personal(&mut reasons) && place(Region::Uk, &mut reasons) && not_no_risk(&mut reasons),
        "gdpr-art34" => {
            personal(&mut reasons)
                && place(Region::EuEea, &mut reasons)
                && yes(answers.high_risk, "High risk to the people concerned", &mut reasons)
        }
        "nis2" => yes(answers.nis2, "NIS2 entity with a significant incident", &mut reasons),
        "dora" => yes(answers.dora, "DORA financial entity with a major ICT-related incident", &mut reasons),
        "eu-ai-act-art73" => {
            yes(answers.ai_act, "Provider of a high-risk AI system with a serious incident", &mut reasons)
        }
        "sec-8k-105" => yes(answers.sec, "SEC registrant with a possibly material incident", &mut reasons),
        "hipaa" => yes(answers.hipaa, "HIPAA covered entity with unsecured PHI", &mut reasons),
        "nydfs-50017" => yes(answers.nydfs, "Regulated by NYDFS", &mut reasons),
        "in-certin" => yes(answers.certin, "A CERT-In listed incident affecting systems in India", &mut reasons),
        "us-ny" => personal(&mut reasons) && place(Region::UsNewYork, &mut reasons),
        "us-ca" => personal(&mut reasons) && place(Region::UsCalifornia, &mut reasons),
        "in-dpdp" => personal(&mut reasons) && place(Region::India, &mut reasons),
        "sg-pdpa" => personal(&mut reasons) && place(Region::Singapore, &mut reasons) && not_no_risk(&mut reasons),
        "au-ndb" => personal(&mut reasons) && place(Region::Australia, &mut reasons) && not_no_risk(&mut reasons),
        "br-lgpd" => personal(&mut reasons) && place(Region::Brazil, &mut reasons) && not_no_risk(&mut reasons),
        _ => {
            reasons.push("A regime added by your organisation: the questionnaire does not cover it; decide it.".into());
            false
        }
    };
    Suggestion { suggested, reasons }
}
