//! Containment checklist.

use super::actor;
use super::declare::commands;
use firebreak_core::phases::containment::{self, ContainmentArea, ContainmentItem, ContainmentLine, ContainmentStatus};
use firebreak_core::vocabulary::Choice;

commands! {
    pure containment_statuses() -> Vec<Choice> => ContainmentStatus::options();
    store list_containment(id: String) -> Vec<ContainmentLine> => move |s| containment::list(s, &id);
    store set_containment(
        id: String,
        area: ContainmentArea,
        status: ContainmentStatus,
        note: Option<String>,
    ) -> ContainmentItem =>
        move |s| containment::set(s, &actor(s)?, &id, area, status, note.as_deref());
}
