//! The containment playbooks themselves: built-in TOML files from templates/playbooks/ embedded at build time, each
//! replaceable by a user's copy of the same name in the data folder's `playbooks/` (beside the database).

use crate::error::{Error, Result};
use crate::store::Store;
use crate::vocabulary::IncidentType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// The built-in playbooks: (id, TOML text). The id is the file name without `.toml`.
const BUILT_IN: &[(&str, &str)] = &[
    ("prompt_injection", include_str!("../../../../../templates/playbooks/prompt_injection.toml")),
    ("malicious_plugin", include_str!("../../../../../templates/playbooks/malicious_plugin.toml")),
    ("cross_tenant_leak", include_str!("../../../../../templates/playbooks/cross_tenant_leak.toml")),
    ("cost_runaway", include_str!("../../../../../templates/playbooks/cost_runaway.toml")),
    ("sensitive_data_exposure", include_str!("../../../../../templates/playbooks/sensitive_data_exposure.toml")),
    ("bad_writeback", include_str!("../../../../../templates/playbooks/bad_writeback.toml")),
    ("external_send", include_str!("../../../../../templates/playbooks/external_send.toml")),
    ("duplicate_work", include_str!("../../../../../templates/playbooks/duplicate_work.toml")),
    ("stale_or_wrong_input", include_str!("../../../../../templates/playbooks/stale_or_wrong_input.toml")),
    ("tool_misuse", include_str!("../../../../../templates/playbooks/tool_misuse.toml")),
    ("approval_bypass", include_str!("../../../../../templates/playbooks/approval_bypass.toml")),
    ("missed_workflow", include_str!("../../../../../templates/playbooks/missed_workflow.toml")),
    ("policy_drift", include_str!("../../../../../templates/playbooks/policy_drift.toml")),
];

/// A containment playbook as its file states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export_to = "Playbook.ts")]
pub struct Playbook {
    /// The file name without `.toml`.
    pub id: String,
    pub title: String,
    /// The incident types it is offered for.
    pub applies_to: Vec<IncidentType>,
    pub steps: Vec<PlaybookStep>,
    /// Whether a user's copy in the data folder replaced the built-in one.
    #[serde(default, skip_deserializing)]
    pub customized: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export_to = "PlaybookStep.ts")]
pub struct PlaybookStep {
    /// Stable within the playbook: ticks are stored under it.
    pub key: String,
    pub text: String,
    #[serde(default)]
    pub why: String,
}

/// Where a user's playbook copies live: `playbooks/` beside the database.
pub fn override_dir(store: &Store) -> Option<PathBuf> {
    store.path().parent().map(|dir| dir.join("playbooks"))
}

/// The built-in playbooks only, ignoring any user copies.
pub fn built_in() -> Result<Vec<Playbook>> {
    BUILT_IN.iter().map(|(id, text)| parse(id, text, &format!("built-in {id}.toml"))).collect()
}

/// Every playbook, with a user's `<id>.toml` in `override_dir` replacing the built-in of that id. A user copy that
/// cannot be used is refused by file name and problem; the built-ins are untouched by it.
pub fn load(override_dir: Option<&Path>) -> Result<Vec<Playbook>> {
    let mut out = Vec::with_capacity(BUILT_IN.len());
    for (id, text) in BUILT_IN {
        let user_copy = override_dir.map(|dir| dir.join(format!("{id}.toml"))).filter(|p| p.is_file());
        let playbook = match user_copy {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| Error::Io {
                    message: format!("Cannot read the playbook file {}: {e}.", path.display()),
                })?;
                Playbook { customized: true, ..parse(id, &text, &path.display().to_string())? }
            }
            None => parse(id, text, &format!("built-in {id}.toml"))?,
        };
        out.push(playbook);
    }
    Ok(out)
}

/// Parses and checks one playbook file; `name` says which file in messages.
fn parse(id: &str, text: &str, name: &str) -> Result<Playbook> {
    let unusable = |problem: String| {
        Error::invalid(
            "playbook",
            format!(
                "The playbook file {name} cannot be used: {problem}. Fix the file, or remove it to use the built-in \
                 playbook."
            ),
        )
    };
    let playbook: Playbook = toml::from_str(text).map_err(|e| unusable(toml_problem(&e, text)))?;
    if playbook.id != id {
        return Err(unusable(format!(
            "its id is \"{}\" but the file is named {id}.toml; they must match",
            playbook.id
        )));
    }
    if playbook.title.trim().is_empty() {
        return Err(unusable("its title is empty".into()));
    }
    if playbook.steps.is_empty() {
        return Err(unusable("it has no [[steps]]".into()));
    }
    let mut keys = BTreeSet::new();
    for (n, step) in playbook.steps.iter().enumerate() {
        let valid_key =
            !step.key.is_empty() && step.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid_key {
            return Err(unusable(format!(
                "step {} has the key \"{}\"; keys are lowercase letters, digits and _",
                n + 1,
                step.key
            )));
        }
        if !keys.insert(step.key.as_str()) {
            return Err(unusable(format!("the step key \"{}\" appears twice", step.key)));
        }
        if step.text.trim().is_empty() {
            return Err(unusable(format!("step \"{}\" has no text", step.key)));
        }
    }
    Ok(playbook)
}

/// The TOML error on one line, with where it is: messages are printed as one line and shown next to a field.
fn toml_problem(e: &toml::de::Error, text: &str) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_playbook_parses_and_has_five_to_nine_steps() {
        let playbooks = built_in().unwrap();
        assert_eq!(playbooks.len(), BUILT_IN.len());
        for p in &playbooks {
            assert!((5..=9).contains(&p.steps.len()), "{} has {} steps", p.id, p.steps.len());
            assert!(p.steps.iter().all(|s| !s.why.trim().is_empty()), "{} explains every step", p.id);
        }
    }

    #[test]
    fn every_incident_type_has_a_playbook() {
        let playbooks = built_in().unwrap();
        for kind in IncidentType::ALL {
            assert!(playbooks.iter().any(|p| p.applies_to.contains(kind)), "no playbook for {kind}");
        }
    }
}
