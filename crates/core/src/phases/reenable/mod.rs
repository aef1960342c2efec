//! Re-enable: the eleven questions answered yes / no / owner-approved exception, and the staged sign-offs
//! (read-only → draft-only → human-approved writeback → limited production → normal) by named approvers, each with
//! a hash of the incident's state at signing. A decision to retire the workflow is recorded the same way.

mod state;

pub use state::state_hash;

use super::{Declaration, Phase, PhaseProgress};
use crate::audit::{self, Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::people;
use crate::phases::postmortem::timeline::{self as tl, Timeline};
use crate::phases::postmortem::TimelineKind;
use crate::record::{self, Table};
use crate::store::Store;
use crate::vocabulary::{Choice, Status};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::choices!(
    ReenableQuestion, "ReenableQuestion.ts" {
        PausedOrNarrowed => ("paused_or_narrowed", "Is the workflow paused or narrowed?"),
        AuditComplete => ("audit_complete", "Is the side-effect audit complete?"),
        RecordsCorrected => ("records_corrected", "Are the affected records corrected?"),
        RootCauseIdentified => ("root_cause_identified", "Is the root cause identified?"),
        ControlPatched => ("control_patched", "Is the failed control patched?"),
        PermissionsReduced => ("permissions_reduced", "Are permissions reduced?"),
        EvalsAdded => ("evals_added", "Are evals added for this failure?"),
        MonitoringUpdated => ("monitoring_updated", "Is monitoring updated?"),
        RunbookUpdated => ("runbook_updated", "Is the runbook updated?"),
        BusinessOwnerApproves => ("business_owner_approves", "Does the business owner approve?"),
        FirstRunMonitored => ("first_run_monitored", "Will a human monitor the first run?"),
    }
);

crate::choices!(
    ReenableAnswerValue, "ReenableAnswerValue.ts" {
        Yes => ("yes", "Yes"),
        No => ("no", "No"),
        Exception => ("exception", "Owner-approved exception"),
    }
);

crate::choices!(
    ReenableStage, "ReenableStage.ts" {
        ReadOnly => ("read_only", "Read-only"),
        DraftOnly => ("draft_only", "Draft-only"),
        HumanApprovedWriteback => ("human_approved_writeback", "Human-approved writeback"),
        LimitedProduction => ("limited_production", "Limited production"),
        Normal => ("normal", "Normal"),
        Retired => ("retired", "Retire the workflow"),
    }
);

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE reenable_answers (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    question TEXT,
    answer TEXT,
    note TEXT
);
CREATE INDEX reenable_answers_incident ON reenable_answers (incident);
CREATE TABLE reenable_signoffs (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    stage TEXT,
    approver TEXT,
    statement TEXT,
    state_hash TEXT,
    signed_at TEXT,
    first_run_at TEXT
);
CREATE INDEX reenable_signoffs_incident ON reenable_signoffs (incident);
";

pub(crate) const ANSWERS: Table = Table {
    entity: Entity::ReenableAnswer,
    name: "reenable_answers",
    fields: &["incident", "question", "answer", "note"],
};

pub(crate) const SIGNOFFS: Table = Table {
    entity: Entity::ReenableSignoff,
    name: "reenable_signoffs",
    fields: &["incident", "stage", "approver", "statement", "state_hash", "signed_at", "first_run_at"],
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ReenableAnswer.ts")]
pub struct ReenableAnswer {
    pub id: String,
    pub incident: String,
    pub question: ReenableQuestion,
    pub answer: ReenableAnswerValue,
    #[serde(default)]
    pub note: String,
}

/// A named approver's sign-off of one stage (or of retiring the workflow).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "ReenableSignoff.ts")]
pub struct ReenableSignoff {
    pub id: String,
    pub incident: String,
    pub stage: ReenableStage,
    pub approver: String,
    pub statement: String,
    /// SHA-256 over the incident's record and phase data at the moment of signing.
    pub state_hash: String,
    pub signed_at: DateTime<Utc>,
    /// When the first run at this stage was watched by a human.
    pub first_run_at: Option<DateTime<Utc>>,
}

/// One of the eleven questions with its answer, if any.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "ReenableQuestionState.ts")]
pub struct QuestionState {
    pub question: ReenableQuestion,
    pub label: String,
    pub answer: Option<ReenableAnswerValue>,
    pub note: String,
}

/// The stages that re-enable the workflow, in the order they must be signed.
pub const STAGES: &[ReenableStage] = &[
    ReenableStage::ReadOnly,
    ReenableStage::DraftOnly,
    ReenableStage::HumanApprovedWriteback,
    ReenableStage::LimitedProduction,
    ReenableStage::Normal,
];

const MAX_NOTE: usize = 2_000;
const MAX_STATEMENT: usize = 5_000;
/// Clocks of different machines disagree a little.
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// Answers one question; see [`answer_all`].
pub fn answer(
    store: &Store,
    actor: &Actor,
    key: &str,
    question: ReenableQuestion,
    value: ReenableAnswerValue,
    note: &str,
) -> Result<ReenableAnswer> {
    let mut saved = answer_all(store, actor, key, &[(question, value)], note)?;
    saved.pop().ok_or_else(|| Error::storage("An answer was not saved."))
}

/// Answers several questions at once with one note: all are written or, if one is refused, none. An exception
/// needs a note naming the owner who approved it.
pub fn answer_all(
    store: &Store,
    actor: &Actor,
    key: &str,
    answers: &[(ReenableQuestion, ReenableAnswerValue)],
    note: &str,
) -> Result<Vec<ReenableAnswer>> {
    let note = crate::text::limited("note", note, MAX_NOTE)?;
    for (i, (question, _)) in answers.iter().enumerate() {
        if answers[..i].iter().any(|(q, _)| q == question) {
            return Err(Error::invalid(
                "question",
                format!("{} is answered twice; give each question once.", question.key()),
            ));
        }
    }
    if let Some((question, _)) = answers.iter().find(|(_, v)| *v == ReenableAnswerValue::Exception) {
        if note.is_empty() {
            return Err(Error::invalid(
                "note",
                format!(
                    "\"{}\" answered as an exception needs a note naming the owner who approved the exception and why.",
                    question.label()
                ),
            ));
        }
    }
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let existing = stored_answers(tx, &incident)?;
        let mut saved = Vec::with_capacity(answers.len());
        for &(question, value) in answers {
            let before = existing.iter().find(|a| a.question == question);
            let after = ReenableAnswer {
                id: before.map_or_else(record::new_id, |b| b.id.clone()),
                incident: incident.uuid.clone(),
                question,
                answer: value,
                note: note.clone(),
            };
            match before {
                Some(before) => ANSWERS.update(tx, before, &after, None).map(|_| ())?,
                None => ANSWERS.insert(tx, &after).map(|_| ())?,
            }
            saved.push(after);
        }
        Ok(saved)
    })
}

