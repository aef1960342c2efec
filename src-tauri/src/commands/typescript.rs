//! The TypeScript side of the boundary, made from the command declarations: `ui/src/lib/commands.ts` (one typed
//! function per command), `ui/src/lib/bindings/` (ts-rs files of every type a command takes or answers, and of
//! the error the window receives) and `ui/src/lib/phases.ts` (the phases in order with their labels, so a tab is
//! named as the guidance, the timeline and the documents name it). All are committed; the test below fails when either is stale, and
//! `make bindings` rewrites them.

use super::declare::{Signature, Wire, WireType};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Types the window uses that no command takes or answers: the error every failing command rejects with.
fn others() -> Vec<WireType> {
    vec![firebreak_core::ApiError::wire()]
}

/// Writes the client to `lib/commands.ts` and the bindings into `lib/bindings/`.
fn write_all(lib: &Path, signatures: &[Signature]) {
    let bindings = lib.join("bindings");
    for wire in signatures.iter().flat_map(|s| s.args.iter().map(|(_, w)| w).chain([&s.result])).chain(&others()) {
        (wire.export)(&bindings).unwrap();
    }
    std::fs::write(lib.join("commands.ts"), client(signatures)).unwrap();
    std::fs::write(lib.join("phases.ts"), phases()).unwrap();
}

fn phases() -> String {
    use firebreak_core::phases::Phase;
    let mut out = String::from(
        "// Generated from firebreak_core::phases::Phase by `make bindings`; do not edit.\n\n\
         import type { Phase } from './bindings/Phase';\n\n\
         /** Every response phase, in the order of the response, with the label the whole product uses for it. */\n\
         export const PHASES: readonly { key: Phase; label: string }[] = [\n",
    );
    for phase in Phase::ALL {
        // Debug formatting quotes and escapes the label as a string literal TypeScript reads the same way.
        out += &format!("  {{ key: '{}', label: {:?} }},\n", phase.key(), phase.label());
    }
    out += "];\n";
    out
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn client(signatures: &[Signature]) -> String {
    let mut imports: BTreeMap<String, PathBuf> = BTreeMap::new();
    for s in signatures {
        for wire in s.args.iter().map(|(_, w)| w).chain([&s.result]) {
            imports.extend(wire.imports.iter().cloned());
        }
    }
    let mut out = String::from(
        "// Generated from the command declarations in src-tauri/src/commands by `make bindings`; do not edit.\n\
         // One function per desktop command. A command that can fail rejects with an ApiFailure (lib/api.ts).\n\n",
    );
    let channels = signatures.iter().any(|s| s.args.iter().any(|(_, w)| w.channel));
    out +=
        if channels { "import { call, callWithChannel } from './api';\n" } else { "import { call } from './api';\n" };
    for (name, path) in &imports {
        let module = path.with_extension("");
        out += &format!("import type {{ {name} }} from './bindings/{}';\n", module.display());
    }
    for s in signatures {
        out += "\n";
        out += &function(s);
    }
    out
}

fn function(s: &Signature) -> String {
    let mut doc = String::new();
    if !s.doc.is_empty() {
        doc = format!("/** {} */\n", s.doc.join("\n *  "));
    }
    let params: Vec<String> = s
        .args
        .iter()
        .map(|(name, w)| {
            if w.channel {
                format!("on{}: (message: {}) => void", camel(&format!("_{name}")), w.ts)
            } else {
                format!("{}: {}", camel(name), w.ts)
            }
        })
        .collect();
    let fields: Vec<String> = s
        .args
        .iter()
        .filter(|(_, w)| !w.channel)
        .map(|(name, _)| if camel(name) == *name { name.to_string() } else { format!("{name}: {}", camel(name)) })
        .collect();
    let object = if fields.is_empty() { "{}".to_string() } else { format!("{{ {} }}", fields.join(", ")) };
    let call = match s.args.iter().find(|(_, w)| w.channel) {
        Some((channel, _)) => {
            format!("callWithChannel('{}', {object}, '{channel}', on{})", s.name, camel(&format!("_{channel}")))
        }
        None if fields.is_empty() => format!("call('{}')", s.name),
        None => format!("call('{}', {object})", s.name),
    };
    let mut head = format!("export const {} = ({}): Promise<{}> =>", camel(s.name), params.join(", "), s.result.ts);
    if head.len() > 120 {
        let each: String = params.iter().map(|p| format!("  {p},\n")).collect();
        head = format!("export const {} = (\n{each}): Promise<{}> =>", camel(s.name), s.result.ts);
    }
    let last = head.lines().last().unwrap_or_default().len();
    if last + call.len() < 120 {
        format!("{doc}{head} {call};\n")
    } else {
        format!("{doc}{head}\n  {call};\n")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    fn committed_lib() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib")
    }

    /// `commands.ts`, `phases.ts` and every `.ts` file under `bindings/`, by path relative to `lib`.
    fn read(lib: &Path) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        for generated in ["commands.ts", "phases.ts"] {
            files.insert(generated.to_string(), std::fs::read_to_string(lib.join(generated)).unwrap_or_default());
        }
        let mut pending = vec![lib.join("bindings")];
        while let Some(current) = pending.pop() {
            for entry in std::fs::read_dir(&current).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "ts") {
                    let name = path.strip_prefix(lib).unwrap().to_string_lossy().into_owned();
                    files.insert(name, std::fs::read_to_string(&path).unwrap_or_default());
                }
            }
        }
        files
    }

    #[test]
    fn committed_client_and_bindings_match_the_command_declarations() {
        let signatures = super::super::signatures();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            let bindings = committed_lib().join("bindings");
            if bindings.exists() {
                std::fs::remove_dir_all(&bindings).unwrap();
            }
            super::write_all(&committed_lib(), &signatures);
        }
        let fresh = tempfile::tempdir().unwrap();
        super::write_all(fresh.path(), &signatures);
        let expected = read(fresh.path());
        let committed = read(&committed_lib());
        for (name, text) in &expected {
            assert_eq!(
                committed.get(name),
                Some(text),
                "ui/src/lib/{name} is stale or missing: run `make bindings` and commit the result"
            );
        }
        let extra: Vec<_> = committed.keys().filter(|k| !expected.contains_key(*k)).collect();
        assert!(extra.is_empty(), "ui/src/lib has bindings no command needs: {extra:?}; run `make bindings`");
    }

    #[test]
    fn every_command_has_one_name_and_arguments_of_distinct_names() {
        let signatures = super::super::signatures();
        let mut seen = BTreeSet::new();
        for s in &signatures {
            assert!(seen.insert(s.name), "two commands are called {}", s.name);
            let args: BTreeSet<_> = s.args.iter().map(|(a, _)| a).collect();
            assert_eq!(args.len(), s.args.len(), "{} names an argument twice", s.name);
        }
    }
}
