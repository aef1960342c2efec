//! The app's one piece of shared state: the store, or the reason it could not be opened (shown to the user by
//! the UI instead of crashing).

use firebreak_core::{ApiError, Error, Store};
use std::path::PathBuf;

pub struct AppState {
    store: Result<Store, ApiError>,
}

impl AppState {
    /// Opens the database the CLI also uses by default (created on the first start), or the one named by
    /// `FIREBREAK_DB`, which must exist: a mistyped path shows an error, not a new empty register.
    pub fn open() -> Self {
        let store = match std::env::var_os("FIREBREAK_DB").filter(|p| !p.is_empty()).map(PathBuf::from) {
            Some(path) => Store::open(&path),
            None => Store::create(firebreak_core::store::default_db_path()),
        };
        AppState { store: store.map_err(|e| e.to_api()) }
    }

    pub fn store(&self) -> Result<Store, ApiError> {
        self.store.clone()
    }
}

/// Runs blocking core work off the async runtime and turns its error into the `{code, message}` the UI expects.
pub async fn blocking<T: Send + 'static>(
    store: Result<Store, ApiError>,
    work: impl FnOnce(&Store) -> Result<T, Error> + Send + 'static,
) -> Result<T, ApiError> {
    let store = store?;
    tauri::async_runtime::spawn_blocking(move || work(&store).map_err(|e| e.to_api())).await.unwrap_or_else(|e| {
        Err(Error::storage(format!("Firebreak hit an internal error ({e}). Nothing was changed; try again.")).to_api())
    })
}
