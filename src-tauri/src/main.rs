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
        .invoke_handler(tauri::generate_handler![
            commands::startup,
            commands::save_profile,
            commands::time_zones,
            commands::vocabulary,
            commands::list_people,
            commands::add_person,
            commands::update_person,
            commands::list_incidents,
            commands::get_incident,
            commands::create_incident,
            commands::update_incident,
            commands::incident_history,
            commands::verify_integrity,
            commands::guidance::guidance,
            commands::guidance::set_status,
            commands::severity::severity_questions,
            commands::severity::suggest_severity,
            commands::severity::severity_history,
            commands::severity::assess_severity,
            commands::pause::pause_scopes,
            commands::pause::list_pauses,
            commands::pause::pause_suggestions,
            commands::pause::pause_warning,
            commands::pause::add_pause,
            commands::pause::lift_pause,
            commands::containment::containment_statuses,
            commands::containment::list_containment,
            commands::containment::set_containment,
            commands::playbook::list_playbooks,
            commands::playbook::tick_playbook_step,
            commands::communication::comms_matrix,
            commands::communication::comms_draft,
            commands::communication::comms_edit,
            commands::communication::comms_approve,
            commands::communication::comms_mark_sent,
            commands::postmortem::postmortem_view,
            commands::postmortem::postmortem_save,
            commands::postmortem::timeline_add,
            commands::postmortem::remediation_add,
            commands::postmortem::remediation_update,
            commands::reenable::reenable_view,
            commands::reenable::reenable_answer,
            commands::reenable::reenable_signoff,
            commands::reenable::reenable_first_run,
            commands::evidence::evidence_choices,
            commands::evidence::evidence_items,
            commands::evidence::evidence_files,
            commands::evidence::evidence_custody,
            commands::evidence::evidence_set_status,
            commands::evidence::evidence_attach,
            commands::evidence::evidence_export,
            commands::evidence::evidence_reverify,
            commands::affected::affected_choices,
            commands::affected::affected_list,
            commands::affected::affected_counts,
            commands::affected::affected_add,
            commands::affected::affected_update,
            commands::affected::affected_import_tsv,
            commands::affected::affected_import_csv,
            commands::affected::recovery_log,
            commands::affected::recovery_log_add,
            commands::affected::audit_answers,
            commands::affected::audit_answer,
            commands::notification::notify_choices,
            commands::notification::notify_clocks,
            commands::notification::open_clocks,
            commands::notification::notify_answer,
            commands::notification::notify_decide,
            commands::notification::notify_zone,
            commands::notification::notify_trigger,
            commands::notification::notify_override,
            commands::notification::notify_start,
            commands::notification::notify_edit,
            commands::notification::notify_approve,
            commands::notification::notify_submit,
            commands::notification::breach_register,
            commands::notification::export_breach_register,
            commands::notification::export_calendar,
            commands::report::report_choices,
            commands::report::set_default_classification,
            commands::report::generate_report,
            commands::report::check_report,
            commands::report::open_report,
            commands::report::reveal_report,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Firebreak could not start its window: {e}");
        std::process::exit(1);
    }
}
