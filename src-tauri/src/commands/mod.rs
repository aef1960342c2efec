//! Tauri commands: each one names the core operation it calls and nothing more. The record-level commands live
//! here; each response phase has its own submodule.

pub mod affected;
pub mod communication;
pub mod containment;
pub mod evidence;
pub mod guidance;
pub mod notification;
pub mod pause;
pub mod playbook;
pub mod postmortem;
pub mod reenable;
pub mod report;
pub mod severity;

use crate::state::{blocking, AppState};
use firebreak_core::audit::AuditEntry;
use firebreak_core::incident::{self, FieldChange, Incident, IncidentFields};
use firebreak_core::people::{self, Person, PersonDetails};
use firebreak_core::profile::{self, Profile};
use firebreak_core::startup::Startup;
use firebreak_core::verify::{VerifyProgress, VerifyReport};
use firebreak_core::vocabulary::Vocabulary;
use firebreak_core::{Actor, ApiError, Error, Store};
use tauri::State;

pub(crate) type Reply<T> = Result<T, ApiError>;

/// Changes are signed with the desktop user's profile; without one there is nobody to sign.
pub(crate) fn actor(store: &Store) -> Result<Actor, Error> {
    profile::get(store)?.map(|p| p.actor()).ok_or_else(|| {
        Error::invalid_input(
            "Tell Firebreak who you are first (name, role and time zone): every change is signed with them.",
        )
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn startup(state: State<'_, AppState>) -> Reply<Startup> {
    blocking(state.store(), firebreak_core::startup::startup).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_profile(state: State<'_, AppState>, profile: Profile) -> Reply<Profile> {
    blocking(state.store(), move |s| profile::save(s, profile)).await
}

#[tauri::command(rename_all = "snake_case")]
pub fn time_zones() -> Vec<String> {
    profile::zones()
}

#[tauri::command(rename_all = "snake_case")]
pub fn vocabulary() -> Vocabulary {
    firebreak_core::vocabulary::vocabulary()
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_people(state: State<'_, AppState>) -> Reply<Vec<Person>> {
    blocking(state.store(), people::list).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_person(state: State<'_, AppState>, details: PersonDetails) -> Reply<Person> {
    blocking(state.store(), move |s| people::add(s, &actor(s)?, details)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_person(state: State<'_, AppState>, id: String, details: PersonDetails) -> Reply<Person> {
    blocking(state.store(), move |s| people::update(s, &actor(s)?, &id, details)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_incidents(state: State<'_, AppState>) -> Reply<Vec<Incident>> {
    blocking(state.store(), |s| incident::list(s, &Default::default())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_incident(state: State<'_, AppState>, id: String) -> Reply<Incident> {
    blocking(state.store(), move |s| incident::get(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_incident(
    state: State<'_, AppState>,
    fields: IncidentFields,
    confirm_early_awareness: bool,
) -> Reply<Incident> {
    blocking(state.store(), move |s| incident::create(s, &actor(s)?, fields, confirm_early_awareness)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_incident(
    state: State<'_, AppState>,
    id: String,
    changes: Vec<FieldChange>,
    confirm_early_awareness: bool,
) -> Reply<Incident> {
    blocking(state.store(), move |s| incident::update(s, &actor(s)?, &id, &changes, confirm_early_awareness)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn incident_history(state: State<'_, AppState>, id: String) -> Reply<Vec<AuditEntry>> {
    blocking(state.store(), move |s| incident::history(s, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
/// Verifies the whole trail, telling `progress` how far it has come (a long trail takes seconds).
pub async fn verify_integrity(
    state: State<'_, AppState>,
    progress: tauri::ipc::Channel<VerifyProgress>,
) -> Reply<VerifyReport> {
    blocking(state.store(), move |s| {
        // A closed window cannot take progress any more; the check still finishes.
        firebreak_core::verify::verify_against(s, &[], &mut |p| drop(progress.send(p)))
    })
    .await
}
