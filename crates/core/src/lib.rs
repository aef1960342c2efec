//! firebreak-core: Firebreak's domain model, SQLite store, tamper-evident audit trail and rules.
//! No Tauri and no UI: the desktop app and the `firebreak` CLI are thin callers of this crate.

pub mod audit;
pub mod error;
pub mod incident;
pub mod people;
pub mod profile;
pub mod store;
pub mod verify;
pub mod vocabulary;

pub use audit::Actor;
pub use error::{ApiError, Error, ErrorCode, Result};
pub use store::Store;
pub mod bindings;
pub mod startup;
