//! The database schema: every migration step in order, each table's SQL taken from the module that owns its rows.
//! The store's runner is given this list, so the store itself names no table above it; `Store::open` and
//! `Store::create` live here for the same reason.

use crate::error::Result;
use crate::store::Store;
use crate::{audit, incident, people, profile};
use std::path::Path;
use std::sync::LazyLock;

/// Version `n` is reached by applying `MIGRATIONS[n - 1]`. Append only: a released step never changes what it makes.
/// The phases' steps come from their declarations (`phases::PHASES`).
pub(crate) static MIGRATIONS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    vec![
        vec![audit::SCHEMA_V1, profile::SCHEMA_V1, people::SCHEMA_V1, incident::SCHEMA_V1],
        crate::phases::schema(2),
        crate::phases::schema(3),
        vec![crate::report::SCHEMA_V4],
        vec![crate::seal::SCHEMA_V5],
        vec![crate::investigation::SCHEMA_V6],
        vec![crate::search::SCHEMA_V7.as_str()],
        vec![crate::investigation::findings::SCHEMA_V8],
        vec![crate::investigation::side_effects::SCHEMA_V9],
        vec![crate::investigation::SCHEMA_V10],
    ]
});

/// The schema version this build writes.
pub fn version() -> i64 {
    MIGRATIONS.len() as i64
}

impl Store {
    /// Opens the existing Firebreak database at `path` ([`Store::open_with`] Firebreak's migrations).
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(path, &MIGRATIONS)
    }

    /// Opens the database at `path`, creating it first if there is none ([`Store::create_with`]).
    pub fn create(path: impl AsRef<Path>) -> Result<Store> {
        Store::create_with(path, &MIGRATIONS)
    }
}
