//! Where the seal key lives when no `FIREBREAK_SEAL_KEY` names a file: the OS keyring where one runs, else a file
//! in the config folder. The tests marked `ignore` need a running Secret Service and are run by `make test` inside
//! `scripts/with-keyring.sh` (a private D-Bus session with a new GNOME Keyring); the others need none.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One installation: its config folder, and whether the keyring of the session can be reached.
struct Installation {
    config: PathBuf,
    reachable: bool,
    nowhere: PathBuf,
}

impl Installation {
    fn new(dir: &Path, reachable: bool) -> Installation {
        Installation { config: dir.join("config"), reachable, nowhere: dir.join("no-bus") }
    }

    fn folder(&self) -> PathBuf {
        self.config.join("firebreak")
    }

    fn run(&self, db: &Path, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_firebreak"));
        command
            .args(args)
            .env("FIREBREAK_DB", db)
            .env("XDG_CONFIG_HOME", &self.config)
            .env("FIREBREAK_ACTOR", "Keyring test")
            .env_remove("FIREBREAK_SEAL_KEY");
        if !self.reachable {
            // No session bus at all: what a command run over SSH or from cron sees.
            command
                .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", self.nowhere.display()))
                .env_remove("DISPLAY");
        }
        command.output().unwrap()
    }

