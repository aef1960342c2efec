//! Firebreak desktop shell. Every command is a one-line adapter over firebreak-core; the database work runs on a
//! blocking thread so the async runtime (and the window) never waits on SQLite.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod reminders;
mod sealing;
mod state;
mod web_process;

fn main() {
    let state = state::AppState::open();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            reminders::start(app.handle().clone());
            sealing::start(app.handle().clone());
            web_process::reload_after_crash(app);
            Ok(())
        })
        .manage(state)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Firebreak could not start its window: {e}");
        std::process::exit(1);
    }
}
