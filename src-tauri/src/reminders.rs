//! Desktop reminders for regulatory clocks: every minute the running clocks are read and a system notification is
//! shown when one comes within 24 h, 4 h or 1 h of its due time or becomes overdue (and, at start-up, for anything
//! already overdue). Which reminder is due is decided in core (`Reminders`); this only reads and shows.

use crate::state::AppState;
use chrono::Utc;
use chrono_tz::Tz;
use firebreak_core::phases::notification::{self, Alert, Reminders};
use firebreak_core::{profile, Store};
use std::time::Duration;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

const EVERY: Duration = Duration::from_secs(60);

pub fn start(app: AppHandle) {
    let Ok(store) = app.state::<AppState>().store() else {
        return; // The window explains why the database cannot be used; there is nothing to remind about.
    };
    tauri::async_runtime::spawn(async move {
        let mut reminders = Reminders::default();
        loop {
            let checked = {
                let store = store.clone();
                tauri::async_runtime::spawn_blocking(move || due_alerts(&store, reminders)).await
            };
            reminders = match checked {
                Ok((alerts, r)) => {
                    for alert in alerts {
                        show(&app, &alert);
                    }
                    r
                }
                // A panicked check keeps nothing; the next round starts afresh (announcing only overdue clocks).
                Err(_) => Reminders::default(),
            };
            tokio::time::sleep(EVERY).await;
        }
    });
}

fn due_alerts(store: &Store, mut reminders: Reminders) -> (Vec<Alert>, Reminders) {
    let zone: Tz = profile::get(store).ok().flatten().and_then(|p| p.timezone.parse().ok()).unwrap_or(chrono_tz::UTC);
    // A database error now is shown wherever the user looks next; reminders simply wait for the next round.
    let alerts = match notification::open_clocks(store, Utc::now()) {
        Ok(clocks) => reminders.check(&clocks, Utc::now(), zone),
        Err(_) => Vec::new(),
    };
    (alerts, reminders)
}

fn show(app: &AppHandle, alert: &Alert) {
    let app = app.clone();
    let (title, body) = (alert.title.clone(), alert.body.clone());
    // On Linux this talks D-Bus synchronously and, without a notification service (a bare X session), may wait a
    // long time: a thread of its own keeps it away from the runtime and never holds up quitting. Failing to show is
    // not an error anyone can act on; the register and the Regulatory notification tab show the same clock.
    std::thread::spawn(move || {
        let _ = app.notification().builder().title(title).body(body).show();
    });
}
