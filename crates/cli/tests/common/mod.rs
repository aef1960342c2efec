//! Running the built `firebreak` binary the way scripts do, for every CLI test file.
#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The CLI as one actor (FIREBREAK_ACTOR) sees it.
pub struct Cli {
    pub actor: &'static str,
}

impl Cli {
    /// Runs a command on `db`. Like a script, a test starts a new database with `firebreak init` (done here the
    /// first time a test names a database that does not exist yet; only `init` creates one). `clock` needs none.
    pub fn run(&self, db: &Path, args: &[&str]) -> Output {
        if !db.exists() && !matches!(args.first(), Some(&"init") | Some(&"clock")) {
            let init = self.raw(db, &["init"]);
            assert!(init.status.success(), "firebreak init failed: {}", String::from_utf8_lossy(&init.stderr));
        }
        self.raw(db, args)
    }

    /// Runs a command exactly as given, creating nothing first.
    /// The installation's seal key is the test's own, beside its database, never the user's.
    pub fn raw(&self, db: &Path, args: &[&str]) -> Output {
        let key = db.parent().unwrap_or(Path::new(".")).join("test-seal.key");
        Command::new(env!("CARGO_BIN_EXE_firebreak"))
            .args(args)
            .env("FIREBREAK_DB", db)
            .env("FIREBREAK_SEAL_KEY", key)
            .env("FIREBREAK_ACTOR", self.actor)
            .output()
            .unwrap()
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn ok(&self, db: &Path, args: &[&str]) -> String {
        let out = self.run(db, args);
        assert!(out.status.success(), "firebreak {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail the way the CLI contract says: nothing on stdout, one clear line on stderr.
    pub fn fails(&self, db: &Path, args: &[&str]) -> String {
        let out = self.run(db, args);
        assert!(!out.status.success(), "firebreak {args:?} should have failed");
        assert!(out.stdout.is_empty(), "nothing on stdout when failing: {}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8(out.stderr).unwrap();
        // One line says what is wrong; a refused gate adds the missing items below it, one per line.
        assert_eq!(err.trim().lines().filter(|l| !l.starts_with("  - ")).count(), 1, "one clear line: {err}");
        err
    }

    /// Runs a command with `--json` and parses its output.
    pub fn json(&self, db: &Path, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_str(&self.ok(db, &args)).unwrap()
    }
}

/// A test's own folder with its database in it; the folder goes when the test ends.
pub struct Scratch {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Scratch {
    pub fn new(db_name: &str) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(db_name);
        Scratch { dir, db }
    }

    /// A file in the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn path(&self, name: &str) -> String {
        self.file(name).display().to_string()
    }
}

/// An incident on a scratch database; reads as its `Scratch` (`e.db`, `e.file(…)`).
pub struct Env {
    pub scratch: Scratch,
    pub id: String,
}

impl std::ops::Deref for Env {
    type Target = Scratch;
    fn deref(&self) -> &Scratch {
        &self.scratch
    }
}
