//! The communication matrix: who must be told, the message, its approval and its sending.

use super::actor;
use super::declare::commands;
use chrono::{DateTime, Utc};
use firebreak_core::phases::communication::{
    self, Audience, Communication, CommunicationEdit, CommunicationView, EditCommunication,
};

commands! {
    store communication_matrix(id: String) -> Vec<CommunicationView> => move |s| communication::matrix(s, &id);
    store communication_draft(id: String, audience: Audience) -> Communication =>
        move |s| communication::draft(s, &actor(s)?, &id, audience);
    store communication_edit(id: String, audience: Audience, changes: EditCommunication) -> CommunicationEdit =>
        move |s| communication::edit(s, &actor(s)?, &id, audience, changes);
    store communication_approve(id: String, audience: Audience, approver: String) -> Communication =>
        move |s| communication::approve(s, &actor(s)?, &id, audience, &approver);
    store communication_mark_sent(id: String, audience: Audience, sent_at: DateTime<Utc>, via: String) -> Communication =>
        move |s| communication::mark_sent(s, &actor(s)?, &id, audience, sent_at, &via);
}
