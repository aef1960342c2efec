//! Generated affected objects for the benchmarks: the same rows for Firebreak and for the baselines beside it.

use firebreak_core::phases::affected::AgentAction;
use std::fmt::Write as _;

const SYSTEMS: &[&str] = &["Salesforce", "NetSuite", "Zendesk", "Workday", "Gmail", "Slack", "Jira", "HubSpot"];
const TYPES: &[&str] = &["invoice", "ticket", "contact", "email", "payment", "employee record"];
const RECOVERY: &[&str] = &["", "correct", "roll_back", "notify", "none"];

/// `rows` affected objects as CSV, numbered from `first`.
pub fn csv(rows: usize, first: usize) -> String {
    let mut csv = String::from("system,object_type,object_id,action,occurred_at,evidence,recovery_action,status\n");
    let actions = AgentAction::ALL;
    for i in first..first + rows {
        let recovery = RECOVERY[i % RECOVERY.len()];
        let status = match (recovery, i % 3) {
            ("", _) | (_, 0) => "open",
            (_, 1) => "in_progress",
            _ => "recovered",
        };
        let _ = writeln!(
            csv,
            "{},{},OBJ-{i:06},{},2026-03-{:02}T{:02}:{:02}:{:02}Z,run-{} line {},{recovery},{status}",
            SYSTEMS[i % SYSTEMS.len()],
            TYPES[(i / 7) % TYPES.len()],
            actions[(i / 3) % actions.len()].key(),
            1 + (i * 7) % 28,
            (i * 13) % 24,
            (i * 17) % 60,
            (i * 31) % 60,
            i / 1000,
            i % 1000,
        );
    }
    csv
}
