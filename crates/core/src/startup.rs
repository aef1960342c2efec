//! What a front end needs to know when it starts: which database it is on and whether the user has introduced
//! themselves yet.

use crate::error::Result;
use crate::profile::{self, Profile};
use crate::store::{Store, SCHEMA_VERSION};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "Startup.ts")]
pub struct Startup {
    pub version: String,
    pub db_path: String,
    /// The database is a read-only copy: everything can be looked at and verified, nothing changed.
    pub read_only: bool,
    #[ts(type = "number")]
    pub schema_version: i64,
    /// `None` until the first-run questions (name, role, time zone) are answered.
    pub profile: Option<Profile>,
    pub system_timezone: String,
}

pub fn startup(store: &Store) -> Result<Startup> {
    Ok(Startup {
        version: env!("CARGO_PKG_VERSION").to_string(),
        db_path: store.path().display().to_string(),
        read_only: store.is_read_only(),
        schema_version: SCHEMA_VERSION,
        profile: profile::get(store)?,
        system_timezone: profile::system_zone(),
    })
}
