//! Containment playbooks: per incident type a list of steps, kept as editable files under templates/playbooks/
//! (a user's copy in the data folder overrides the built-in one); each step is ticked with who, when and a note.

mod library;

pub use library::{built_in, load, override_dir, Playbook, PlaybookStep};

use super::{Declaration, Phase, PhaseProgress};
use crate::audit::{Actor, Entity};
use crate::error::{Error, Result};
use crate::incident::{self, Incident};
use crate::phases::postmortem::timeline::{self as tl, Timeline};
use crate::phases::postmortem::TimelineKind;
use crate::record::{self, Table};
use crate::store::Store;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

pub(crate) const SCHEMA_V2: &str = "
CREATE TABLE playbook_steps (
    uuid TEXT PRIMARY KEY,
    incident TEXT NOT NULL,
    playbook TEXT,
    step TEXT,
    done TEXT,
    done_by TEXT,
    done_at TEXT,
    note TEXT
);
CREATE INDEX playbook_steps_incident ON playbook_steps (incident);
";

pub(crate) const TABLE: Table = Table {
    entity: Entity::PlaybookStep,
    name: "playbook_steps",
    fields: &["incident", "playbook", "step", "done", "done_by", "done_at", "note"],
};

/// The state of one playbook step on one incident (absent until first ticked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "PlaybookStepState.ts")]
pub struct PlaybookStepState {
    pub id: String,
    pub incident: String,
    /// The playbook's id (its file name without extension).
    pub playbook: String,
    /// The step's key within the playbook.
    pub step: String,
    pub done: bool,
    pub done_by: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub note: String,
}

/// A playbook offered for an incident, with each step's state on it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "PlaybookView.ts")]
pub struct PlaybookView {
    pub playbook: Playbook,
    pub steps: Vec<PlaybookStepView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export_to = "PlaybookStepView.ts")]
pub struct PlaybookStepView {
    pub step: PlaybookStep,
    /// `None` until the step is first ticked.
    pub state: Option<PlaybookStepState>,
}

/// The playbooks for the incident's types (in the order of its types, each once), with the steps' states.
pub fn playbooks_for(store: &Store, key: &str) -> Result<Vec<PlaybookView>> {
    let conn = store.connect()?;
    let incident = incident::find(&conn, key)?;
    views(&conn, &incident, load(override_dir(store).as_deref())?)
}

/// Ticks (or, with `done` false, unticks) a step. Ticking records who and when; unticking clears them. `note`
/// replaces the step's note when given.
pub fn tick(
    store: &Store,
    actor: &Actor,
    key: &str,
    playbook: &str,
    step: &str,
    done: bool,
    note: Option<&str>,
) -> Result<PlaybookStepState> {
    let playbooks = load(override_dir(store).as_deref())?;
    let (playbook, step) = (playbook.trim(), step.trim());
    let Some(found) = playbooks.iter().find(|p| p.id == playbook) else {
        let ids: Vec<&str> = playbooks.iter().map(|p| p.id.as_str()).collect();
        return Err(Error::invalid(
            "playbook",
            format!("There is no playbook \"{playbook}\". Playbooks: {}.", ids.join(", ")),
        ));
    };
    if !found.steps.iter().any(|s| s.key == step) {
        let keys: Vec<&str> = found.steps.iter().map(|s| s.key.as_str()).collect();
        return Err(Error::invalid(
            "step",
            format!("The playbook {playbook} has no step \"{step}\". Its steps: {}.", keys.join(", ")),
        ));
    }
    store.write(actor, |tx| {
        let incident = incident::find(tx, key)?;
        let existing = states(tx, &incident)?.into_iter().find(|s| s.playbook == playbook && s.step == step);
        let base = existing.clone().unwrap_or_else(|| PlaybookStepState {
            id: record::new_id(),
            incident: incident.uuid.clone(),
            playbook: playbook.to_string(),
            step: step.to_string(),
            done: false,
            done_by: None,
            done_at: None,
            note: String::new(),
        });
        let (done_by, done_at) = match (done, base.done) {
            // Ticking a ticked step again keeps who ticked it first and when.
            (true, true) => (base.done_by.clone(), base.done_at),
            (true, false) => (Some(tx.actor().name.clone()), Some(tx.at())),
            (false, _) => (None, None),
        };
        let note = note.map(|n| n.trim().to_string()).unwrap_or_else(|| base.note.clone());
        let after = PlaybookStepState { done, done_by, done_at, note, ..base.clone() };
        match existing {
            Some(before) => {
                TABLE.update(tx, &before, &after, None)?;
            }
            None => {
                TABLE.insert(tx, &after)?;
            }
        }
        Ok(after)
    })
}