    fn ok(&self, db: &Path, args: &[&str]) -> String {
        if !db.exists() {
            let init = self.run(db, &["init"]);
            assert!(init.status.success(), "init: {}", String::from_utf8_lossy(&init.stderr));
        }
        let out = self.run(db, args);
        assert!(out.status.success(), "firebreak {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn seal(&self, db: &Path) -> Value {
        serde_json::from_str(&self.ok(db, &["audit", "seal", "--json"])).unwrap()
    }

    fn marker(&self) -> Option<Value> {
        let text = std::fs::read_to_string(self.folder().join("seal-key.keyring")).ok()?;
        Some(serde_json::from_str(&text).unwrap())
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn secret_tool(args: &[&str]) -> Output {
    Command::new("secret-tool").args(args).output().expect("secret-tool (libsecret-tools) is installed")
}

/// The keyring's seal-key accounts, as `secret-tool` lists them.
fn keyring_accounts() -> Vec<String> {
    let out = secret_tool(&["search", "--all", "service", "firebreak"]);
    let listing = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let mut accounts: Vec<String> =
        listing.lines().filter_map(|l| l.strip_prefix("attribute.username = ")).map(str::to_string).collect();
    accounts.sort();
    accounts
}

#[test]
fn without_a_keyring_the_key_is_a_file_only_its_owner_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let here = Installation::new(dir.path(), false);
    let db = dir.path().join("a.db");
    let said = here.ok(&db, &["audit", "seal"]);
    let file = here.folder().join("seal.key");
    assert!(said.contains(&format!("The key is kept in the file {}.", file.display())), "{said}");
    assert_eq!(mode(&file), 0o600);
    assert!(here.marker().is_none(), "no keyring marker without a keyring");
    // The same key signs the next seal.
    assert_eq!(here.seal(&db)["public_key"], here.seal(&db)["public_key"]);
}

#[test]
fn a_key_kept_in_a_keyring_that_cannot_be_reached_stops_sealing_but_not_verifying() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    // A database sealed by this installation's key when its keyring could be reached (made here from a key file
    // and a marker naming that key's public half, as the keyring home writes it).
    let with_file = Installation::new(&dir.path().join("elsewhere"), false);
    with_file.ok(&db, &["incident", "new", "--title", "Sealed before"]);
    let public_key = with_file.seal(&db)["public_key"].as_str().unwrap().to_string();
    let here = Installation::new(dir.path(), false);
    std::fs::create_dir_all(here.folder()).unwrap();
    let marker = serde_json::json!({
        "format": "firebreak-seal-keyring-v1",
        "service": "firebreak",
        "account": format!("seal-key-{}", &public_key[..16]),
        "public_key": public_key,
    });
    std::fs::write(here.folder().join("seal-key.keyring"), marker.to_string()).unwrap();

    let out = here.run(&db, &["audit", "seal"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Cannot reach the seal key in the OS keyring") && err.contains("Unlock your keyring"),
        "{err}"
    );
    assert!(!here.folder().join("seal.key").exists(), "no second key is made behind the user's back");
    // Verifying needs no key: the marker names the public half, so the seal is this installation's own.
    let report: Value = serde_json::from_str(&here.ok(&db, &["audit", "verify", "--json"])).unwrap();
    assert_eq!(report["intact"], true, "{report}");

    // A marker naming another key makes the same seal another installation's.
    let other = serde_json::json!({
        "format": "firebreak-seal-keyring-v1",
        "service": "firebreak",
        "account": "seal-key-0000000000000000",
        "public_key": "0".repeat(64),
    });
    std::fs::write(here.folder().join("seal-key.keyring"), other.to_string()).unwrap();
    let out = here.run(&db, &["audit", "verify", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["problems"].as_array().unwrap().iter().any(|p| p["kind"] == "seal_foreign"), "{report}");
}

#[test]
#[ignore = "needs a Secret Service: make test runs it in scripts/with-keyring.sh"]
fn where_a_keyring_runs_a_new_key_goes_into_it_and_stays_there() {
    let dir = tempfile::tempdir().unwrap();
    let here = Installation::new(dir.path(), true);
    let db = dir.path().join("c.db");
    let incident: Value =
        serde_json::from_str(&here.ok(&db, &["incident", "new", "--title", "Keyring", "--json"])).unwrap();
    let id = incident["id"].as_str().expect("the incident's ID").to_string();
    let said = here.ok(&db, &["audit", "seal"]);
    assert!(said.contains("The key is kept in the OS keyring (service \"firebreak\", account \"seal-key-"), "{said}");
    assert!(!here.folder().join("seal.key").exists(), "the key is not also written to a file");
    let marker = here.marker().expect("a marker says where the key is");
    assert_eq!(mode(&here.folder().join("seal-key.keyring")), 0o600);
    let account = marker["account"].as_str().unwrap();

    // The keyring holds the secret half of the key whose public half the seals carry.
    let stored = secret_tool(&["lookup", "service", "firebreak", "username", account]);
    let secret = String::from_utf8_lossy(&stored.stdout).trim().to_string();
    assert_eq!(secret.len(), 64, "the keyring entry holds the key: {secret:?}");
    let seal = here.seal(&db);
    assert_eq!(seal["public_key"], marker["public_key"]);
    assert_eq!(here.seal(&db)["public_key"], seal["public_key"], "the same key every time");
    let report: Value = serde_json::from_str(&here.ok(&db, &["audit", "verify", "--json"])).unwrap();
    assert_eq!(report["intact"], true, "{report}");

    // Where the keyring cannot be reached, sealing stops instead of making a second key.
    let cut_off = Installation::new(dir.path(), false);
    let pdf = dir.path().join("summary.pdf");
    let out = cut_off.run(&db, &["report", &id, "--kind", "summary", "--out", pdf.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(!pdf.exists(), "no document without its seal");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cannot reach the seal key"));
    assert!(!here.folder().join("seal.key").exists());

    // An entry removed from the keyring is named, and nothing replaces it silently.
    assert!(secret_tool(&["clear", "service", "firebreak", "username", account]).status.success());
    let out = here.run(&db, &["audit", "seal"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("The seal key is missing from the OS keyring") && err.contains(account), "{err}");
    assert!(!here.folder().join("seal.key").exists());
}

#[test]
#[ignore = "needs a Secret Service: make test runs it in scripts/with-keyring.sh"]
fn first_uses_at_the_same_moment_leave_one_key_in_the_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let here = Installation::new(dir.path(), true);
    let before = keyring_accounts();
    let dbs: Vec<PathBuf> = (0..6).map(|i| dir.path().join(format!("{i}.db"))).collect();
    for db in &dbs {
        here.ok(db, &["init"]);
    }
    let keys: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = dbs.iter().map(|db| s.spawn(|| here.seal(db)["public_key"].to_string())).collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    assert!(keys.iter().all(|k| k == &keys[0]), "one key for the installation: {keys:?}");
    let account = here.marker().unwrap()["account"].as_str().unwrap().to_string();
    let added: Vec<String> = keyring_accounts().into_iter().filter(|a| !before.contains(a)).collect();
    assert_eq!(added, vec![account], "the losers of the race removed their entries");
}

#[test]
#[ignore = "needs a Secret Service: make test runs it in scripts/with-keyring.sh"]
fn an_existing_key_file_is_kept_when_a_keyring_appears() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let before = Installation::new(dir.path(), false);
    let first = before.seal(&db);
    let now = Installation::new(dir.path(), true);
    let said = now.ok(&db, &["audit", "seal"]);
    assert!(said.contains("The key is kept in the file"), "{said}");
    assert_eq!(now.seal(&db)["public_key"], first["public_key"]);
    assert!(now.marker().is_none());
}