/// All eleven questions, in order, with their answers.
pub fn answers(store: &Store, key: &str) -> Result<Vec<QuestionState>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    question_states(&conn, &incident)
}

pub fn signoffs(store: &Store, key: &str) -> Result<Vec<ReenableSignoff>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    stored_signoffs(&conn, &incident)
}

/// The stage to sign next, or `None` once the workflow runs normally again or was retired.
pub fn next_stage(signoffs: &[ReenableSignoff]) -> Option<ReenableStage> {
    if signoffs.iter().any(|s| s.stage == ReenableStage::Retired) {
        return None;
    }
    STAGES.iter().copied().find(|stage| !signoffs.iter().any(|s| s.stage == *stage))
}

/// A named approver signs one stage (in order), or the decision to retire the workflow. A stage is refused while
/// any question is answered "no" or not answered; each sign-off records the hash of the incident's state.
pub fn signoff(
    store: &Store,
    actor: &Actor,
    key: &str,
    stage: ReenableStage,
    approver: &str,
    statement: &str,
) -> Result<ReenableSignoff> {
    let statement = crate::text::limited("statement", statement, MAX_STATEMENT)?;
    if statement.is_empty() {
        return Err(Error::invalid(
            "statement",
            "Write the approver's statement: what they approve, at what scope, and on what grounds.",
        ));
    }
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let signed = stored_signoffs(tx, &incident)?;
        if let Some(retired) = signed.iter().find(|s| s.stage == ReenableStage::Retired) {
            return Err(Error::Conflict {
                message: format!(
                    "The workflow was retired ({} signed on {}); there is nothing more to sign.",
                    retired.approver,
                    audit::format_instant(retired.signed_at)
                ),
            });
        }
        if stage != ReenableStage::Retired {
            let next = next_stage(&signed);
            if let Some(done) = signed.iter().find(|s| s.stage == stage) {
                let then = match next {
                    Some(next) => format!("The next stage to sign is {}.", next.label().to_lowercase()),
                    None => "All stages are signed: the workflow runs normally.".to_string(),
                };
                return Err(Error::Conflict {
                    message: format!(
                        "Stage {} was already signed by {} on {}. {then}",
                        stage.label().to_lowercase(),
                        done.approver,
                        audit::format_instant(done.signed_at)
                    ),
                });
            }
            if let Some(next) = next.filter(|n| *n != stage) {
                return Err(Error::GateBlocked {
                    message: format!(
                        "Stages are signed in order (read-only, draft-only, human-approved writeback, limited \
                         production, normal): the next stage to sign is {}, not {}.",
                        next.label().to_lowercase(),
                        stage.label().to_lowercase()
                    ),
                    missing: vec![format!("Sign-off of stage {}", next.label().to_lowercase())],
                });
            }
            let open = open_questions(&question_states(tx, &incident)?);
            if !open.is_empty() {
                return Err(Error::GateBlocked {
                    message: format!(
                        "Sign-off of stage {} refused: every re-enable question must be answered yes (or an \
                         owner-approved exception) first; {} still open.",
                        stage.label().to_lowercase(),
                        if open.len() == 1 { "1 is".to_string() } else { format!("{} are", open.len()) }
                    ),
                    missing: open,
                });
            }
        }
        let approver = people::approver_in_directory(tx, "approver", approver)?;
        let row = ReenableSignoff {
            id: record::new_id(),
            incident: incident.uuid.clone(),
            stage,
            approver,
            statement,
            state_hash: state_hash(tx, &incident)?,
            signed_at: tx.at(),
            first_run_at: None,
        };
        SIGNOFFS.insert(tx, &row)?;
        Ok(row)
    })
}

