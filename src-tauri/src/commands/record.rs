//! The record itself: start-up, the profile, the people directory, incidents and their history, and verifying the
//! whole trail.

use super::actor;
use super::declare::{commands, Progress};
use firebreak_core::audit::AuditEntry;
use firebreak_core::incident::{self, FieldChange, Incident, IncidentFields};
use firebreak_core::people::{self, Person, PersonDetails};
use firebreak_core::phases::guidance;
use firebreak_core::profile::{self, Profile};
use firebreak_core::startup::{Startup, Vocabulary};
use firebreak_core::verify::{VerifyProgress, VerifyReport};

commands! {
    store startup() -> Startup => firebreak_core::startup::startup;
    store save_profile(profile: Profile) -> Profile => move |s| profile::save(s, profile);
    pure time_zones() -> Vec<String> => profile::zones();
    pure vocabulary() -> Vocabulary => firebreak_core::startup::vocabulary();
    store list_people() -> Vec<Person> => people::list;
    store add_person(details: PersonDetails) -> Person => move |s| people::add(s, &actor(s)?, details);
    store update_person(id: String, details: PersonDetails) -> Person =>
        move |s| people::update(s, &actor(s)?, &id, details);
    store list_incidents() -> Vec<Incident> => |s| incident::list(s, &Default::default());
    store get_incident(id: String) -> Incident => move |s| incident::get(s, &id);
    store create_incident(fields: IncidentFields, confirm_early_awareness: bool) -> Incident =>
        move |s| incident::create(s, &actor(s)?, fields, confirm_early_awareness);
    store update_incident(id: String, changes: Vec<FieldChange>, confirm_early_awareness: bool) -> Incident =>
        move |s| guidance::update_incident(s, &actor(s)?, &id, &changes, confirm_early_awareness);
    store incident_history(id: String) -> Vec<AuditEntry> => move |s| incident::history(s, &id);
    /// Verifies the whole trail, telling `progress` how far it has come (a long trail takes seconds).
    store verify_integrity(progress: Progress<VerifyProgress>) -> VerifyReport =>
        move |s| firebreak_core::verify::verify_against(s, &[], &mut |p| progress.send(p));
}
