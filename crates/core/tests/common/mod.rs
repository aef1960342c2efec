#![allow(dead_code)]

pub mod fuzz;
pub mod rich;
pub mod trace_fuzz;

use firebreak_core::incident::{self, Incident, IncidentFields};
use firebreak_core::{Actor, Store};
use tempfile::TempDir;

pub struct Db {
    pub dir: TempDir,
    pub store: Store,
}

/// The seal key of this test process: a file of its own, never the user's (`~/.config/firebreak/seal.key`).
fn isolate_seal_key() {
    static KEY: std::sync::OnceLock<TempDir> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::env::set_var("FIREBREAK_SEAL_KEY", dir.path().join("seal.key"));
        dir
    });
}

pub fn db() -> Db {
    isolate_seal_key();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(dir.path().join("firebreak.db")).unwrap();
    Db { dir, store }
}

impl Db {
    /// A file outside the database's folder, as the user's own file to attach or import.
    pub fn outside_file(&self, name: &str, content: &[u8]) -> std::path::PathBuf {
        let dir = self.dir.path().join("outside");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        path
    }
}

pub fn dana() -> Actor {
    Actor::new("Dana Reyes", Some("Incident commander".into()))
}

pub fn fields(title: &str) -> IncidentFields {
    IncidentFields { title: title.into(), ..Default::default() }
}

pub fn open_incident(db: &Db, title: &str) -> Incident {
    incident::create(&db.store, &dana(), fields(title), false).unwrap()
}

/// A second, plain connection to the same file: "another program" editing the database behind Firebreak's back.
pub fn outsider(db: &Db) -> rusqlite::Connection {
    rusqlite::Connection::open(db.store.path()).unwrap()
}
