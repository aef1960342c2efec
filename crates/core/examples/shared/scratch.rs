//! A benchmark's own database in a temporary folder, with one incident to fill.

use firebreak_core::incident::{self, Incident, IncidentFields};
use firebreak_core::{Actor, Store};

pub struct Scratch {
    /// Kept for as long as the benchmark runs: the folder goes with it.
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub actor: Actor,
    pub incident: Incident,
}

pub fn scratch(title: &str) -> Result<Scratch, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Store::create(dir.path().join("bench.db"))?;
    let actor = Actor::new("Bench", None);
    let incident =
        incident::create(&store, &actor, IncidentFields { title: title.into(), ..Default::default() }, false)?;
    Ok(Scratch { dir, store, actor, incident })
}
