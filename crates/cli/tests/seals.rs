//! `firebreak audit seal` and `audit verify --seal / --anchor` from a script.

mod common;

use common::Cli;
use std::process::Command;

const CLI: Cli = Cli { actor: "Dana Reyes" };

#[test]
fn a_seal_file_and_an_anchor_prove_the_trail_still_extends_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seal.db");
    let id = CLI.ok(&db, &["incident", "new", "--title", "Sealed"]).trim().to_string();
    let file = dir.path().join("seal.json");
    let seal = CLI.json(&db, &["audit", "seal", "--out", &file.display().to_string()]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&file).unwrap()).unwrap(), seal);
    CLI.ok(&db, &["incident", "set", &id, "workflow=Refunds"]);

    let verified = CLI.ok(&db, &["audit", "verify", "--seal", &file.display().to_string()]);
    assert!(verified.contains("seal(s) hold"), "{verified}");
    let anchor = format!("{}:{}", seal["seq"], seal["head_hash"].as_str().unwrap());
    CLI.ok(&db, &["audit", "verify", "--anchor", &anchor]);

    // An anchor the trail does not extend (as if the history up to it had been rewritten).
    let wrong = format!("{}:{}", seal["seq"], "ab".repeat(32));
    let out = CLI.run(&db, &["audit", "verify", "--anchor", &wrong]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("first sealed entry that no longer matches") && err.contains(&format!("#{}", seal["seq"])),
        "{err}"
    );
    let bad = CLI.fails(&db, &["audit", "verify", "--anchor", "12-abc"]);
    assert!(bad.contains("is not an anchor"), "{bad}");
}

#[test]
fn a_seal_made_with_another_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("keys.db");
    CLI.ok(&db, &["incident", "new", "--title", "Two keys"]);
    CLI.ok(&db, &["audit", "seal"]);
    CLI.ok(&db, &["audit", "verify"]);
    // Someone else's installation (another key file) seals the same database.
    let other = Command::new(env!("CARGO_BIN_EXE_firebreak"))
        .args(["audit", "seal"])
        .env("FIREBREAK_DB", &db)
        .env("FIREBREAK_SEAL_KEY", dir.path().join("someone-else.key"))
        .env("FIREBREAK_ACTOR", "Mallory")
        .output()
        .unwrap();
    assert!(other.status.success());
    let out = CLI.run(&db, &["audit", "verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["problems"].as_array().unwrap().iter().any(|p| p["kind"] == "seal_foreign"), "{report}");
}
