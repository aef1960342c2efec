//! Pause: pause actions, lifting them, first pauses suggested from the incident's types.

use super::actor;
use super::declare::commands;
use chrono::{DateTime, Utc};
use firebreak_core::incident;
use firebreak_core::phases::pause::{self, PauseAction, PauseScope, PauseSuggestion};
use firebreak_core::vocabulary::Choice;

commands! {
    pure pause_scopes() -> Vec<Choice> => PauseScope::options();
    store list_pauses(id: String) -> Vec<PauseAction> => move |s| pause::list(s, &id);
    store pause_suggestions(id: String) -> Vec<PauseSuggestion> =>
        move |s| Ok(pause::suggestions(&incident::get(s, &id)?));
    /// Whether the latest assessment says the agent is still running and no pause is in force.
    store pause_warning(id: String) -> bool =>
        move |s| pause::needs_pause_warning(&s.connect()?, &incident::get(s, &id)?);
    store add_pause(
        id: String,
        scope: PauseScope,
        target: String,
        approved_by: String,
        paused_at: Option<DateTime<Utc>>,
    ) -> PauseAction =>
        move |s| pause::pause(s, &actor(s)?, &id, scope, &target, &approved_by, paused_at);
    store lift_pause(
        id: String,
        pause_id: String,
        lifted_by: String,
        lifted_at: Option<DateTime<Utc>>,
    ) -> PauseAction =>
        move |s| pause::lift(s, &actor(s)?, &id, &pause_id, &lifted_by, lifted_at);
}
