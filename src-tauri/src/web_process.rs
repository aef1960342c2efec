//! What happens when the window's web process dies. WebKitGTK renders the page in a separate process; when that
//! process crashes (a graphics-driver fault, say) the window would otherwise stay blank until the app is
//! restarted. Nothing is lost with the page, since every change is saved as it is made, so the window reloads.

use tauri::App;

#[cfg(target_os = "linux")]
pub fn reload_after_crash(app: &App) {
    use tauri::Manager;
    use webkit2gtk::{WebProcessTerminationReason, WebViewExt};
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let watched = window.with_webview(|webview| {
        webview.inner().connect_web_process_terminated(|view, reason| {
            let why = match reason {
                WebProcessTerminationReason::Crashed => "crashed",
                WebProcessTerminationReason::ExceededMemoryLimit => "ran out of memory",
                _ => "was ended",
            };
            // One line on stderr, so a crash is visible in logs and the end-to-end runner can tell it apart.
            eprintln!("firebreak: the window's web process {why}; reloading the window");
            view.reload();
        });
    });
    if let Err(e) = watched {
        eprintln!("firebreak: cannot watch the window's web process: {e}");
    }
}

#[cfg(not(target_os = "linux"))]
pub fn reload_after_crash(_app: &App) {}
