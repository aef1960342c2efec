//! Regulatory notification: applicability, decisions, triggers, clocks, and notifications to authorities.

use super::{actor, Reply};
use crate::state::{blocking, AppState};
use chrono::{DateTime, Utc};
use firebreak_core::phases::notification::{
    self, ApplicabilityAnswers, BreachEntry, DecisionInput, DueOverride, IncidentClocks, Notification,
    NotificationChanges, NotificationChoices, NotificationEdit, OpenClock, RegimeDecision, RegimeTrigger, SubmitInput,
};
use std::path::PathBuf;
use tauri::State;

#[tauri::command(rename_all = "snake_case")]
pub async fn notify_choices(state: State<'_, AppState>) -> Reply<NotificationChoices> {
    blocking(state.store(), |s| Ok(notification::choices(&notification::catalog(s)?))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn notify_clocks(state: State<'_, AppState>, id: String) -> Reply<IncidentClocks> {
    blocking(state.store(), move |s| notification::clocks(s, &id, Utc::now())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn open_clocks(state: State<'_, AppState>) -> Reply<Vec<OpenClock>> {
    blocking(state.store(), |s| notification::open_clocks(s, Utc::now())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn notify_answer(
    state: State<'_, AppState>,
    id: String,
    question: String,
    value: String,
) -> Reply<ApplicabilityAnswers> {
    blocking(state.store(), move |s| notification::answer(s, &actor(s)?, &id, &question, &value)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn notify_decide(
    state: State<'_, AppState>,
    id: String,
    regime: String,
    input: DecisionInput,
) -> Reply<RegimeDecision> {
    blocking(state.store(), move |s| notification::decide(s, &actor(s)?, &id, &regime, input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn notify_zone(
    state: State<'_, AppState>,
    id: String,
    regime: String,
    zone: String,
    calendar: String,
) -> Reply<RegimeDecision> {
    blocking(state.store(), move |s| notification::set_zone(s, &actor(s)?, &id, &regime, &zone, &calendar)).await
}

#[tauri::command(rename_all = "snake_case")]
#[allow(clippy::too_many_arguments)]
pub async fn notify_trigger(
    state: State<'_, AppState>,
    id: String,
    regime: String,
    kind: String,
    at: DateTime<Utc>,
    decided_by: String,
    note: String,
) -> Reply<RegimeTrigger> {
    blocking(state.store(), move |s| {
        notification::set_trigger(s, &actor(s)?, &id, &regime, &kind, at, &decided_by, &note)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
#[allow(clippy::too_many_arguments)]
pub async fn notify_override(
    state: State<'_, AppState>,
    id: String,
    regime: String,
    stage: String,
    due: Option<DateTime<Utc>>,
    reason: String,
    decided_by: String,
) -> Reply<DueOverride> {
    blocking(state.store(), move |s| {
        notification::override_due(s, &actor(s)?, &id, &regime, &stage, due, &reason, &decided_by)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn notify_start(
    state: State<'_, AppState>,
    id: String,
    regime: String,
    stage: String,
) -> Reply<Notification> {
    blocking(state.store(), move |s| notification::start(s, &actor(s)?, &id, &regime, &stage)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn notify_edit(
    state: State<'_, AppState>,
    notification: String,
    changes: NotificationChanges,
) -> Reply<NotificationEdit> {
    blocking(state.store(), move |s| notification::edit(s, &actor(s)?, &notification, changes)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn notify_approve(state: State<'_, AppState>, notification: String, approver: String) -> Reply<Notification> {
    blocking(state.store(), move |s| notification::approve(s, &actor(s)?, &notification, &approver)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn notify_submit(
    state: State<'_, AppState>,
    notification: String,
    input: SubmitInput,
) -> Reply<Notification> {
    blocking(state.store(), move |s| notification::submit(s, &actor(s)?, &notification, input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn breach_register(state: State<'_, AppState>) -> Reply<Vec<BreachEntry>> {
    blocking(state.store(), notification::breach_register).await
}

/// Writes the breach register as CSV to `dest` (chosen in the save dialog); returns the path written.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_breach_register(state: State<'_, AppState>, dest: PathBuf) -> Reply<String> {
    blocking(state.store(), move |s| {
        let file = s.out_file(&dest)?;
        let csv = notification::breach_register_csv(&notification::breach_register(s)?);
        let path = file.finish(&csv)?;
        firebreak_core::seal::seal_export(s)?;
        Ok(path.display().to_string())
    })
    .await
}

/// Writes every open deadline of every incident as an iCalendar file to `dest`; returns the path written.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_calendar(state: State<'_, AppState>, dest: PathBuf) -> Reply<String> {
    blocking(state.store(), move |s| {
        let file = s.out_file(&dest)?;
        let ics = notification::all_deadlines_ics(s, Utc::now())?;
        let path = file.finish(&ics)?;
        firebreak_core::seal::seal_export(s)?;
        Ok(path.display().to_string())
    })
    .await
}
