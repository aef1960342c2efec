//! Periodic seals: every quarter of an hour (and at start-up) the trail's head is signed with this installation's
//! key if it moved since the newest seal, so a rewrite of the database is caught even when no document was made.

use crate::state::AppState;
use std::time::Duration;
use tauri::{AppHandle, Manager};

const EVERY: Duration = Duration::from_secs(15 * 60);

pub fn start(app: AppHandle) {
    let Ok(store) = app.state::<AppState>().store() else {
        return; // The window explains why the database cannot be used.
    };
    tauri::async_runtime::spawn(async move {
        let mut said = false;
        loop {
            let store = store.clone();
            let sealed =
                tauri::async_runtime::spawn_blocking(move || firebreak_core::seal::seal_if_moved(&store)).await;
            // A failure (a key folder that cannot be written, a busy database) is said once on stderr; the next
            // round tries again. Documents still carry their own seal.
            if let Ok(Err(e)) = sealed {
                if !said {
                    eprintln!("Firebreak could not seal the audit trail: {e}");
                    said = true;
                }
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
