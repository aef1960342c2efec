//! Re-enable: the eleven questions, the staged sign-offs, the first monitored run, retiring the workflow.

use super::actor;
use super::declare::commands;
use chrono::{DateTime, Utc};
use firebreak_core::phases::reenable::{
    self, ReenableAnswer, ReenableAnswerValue, ReenableQuestion, ReenableSignoff, ReenableStage, ReenableView,
};

commands! {
    store reenable_view(id: String) -> ReenableView => move |s| reenable::view(s, &id);
    store reenable_answer(
        id: String,
        question: ReenableQuestion,
        answer: ReenableAnswerValue,
        note: String,
    ) -> ReenableAnswer =>
        move |s| reenable::answer(s, &actor(s)?, &id, question, answer, &note);
    store reenable_signoff(id: String, stage: ReenableStage, approver: String, statement: String) -> ReenableSignoff =>
        move |s| reenable::signoff(s, &actor(s)?, &id, stage, &approver, &statement);
    store reenable_first_run(id: String, signoff_id: String, at: DateTime<Utc>) -> ReenableSignoff =>
        move |s| reenable::record_first_run(s, &actor(s)?, &id, &signoff_id, at);
}
