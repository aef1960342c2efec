//! Regulatory notification: applicability, decisions, triggers, clocks, and notifications to authorities.

use super::actor;
use super::declare::commands;
use chrono::{DateTime, Utc};
use firebreak_core::phases::notification::{
    self, ApplicabilityAnswers, BreachEntry, DecisionInput, DueOverride, IncidentClocks, Notification,
    NotificationChanges, NotificationChoices, NotificationEdit, OpenClock, RegimeDecision, RegimeTrigger, SubmitInput,
};
use std::path::PathBuf;

commands! {
    store notification_choices() -> NotificationChoices => |s| Ok(notification::choices(&notification::catalog(s)?));
    store notification_clocks(id: String) -> IncidentClocks => move |s| notification::clocks(s, &id, Utc::now());
    store open_clocks() -> Vec<OpenClock> => |s| notification::open_clocks(s, Utc::now());
    store notification_answer(id: String, question: String, value: String) -> ApplicabilityAnswers =>
        move |s| notification::answer(s, &actor(s)?, &id, &question, &value);
    store notification_decide(id: String, regime: String, input: DecisionInput) -> RegimeDecision =>
        move |s| notification::decide(s, &actor(s)?, &id, &regime, input);
    store notification_zone(id: String, regime: String, zone: String, calendar: String) -> RegimeDecision =>
        move |s| notification::set_zone(s, &actor(s)?, &id, &regime, &zone, &calendar);
    store notification_trigger(
        id: String,
        regime: String,
        kind: String,
        at: DateTime<Utc>,
        decided_by: String,
        note: String,
    ) -> RegimeTrigger => move |s| {
        notification::set_trigger(s, &actor(s)?, &id, &regime, &kind, at, &decided_by, &note)
    };
    store notification_override(
        id: String,
        regime: String,
        stage: String,
        due: Option<DateTime<Utc>>,
        reason: String,
        decided_by: String,
    ) -> DueOverride => move |s| {
        notification::override_due(s, &actor(s)?, &id, &regime, &stage, due, &reason, &decided_by)
    };
    store notification_start(id: String, regime: String, stage: String) -> Notification =>
        move |s| notification::start(s, &actor(s)?, &id, &regime, &stage);
    store notification_edit(notification: String, changes: NotificationChanges) -> NotificationEdit =>
        move |s| notification::edit(s, &actor(s)?, &notification, changes);
    store notification_approve(notification: String, approver: String) -> Notification =>
        move |s| notification::approve(s, &actor(s)?, &notification, &approver);
    store notification_submit(notification: String, input: SubmitInput) -> Notification =>
        move |s| notification::submit(s, &actor(s)?, &notification, input);
    store breach_register() -> Vec<BreachEntry> => notification::breach_register;
    /// Writes the breach register as CSV to `dest` (chosen in the save dialog); returns the path written.
    store export_breach_register(dest: PathBuf) -> String => move |s| {
        let file = s.out_file(&dest)?;
        let csv = notification::breach_register_csv(&notification::breach_register(s)?);
        let path = file.finish(&csv)?;
        firebreak_core::seal::seal_export(s)?;
        Ok(path.display().to_string())
    };
    /// Writes every open deadline of every incident as an iCalendar file to `dest`; returns the path written.
    store export_calendar(dest: PathBuf) -> String => move |s| {
        let file = s.out_file(&dest)?;
        let ics = notification::all_deadlines_ics(s, Utc::now())?;
        let path = file.finish(&ics)?;
        firebreak_core::seal::seal_export(s)?;
        Ok(path.display().to_string())
    };
}