/// Records when the first run at a signed stage was watched by a person (once per sign-off).
pub fn record_first_run(
    store: &Store,
    actor: &Actor,
    key: &str,
    signoff_id: &str,
    at: DateTime<Utc>,
) -> Result<ReenableSignoff> {
    let at = at.trunc_subsecs(6);
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let before = SIGNOFFS
            .get::<ReenableSignoff>(tx, signoff_id)?
            .filter(|s| s.incident == incident.uuid)
            .ok_or_else(|| {
                Error::not_found(format!(
                    "No sign-off {signoff_id} on {}; `firebreak reenable show {}` lists them.",
                    incident.id, incident.id
                ))
            })?;
        let stage = before.stage.label().to_lowercase();
        if before.stage == ReenableStage::Retired {
            return Err(Error::invalid("signoff", "A retired workflow has no first run to record."));
        }
        if let Some(first) = before.first_run_at {
            return Err(Error::Conflict {
                message: format!(
                    "The first run at stage {stage} is already recorded ({}).",
                    audit::format_instant(first)
                ),
            });
        }
        if at > tx.at() + CLOCK_SKEW {
            return Err(Error::invalid(
                "at",
                format!("{} is in the future. Record the first run once it has happened.", audit::format_instant(at)),
            ));
        }
        if at < before.signed_at {
            return Err(Error::invalid(
                "at",
                format!(
                    "{} is before stage {stage} was signed ({}); the first run at a stage comes after its sign-off.",
                    audit::format_instant(at),
                    audit::format_instant(before.signed_at)
                ),
            ));
        }
        let after = ReenableSignoff { first_run_at: Some(at), ..before.clone() };
        SIGNOFFS.update(tx, &before, &after, None)?;
        Ok(after)
    })
}