/// Complete when every step of every playbook offered for the incident is ticked (or none is offered).
pub fn progress(conn: &Connection, incident: &Incident) -> Result<PhaseProgress> {
    let progress = |complete: bool, missing: Vec<String>, next: Option<String>| PhaseProgress {
        phase: Phase::Playbooks,
        label: Phase::Playbooks.label().into(),
        complete,
        missing,
        next,
    };
    // A broken user copy must not hide the rest of the guidance: it becomes the missing item.
    let playbooks = match load(db_override_dir(conn).as_deref()) {
        Ok(playbooks) => playbooks,
        Err(e) => return Ok(progress(false, vec![e.to_string()], Some("Fix the playbook file".into()))),
    };
    let mut missing = Vec::new();
    let mut next = None;
    for view in views(conn, incident, playbooks)? {
        let open: Vec<&PlaybookStepView> =
            view.steps.iter().filter(|s| !s.state.as_ref().is_some_and(|st| st.done)).collect();
        if let Some(first) = open.first() {
            missing.push(format!(
                "{} playbook: {} of {} steps not done",
                view.playbook.title,
                open.len(),
                view.steps.len()
            ));
            next.get_or_insert_with(|| format!("{}: {}", view.playbook.title, first.step.text));
        }
    }
    Ok(progress(missing.is_empty(), missing, next))
}

fn views(conn: &Connection, incident: &Incident, playbooks: Vec<Playbook>) -> Result<Vec<PlaybookView>> {
    let states = states(conn, incident)?;
    let mut offered: Vec<Playbook> = Vec::new();
    for tag in &incident.fields.incident_types {
        for p in playbooks.iter().filter(|p| p.applies_to.contains(&tag.kind)) {
            if !offered.iter().any(|o| o.id == p.id) {
                offered.push(p.clone());
            }
        }
    }
    Ok(offered
        .into_iter()
        .map(|playbook| {
            let steps = playbook
                .steps
                .iter()
                .map(|step| PlaybookStepView {
                    step: step.clone(),
                    state: states.iter().find(|s| s.playbook == playbook.id && s.step == step.key).cloned(),
                })
                .collect();
            PlaybookView { playbook, steps }
        })
        .collect())
}

fn states(conn: &Connection, incident: &Incident) -> Result<Vec<PlaybookStepState>> {
    TABLE.select(conn, "incident = ?1", &[&incident.row_key()])
}

/// The override folder of the database a connection is open on (progress only gets a connection).
fn db_override_dir(conn: &Connection) -> Option<PathBuf> {
    let path = conn.path().filter(|p| !p.is_empty())?;
    Path::new(path).parent().map(|dir| dir.join("playbooks"))
}

pub const PHASE: Declaration = Declaration {
    phase: Phase::Playbooks,
    tables: &[&TABLE],
    schema: &[(2, SCHEMA_V2)],
    progress,
    gates: &[],
    timeline,
};

/// A playbook step done is a containment event.
fn timeline(conn: &Connection, incident: &Incident, out: &mut Timeline) -> Result<()> {
    for s in tl::rows::<PlaybookStepState>(conn, &TABLE, incident)? {
        if let (true, Some(at)) = (s.done, s.done_at) {
            let who = tl::by(s.done_by.as_deref().unwrap_or_default());
            let text = format!("Playbook step done: {} / {}{who}", s.playbook, s.step);
            out.push(at, TimelineKind::Containment, text, tl::source(Entity::PlaybookStep, &s.id));
        }
    }
    Ok(())
}
