//! The postmortem: its fields, the timeline and the remediation items.

use super::actor;
use super::declare::commands;
use chrono::{DateTime, NaiveDate, Utc};
use firebreak_core::phases::postmortem::{
    self, ControlType, Postmortem, PostmortemView, RemediationItem, RemediationUpdate, TimelineEntry,
};

commands! {
    store postmortem_view(id: String) -> PostmortemView => move |s| postmortem::view(s, &id);
    store postmortem_save(id: String, postmortem: Postmortem) -> Postmortem =>
        move |s| postmortem::save(s, &actor(s)?, &id, postmortem);
    store timeline_add(id: String, at: DateTime<Utc>, text: String) -> TimelineEntry =>
        move |s| postmortem::add_timeline_entry(s, &actor(s)?, &id, at, &text);
    store remediation_add(
        id: String,
        control_type: ControlType,
        description: String,
        owner: String,
        due_date: Option<NaiveDate>,
    ) -> RemediationItem => move |s| {
        postmortem::add_remediation(s, &actor(s)?, &id, control_type, &description, &owner, due_date)
    };
    store remediation_update(id: String, item_id: String, update: RemediationUpdate) -> RemediationItem =>
        move |s| postmortem::update_remediation(s, &actor(s)?, &id, &item_id, update);
}
