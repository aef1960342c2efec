//! Guidance and status gates of the incident page.

use super::actor;
use super::declare::commands;
use firebreak_core::incident::Incident;
use firebreak_core::phases::guidance::{self, Guidance};
use firebreak_core::vocabulary::Status;

commands! {
    store guidance(id: String) -> Guidance => move |s| guidance::guidance(s, &id);
    store set_status(id: String, status: Status, override_reason: Option<String>) -> Incident =>
        move |s| guidance::set_status(s, &actor(s)?, &id, status, override_reason.as_deref());
}
