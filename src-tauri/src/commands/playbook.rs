//! Containment playbooks for the incident's types, and ticking their steps.

use super::actor;
use super::declare::commands;
use firebreak_core::phases::playbook::{self, PlaybookStepState, PlaybookView};

commands! {
    store list_playbooks(id: String) -> Vec<PlaybookView> => move |s| playbook::playbooks_for(s, &id);
    store tick_playbook_step(
        id: String,
        playbook: String,
        step: String,
        done: bool,
        note: Option<String>,
    ) -> PlaybookStepState =>
        move |s| playbook::tick(s, &actor(s)?, &id, &playbook, &step, done, note.as_deref());
}
