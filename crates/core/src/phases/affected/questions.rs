//! The side-effect audit questions, answered as a checklist (one row per incident and question, created on the
//! first answer and updated after), and the side-effect audit phase's completeness.

use super::{AuditAnswer, AuditQuestion, QUESTIONS};
use crate::audit::Actor;
use crate::error::Result;
use crate::incident::{self, Incident};
use crate::phases::{Phase, PhaseProgress};
use crate::record;
use crate::store::Store;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One question of the checklist with its answer (empty while unanswered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "QuestionAnswer.ts")]
pub struct QuestionAnswer {
    pub question: AuditQuestion,
    pub answer: String,
}

/// Answers a question, or changes its answer; empty text clears it.
pub fn answer(store: &Store, actor: &Actor, key: &str, question: AuditQuestion, text: &str) -> Result<AuditAnswer> {
    let text = text.trim().to_string();
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let mut existing: Vec<AuditAnswer> = QUESTIONS.select(
            tx,
            "incident = ?1 AND question = ?2",
            &[&incident.row_key(), &serde_json::to_string(question.key())?],
        )?;
        match existing.pop() {
            Some(before) => {
                let after = AuditAnswer { answer: text, ..before.clone() };
                QUESTIONS.update(tx, &before, &after, None)?;
                Ok(after)
            }
            None => {
                let row = AuditAnswer { id: record::new_id(), incident: incident.uuid.clone(), question, answer: text };
                QUESTIONS.insert(tx, &row)?;
                Ok(row)
            }
        }
    })
}

/// All eleven questions in checklist order, each with its answer or empty.
pub fn answers(store: &Store, key: &str) -> Result<Vec<QuestionAnswer>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    let answered = answered(&conn, &incident)?;
    Ok(AuditQuestion::ALL
        .iter()
        .map(|&question| QuestionAnswer {
            question,
            answer: answered.iter().find(|(q, _)| *q == question).map(|(_, a)| a.clone()).unwrap_or_default(),
        })
        .collect())
}

/// The questions that have a non-empty answer.
pub(super) fn answered(conn: &Connection, incident: &Incident) -> Result<Vec<(AuditQuestion, String)>> {
    let rows: Vec<AuditAnswer> = QUESTIONS.select(conn, "incident = ?1", &[&incident.row_key()])?;
    Ok(rows.into_iter().filter(|r| !r.answer.trim().is_empty()).map(|r| (r.question, r.answer)).collect())
}

/// Whether an answer states that nothing happened ("none", "nothing", "no writes", …).
pub(super) fn says_nothing(text: &str) -> bool {
    let text = text.trim().to_lowercase();
    text == "no" || ["none", "nothing", "no "].iter().any(|p| text.starts_with(p))
}

/// Complete when the eleven audit questions are answered and either at least one affected object is recorded or
/// the answers to "What did it write?" and "What did it send?" both say nothing (start with "none", "nothing" or
/// "no"): an empty table alone cannot tell "nothing was affected" from "nobody looked yet".
pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let answered = answered(conn, incident)?;
    let mut missing: Vec<String> = AuditQuestion::ALL
        .iter()
        .filter(|q| !answered.iter().any(|(a, _)| a == *q))
        .map(|q| format!("Audit question not answered: {}", q.label()))
        .collect();
    let objects = super::query::total(conn, incident)?;
    let says_nothing = |q: AuditQuestion| answered.iter().any(|(a, text)| *a == q && says_nothing(text));
    let nothing_affected = says_nothing(AuditQuestion::Writes) && says_nothing(AuditQuestion::Sends);
    if objects == 0 && !nothing_affected {
        missing.insert(
            0,
            "No affected objects recorded: add what the agent read, changed, sent, created, deleted, approved or \
             triggered (or, if it touched nothing, answer \"What did it write?\" and \"What did it send?\" with \"none\")"
                .to_string(),
        );
    }
    let next = if objects == 0 && !nothing_affected {
        Some("Record the affected objects: add them by hand, paste them from a spreadsheet or import a CSV.".into())
    } else {
        AuditQuestion::ALL
            .iter()
            .find(|q| !answered.iter().any(|(a, _)| a == *q))
            .map(|q| format!("Answer the audit question \"{}\"", q.label()))
    };
    Ok(PhaseProgress {
        phase: Phase::SideEffectAudit,
        label: Phase::SideEffectAudit.label().into(),
        complete: missing.is_empty(),
        missing,
        next,
    })
}
