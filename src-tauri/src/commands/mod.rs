//! Tauri commands: each one names the core operation it calls and nothing more, and is declared once
//! (`declare::commands!`). The record's commands are in `record`; each response phase has its own module.

mod declare;
#[cfg(test)]
mod typescript;

/// Every module of commands: the invoke handler and the TypeScript client are made from this one list.
macro_rules! modules {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Dispatches each invoke to the module whose command it names.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            let modules: Vec<(&'static [&'static str], Box<dyn Fn(tauri::ipc::Invoke) -> bool + Send + Sync>)> =
                vec![$(($module::NAMES, Box::new($module::handler()))),*];
            move |invoke| {
                let name = invoke.message.command();
                match modules.iter().find(|(names, _)| names.contains(&name)) {
                    Some((_, handle)) => handle(invoke),
                    None => false,
                }
            }
        }

        #[cfg(test)]
        fn signatures() -> Vec<declare::Signature> {
            [$($module::signatures()),*].into_iter().flatten().collect()
        }
    };
}

modules!(
    record,
    guidance,
    severity,
    pause,
    containment,
    playbook,
    evidence,
    investigation,
    search,
    affected,
    communication,
    notification,
    postmortem,
    reenable,
    report
);

use firebreak_core::profile;
use firebreak_core::{Actor, Error, Store};

/// Changes are signed with the desktop user's profile; without one there is nobody to sign.
pub(crate) fn actor(store: &Store) -> Result<Actor, Error> {
    profile::get(store)?.map(|p| p.actor()).ok_or_else(|| {
        Error::invalid_input(
            "Tell Firebreak who you are first (name, role and time zone): every change is signed with them.",
        )
    })
}
