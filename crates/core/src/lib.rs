//! firebreak-core: Firebreak's domain model, SQLite store, tamper-evident audit trail and rules.
//! No Tauri and no UI: the desktop app and the `firebreak` CLI are thin callers of this crate.

#[macro_use]
pub mod vocabulary;
pub mod audit;
pub mod deadlines;
pub mod error;
pub mod incident;
pub mod input;
pub mod investigation;
pub mod outfile;
pub mod pdf;
pub mod people;
pub mod phases;
pub mod profile;
pub mod record;
pub mod report;
pub mod schema;
pub mod seal;
pub mod search;
pub mod store;
pub mod text;
pub mod trace;
pub mod verify;

pub use audit::Actor;
pub use error::{ApiError, Error, ErrorCode, Result};
pub use store::Store;
pub mod startup;
