//! `make soak` (not part of `make test`): writers killed with SIGKILL at random moments, many times over.
//!
//! Each round starts three `firebreak` writers on one database — one opening incidents, one adding people, one
//! importing 2,000 affected objects in a single transaction — and kills them all at a random moment. A write a
//! writer acknowledged (its command printed and exited 0) must be in the database afterwards; an import is there
//! whole or not at all; and `audit verify` must find the trail intact. Prints the totals.
//!
//! Needs `target/release/firebreak`. `SOAK_ROUNDS` (default 200) and `SOAK_SEED` change the run.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "shared/cli.rs"]
mod cli;
#[path = "shared/objects.rs"]
mod objects;

type Failure = Box<dyn std::error::Error>;

const IMPORT_ROWS: usize = 2_000;

fn main() -> Result<(), Failure> {
    let cli = cli::release_cli()?;
    let rounds: usize = std::env::var("SOAK_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let seed: u64 = std::env::var("SOAK_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x50a6);
    let mut rng = fastrand::Rng::with_seed(seed);
    let dir = cli::scratch()?;
    let db = dir.path().join("soak.db");
    let env = Env { cli, db: db.clone(), key: dir.path().join("seal.key") };
    env.ok(&["init"])?;
    let incident = env.ok(&["incident", "new", "--title", "Soak: imports killed mid-write"])?.trim().to_string();
    let csv = dir.path().join("objects.csv");

    let started = Instant::now();
    let (mut acknowledged, mut lost, mut partial, mut broken, mut imports_done) = (0usize, 0usize, 0usize, 0usize, 0);
    for round in 0..rounds {
        // Each round's rows carry its own system name, so a partial import would show as a count short of whole.
        std::fs::write(&csv, objects::csv(IMPORT_ROWS, 0).replace("\nSalesforce,", &format!("\nsoak-{round},")))?;
        let tagged = objects::csv(IMPORT_ROWS, 0).matches("\nSalesforce,").count();
        let mut writers = vec![
            env.spawn_loop(&format!("for n in $(seq 1 40); do \"$FB\" incident new --title \"soak-{round}-$n\" || exit 1; done"))?,
            env.spawn_loop(&format!("for n in $(seq 1 40); do \"$FB\" people add --name \"soak-{round}-$n\" >/dev/null && echo \"soak-{round}-$n\" || exit 1; done"))?,
            env.spawn_loop(&format!("\"$FB\" affected import {incident} '{}' >/dev/null && echo imported", csv.display()))?,
        ];
        std::thread::sleep(Duration::from_millis(rng.u64(5..400)));
        for w in &mut writers {
            // The whole group: the shell and the firebreak it is running.
            unsafe { libc::kill(-(w.id() as i32), libc::SIGKILL) };
        }
        let outputs: Vec<String> = writers.iter_mut().map(collect).collect::<Result<_, _>>()?;

        let titles: Vec<&str> = outputs[0].lines().filter(|l| l.starts_with("AI-INC-")).collect();
        let people: Vec<&str> = outputs[1].lines().filter(|l| l.starts_with("soak-")).collect();
        let imported = outputs[2].lines().any(|l| l == "imported");
        acknowledged += titles.len() + people.len() + usize::from(imported);
        for id in &titles {
            if env.run(&["incident", "show", id]).is_err() {
                lost += 1;
            }
        }
        let directory = env.ok(&["people", "list"])?;
        lost += people.iter().filter(|p| !directory.lines().any(|l| l.split_whitespace().next() == Some(p))).count();
        let listed = env.ok(&["affected", "list", &incident, "--system", &format!("soak-{round}"), "--json"])?;
        let rows = serde_json::from_str::<serde_json::Value>(&listed)?.as_array().map_or(0, Vec::len);
        if rows != 0 && rows != tagged {
            partial += 1;
        }
        if imported && rows != tagged {
            lost += 1;
        }
        imports_done += usize::from(rows == tagged);
        if env.run(&["audit", "verify"]).is_err() {
            broken += 1;
            eprintln!("round {round}: verify failed: {}", env.run(&["audit", "verify"]).err().unwrap_or_default());
        }
        if (round + 1) % 20 == 0 {
            println!("{} rounds, {:.0} s", round + 1, started.elapsed().as_secs_f64());
        }
    }
    println!(
        "soak: {rounds} rounds of 3 writers killed with SIGKILL (seed {seed:#x}), {acknowledged} acknowledged writes, \
         {lost} lost, {partial} partial imports ({imports_done} imports whole), verify not intact after {broken} rounds"
    );
    if lost + partial + broken > 0 {
        return Err("the soak found lost writes, partial imports or a broken trail".into());
    }
    Ok(())
}

struct Env {
    cli: PathBuf,
    db: PathBuf,
    key: PathBuf,
}

impl Env {
    fn command(&self) -> Command {
        let mut c = Command::new(&self.cli);
        c.env("FIREBREAK_DB", &self.db).env("FIREBREAK_SEAL_KEY", &self.key).env("FIREBREAK_ACTOR", "Soak");
        c
    }

    fn run(&self, args: &[&str]) -> Result<String, String> {
        let out = self.command().args(args).output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    fn ok(&self, args: &[&str]) -> Result<String, Failure> {
        self.run(args).map_err(|e| format!("firebreak {args:?}: {e}").into())
    }

    /// A shell running `script` with `$FB` the CLI, in a process group of its own so one signal ends it all.
    fn spawn_loop(&self, script: &str) -> Result<Child, Failure> {
        Ok(Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("FB", &self.cli)
            .env("FIREBREAK_DB", &self.db)
            .env("FIREBREAK_SEAL_KEY", &self.key)
            .env("FIREBREAK_ACTOR", "Soak")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()?)
    }
}

/// What a killed writer printed before it died: its acknowledgements.
fn collect(child: &mut Child) -> Result<String, std::io::Error> {
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut out)?;
    }
    child.wait()?;
    Ok(out)
}
