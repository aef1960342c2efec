//! The core's layers (docs/ARCHITECTURE.md, "Layers"): a module may use its own layer and those below, never one
//! above. This reads the sources (tests excluded: a test may reach anywhere) and names every upward `crate::` or
//! `super::` path.

use std::path::{Path, PathBuf};

/// Lowest first. A module belongs to the layer of the longest prefix listed.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundations",
        &[
            "error",
            "text",
            "input",
            "outfile",
            "audit",
            "store",
            "record",
            "vocabulary",
            "choices",
            "deadlines",
            "pdf",
            "seal",
            "trace",
        ],
    ),
    ("the record", &["incident", "people", "profile"]),
    ("the phases", &["phases", "investigation"]),
    ("gates and guidance", &["phases::guidance"]),
    ("verify, documents, search, start-up, schema", &["verify", "report", "search", "startup", "schema"]),
];

fn layer_of(module: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (index, (_, prefixes)) in LAYERS.iter().enumerate() {
        for prefix in *prefixes {
            let matches = module == *prefix || module.starts_with(&format!("{prefix}::"));
            if matches && best.is_none_or(|(len, _)| prefix.len() > len) {
                best = Some((prefix.len(), index));
            }
        }
    }
    best.map(|(_, index)| index)
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// `phases/affected/mod.rs` → `phases::affected`.
fn module_of(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The text without `#[cfg(test)]` items (a test module or function, up to its closing brace).
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find(['{', ';']) else { break };
        if after.as_bytes()[open] == b';' {
            rest = &after[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The text without `//` comments: prose may name any module.
fn without_comments(text: &str) -> String {
    text.lines().map(|line| line.split_once("//").map_or(line, |(code, _)| code)).collect::<Vec<_>>().join("\n")
}

/// The modules a path written after `crate::` or `super::` names: `a::b`, or each item of `{a, b::c}`.
fn named_after(text: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim().split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).next().unwrap_or("").to_string()
    };
    let Some(inner) = text.strip_prefix('{') else {
        return vec![ident(text)];
    };
    // Split the group at its top-level commas.
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&inner[start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    let mut names = Vec::new();
    for item in items {
        let item = item.trim_start();
        let head = ident(item);
        let rest = item[head.len()..].trim_start();
        if rest.starts_with('{') {
            names.extend(named_after(rest).into_iter().map(|n| format!("{head}{n}")));
        } else if !head.is_empty() {
            names.push(head);
        }
    }
    names
}

/// Upward references in `module`'s code: (the module named, its layer's name).
fn upward(module: &str, code: &str) -> Vec<String> {
    let Some(own) = layer_of(module) else { return Vec::new() };
    let mut found = Vec::new();
    for (marker, base) in [
        ("crate::", String::new()),
        ("super::", module.rsplit_once("::").map_or(String::new(), |(p, _)| p.to_string())),
    ] {
        // `super::` in `a/mod.rs` (module `a`) is the crate root; in `a/b.rs` (module `a::b`) it is `a`.
        for (at, _) in code.match_indices(marker) {
            if marker == "super::" && code[..at].ends_with("::") {
                continue; // super::super:: is read from its first super
            }
            for name in named_after(&code[at + marker.len()..]) {
                let path = if base.is_empty() { name.clone() } else { format!("{base}::{name}") };
                let path = path.trim_end_matches("::").to_string();
                if let Some(theirs) = layer_of(&path) {
                    if theirs > own {
                        found.push(format!("{module} uses {path} ({})", LAYERS[theirs].0));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_module_of_the_core_uses_a_layer_above_its_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut unplaced = Vec::new();
    for file in sources(&root) {
        let module = module_of(&root, &file);
        if module == "lib" {
            continue;
        }
        if layer_of(&module).is_none() {
            unplaced.push(module.clone());
        }
        let code = without_tests(&without_comments(&std::fs::read_to_string(&file).unwrap()));
        problems.extend(upward(&module, &code));
    }
    assert!(unplaced.is_empty(), "modules in no layer (add them to LAYERS and docs/ARCHITECTURE.md): {unplaced:?}");
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "a lower layer uses a higher one:\n{}", problems.join("\n"));
}

#[test]
fn the_check_sees_grouped_super_and_crate_paths_and_skips_tests() {
    let code = "use crate::{audit, phases::{guidance, pause}};\nuse super::severity;\n\
                // see crate::verify\n#[cfg(test)]\nmod tests { use crate::report; }\n";
    let found = upward("incident", &without_tests(&without_comments(code)));
    assert_eq!(
        found,
        vec![
            "incident uses phases::guidance (gates and guidance)".to_string(),
            "incident uses phases::pause (the phases)".to_string(),
        ]
    );
    let found = upward("phases::pause", "use super::guidance::blockers;");
    assert_eq!(found, vec!["phases::pause uses phases::guidance::blockers (gates and guidance)".to_string()]);
    assert!(upward("report::full", "use crate::phases::pause;").is_empty());
}