/// Everything the re-enable screen shows at once.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "ReenableView.ts")]
pub struct ReenableView {
    pub questions: Vec<QuestionState>,
    pub signoffs: Vec<ReenableSignoff>,
    /// The stage to sign next; absent once stage "normal" is signed or the workflow was retired.
    pub next_stage: Option<ReenableStage>,
    /// The questions that block a sign-off (answered no or not answered), in plain words.
    pub open: Vec<String>,
    /// The five stages in order, with their labels.
    pub stages: Vec<Choice>,
    pub answer_values: Vec<Choice>,
}

/// The re-enable screen's data in one read.
pub fn view(store: &Store, key: &str) -> Result<ReenableView> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let questions = question_states(&conn, &incident)?;
    let signoffs = stored_signoffs(&conn, &incident)?;
    Ok(ReenableView {
        open: open_questions(&questions),
        next_stage: next_stage(&signoffs),
        questions,
        signoffs,
        stages: STAGES.iter().map(|s| Choice { key: s.key().into(), label: s.label().into() }).collect(),
        answer_values: ReenableAnswerValue::options(),
    })
}

/// Complete when stage "normal" is signed or the workflow was retired.
pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let signed = stored_signoffs(conn, incident)?;
    let mut missing = Vec::new();
    if let Some(next) = next_stage(&signed) {
        missing = open_questions(&question_states(conn, incident)?);
        missing.push(format!("Sign off stage {} (by a named approver)", next.label().to_lowercase()));
    }
    Ok(PhaseProgress {
        phase: Phase::Reenable,
        label: Phase::Reenable.label().into(),
        complete: missing.is_empty(),
        next: missing.first().cloned(),
        missing,
    })
}

fn open_questions(states: &[QuestionState]) -> Vec<String> {
    states
        .iter()
        .filter_map(|s| match s.answer {
            None => Some(format!("{} (not answered)", s.label)),
            Some(ReenableAnswerValue::No) => Some(format!("{} (answered no)", s.label)),
            Some(_) => None,
        })
        .collect()
}

fn question_states(conn: &Connection, incident: &Incident) -> Result<Vec<QuestionState>> {
    let stored = stored_answers(conn, incident)?;
    Ok(ReenableQuestion::ALL
        .iter()
        .map(|&question| {
            let answer = stored.iter().find(|a| a.question == question);
            QuestionState {
                question,
                label: question.label().to_string(),
                answer: answer.map(|a| a.answer),
                note: answer.map(|a| a.note.clone()).unwrap_or_default(),
            }
        })
        .collect())
}

fn stored_answers(conn: &Connection, incident: &Incident) -> Result<Vec<ReenableAnswer>> {
    let key = incident.row_key();
    ANSWERS.select(conn, "incident = ?1", &[&key])
}

fn stored_signoffs(conn: &Connection, incident: &Incident) -> Result<Vec<ReenableSignoff>> {
    let key = incident.row_key();
    SIGNOFFS.select(conn, "incident = ?1", &[&key])
}

pub const PHASE: Declaration = Declaration {
    phase: Phase::Reenable,
    tables: &[&ANSWERS, &SIGNOFFS],
    schema: &[(2, SCHEMA_V2)],
    progress,
    gates: &[Status::Closed],
    timeline,
};

fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    for s in tl::rows::<ReenableSignoff>(conn, &SIGNOFFS, incident)? {
        let src = tl::source(Entity::ReenableSignoff, &s.id);
        let text = if s.stage == ReenableStage::Retired {
            format!("Decision to retire the workflow signed by {}: {}", s.approver, s.statement)
        } else {
            format!("Re-enable stage {} signed off by {}: {}", s.stage.label().to_lowercase(), s.approver, s.statement)
        };
        out.push(s.signed_at, TimelineKind::Signoff, text, src.clone());
        if let Some(at) = s.first_run_at {
            let text = format!("First run at stage {} watched by a person", s.stage.label().to_lowercase());
            out.push(at, TimelineKind::FirstRun, text, src);
        }
    }
    Ok(())
}
