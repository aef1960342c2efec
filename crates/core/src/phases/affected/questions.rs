//! The side-effect audit questions, answered as a checklist: one row per incident and question, created on the
//! first answer and updated after.

use super::{incident_param, AuditAnswer, AuditQuestion, QUESTIONS};
use crate::audit::Actor;
use crate::error::Result;
use crate::incident::{self, Incident};
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
            &[&incident_param(&incident)?, &serde_json::to_string(question.key())?],
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
    let rows: Vec<AuditAnswer> = QUESTIONS.select(conn, "incident = ?1", &[&incident_param(incident)?])?;
    Ok(rows.into_iter().filter(|r| !r.answer.trim().is_empty()).map(|r| (r.question, r.answer)).collect())
}

/// Whether an answer states that nothing happened ("none", "nothing", "no writes", …).
pub(super) fn says_nothing(text: &str) -> bool {
    let text = text.trim().to_lowercase();
    text == "no" || ["none", "nothing", "no "].iter().any(|p| text.starts_with(p))
}
