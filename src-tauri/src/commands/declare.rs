//! How a desktop command is declared: once, in a `commands!` block, with its name, argument types and result
//! type. From that one declaration come the Tauri command, its entry in the invoke handler and (in the tests) its
//! typed function in the generated TypeScript client `ui/src/lib/commands.ts`; so a renamed argument, a changed
//! type or a command the UI calls but the app lacks fails to compile, here or in `svelte-check`.
//!
//! Three kinds of command:
//! - `store name(args) -> T => move |s| …;` runs its body on a blocking thread with the store (`s: &Store`) and
//!   answers `T` or an `ApiError`;
//! - `app name(args) -> T => move |s, app| …;` is the same with the `AppHandle` too (the system opener);
//! - `pure name(args) -> T => …;` needs no database and cannot fail (choice lists, suggestions).
//!
//! An argument of type [`Progress<M>`] is a channel the command reports on; the client takes a callback for it.

/// Declares the commands of one module; see the module documentation.
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident $name:ident ($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty => $body:expr;
    )*) => {
        $( commands!(@command $kind [$($doc)*] $name ($($arg : $ty),*) -> $ret => $body); )*

        /// The names of this module's commands, as the window invokes them.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Dispatches an invoke of one of [`NAMES`] to its command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// This module's commands as the TypeScript client sees them.
        #[cfg(test)]
        pub fn signatures() -> Vec<$crate::commands::declare::Signature> {
            vec![$($crate::commands::declare::Signature {
                name: stringify!($name),
                doc: vec![$($doc.trim()),*],
                args: vec![$((stringify!($arg), <$ty as $crate::commands::declare::Wire>::wire())),*],
                result: <$ret as $crate::commands::declare::Wire>::wire(),
            }),*]
        }
    };

    (@command store [$($doc:literal)*] $name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty => $body:expr) => {
        $(#[doc = $doc])*
        #[tauri::command(rename_all = "snake_case")]
        #[allow(clippy::too_many_arguments)]
        pub async fn $name(
            state: tauri::State<'_, $crate::state::AppState>,
            $($arg: $ty),*
        ) -> Result<$ret, firebreak_core::ApiError> {
            $crate::state::blocking(state.store(), $body).await
        }
    };
    (@command app [$($doc:literal)*] $name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty => $body:expr) => {
        $(#[doc = $doc])*
        #[tauri::command(rename_all = "snake_case")]
        #[allow(clippy::too_many_arguments)]
        pub async fn $name(
            state: tauri::State<'_, $crate::state::AppState>,
            app: tauri::AppHandle,
            $($arg: $ty),*
        ) -> Result<$ret, firebreak_core::ApiError> {
            let work = $crate::commands::declare::with_app($body);
            $crate::state::blocking(state.store(), move |s| work(s, &app)).await
        }
    };
    (@command pure [$($doc:literal)*] $name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty => $body:expr) => {
        $(#[doc = $doc])*
        #[tauri::command(rename_all = "snake_case")]
        pub fn $name($($arg: $ty),*) -> $ret {
            $body
        }
    };
}

pub(crate) use commands;

use firebreak_core::{Error, Store};

/// Gives an `app` command's body its type, so its closure's arguments need no annotations.
pub fn with_app<T, F>(work: F) -> F
where
    F: FnOnce(&Store, &tauri::AppHandle) -> Result<T, Error>,
{
    work
}

/// A channel a command sends its progress on, one `M` at a time; the window's callback receives them.
pub struct Progress<M>(tauri::ipc::Channel<M>);

impl<M: tauri::ipc::IpcResponse> Progress<M> {
    /// Sends one step. A closed window cannot take progress any more; the command still finishes.
    pub fn send(&self, message: M) {
        drop(self.0.send(message));
    }
}

impl<'de, R: tauri::Runtime, M> tauri::ipc::CommandArg<'de, R> for Progress<M> {
    fn from_command(command: tauri::ipc::CommandItem<'de, R>) -> Result<Self, tauri::ipc::InvokeError> {
        tauri::ipc::Channel::from_command(command).map(Progress)
    }
}

#[cfg(test)]
pub use client::{Signature, Wire, WireType};

#[cfg(test)]
mod client {
    use std::path::{Path, PathBuf};
    use ts_rs::{TypeVisitor, TS};

    /// One command as the TypeScript client sees it.
    pub struct Signature {
        pub name: &'static str,
        pub doc: Vec<&'static str>,
        pub args: Vec<(&'static str, WireType)>,
        pub result: WireType,
    }

    /// How a Rust type crosses the boundary: its TypeScript spelling, the generated types it names, and how to
    /// write those types' files.
    pub struct WireType {
        pub ts: String,
        /// The type a `Progress` channel carries; `ts` is then that type.
        pub channel: bool,
        /// (TypeScript name, file under the bindings folder) of each generated type `ts` names.
        pub imports: Vec<(String, PathBuf)>,
        pub export: fn(&Path) -> Result<(), ts_rs::ExportError>,
    }

    pub trait Wire {
        fn wire() -> WireType;
    }

    impl<T: TS + 'static> Wire for T {
        fn wire() -> WireType {
            WireType { ts: ts_name::<T>(), channel: false, imports: imports::<T>(), export: export::<T> }
        }
    }

    impl<M: TS + 'static> Wire for super::Progress<M> {
        fn wire() -> WireType {
            WireType { channel: true, ..M::wire() }
        }
    }

    /// `()` answers nothing: `void` to TypeScript, where ts-rs says `null`.
    fn ts_name<T: TS + 'static>() -> String {
        if std::any::TypeId::of::<T>() == std::any::TypeId::of::<()>() {
            "void".to_string()
        } else {
            T::name()
        }
    }

    /// The generated types `T`'s TypeScript spelling names: `T` itself, or what a list, option or map holds.
    struct Named<'a> {
        found: Vec<(String, PathBuf)>,
        /// Where to write each named type's file (with what it names in turn), if anywhere.
        into: Option<&'a Path>,
        failed: Option<ts_rs::ExportError>,
    }

    impl TypeVisitor for Named<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            match U::output_path() {
                Some(path) => {
                    self.found.push((U::ident(), path));
                    if let (Some(dir), None) = (self.into, &self.failed) {
                        self.failed = U::export_all_to(dir).err();
                    }
                }
                None => U::visit_generics(self),
            }
        }
    }

    fn imports<T: TS + 'static>() -> Vec<(String, PathBuf)> {
        let mut named = Named { found: Vec::new(), into: None, failed: None };
        named.visit::<T>();
        named.found
    }

    fn export<T: TS + 'static>(dir: &Path) -> Result<(), ts_rs::ExportError> {
        let mut named = Named { found: Vec::new(), into: Some(dir), failed: None };
        named.visit::<T>();
        named.failed.map_or(Ok(()), Err)
    }
}
