//! `make bench`: what the audit trail costs, each figure beside a baseline measured in the same run.
//!
//! 1. Importing 100,000 affected objects (time and database bytes per row) beside a minimal program that inserts the
//!    same rows into the same table, with the same SQLite settings, and one SHA-256-chained audit row each (goal:
//!    within 1.3× in time, ≤ 1.3 KB a row).
//! 2. `firebreak audit verify` of a trail of about 1,000,000 entries (time and peak memory, in its own process) beside
//!    `sqlite3 FILE .dump | sha256sum` of the same file (goal: ≤ 64 MB, within 1.5× in time).
//!
//! Needs `target/release/firebreak`, `sqlite3` and GNU time; `make bench` provides them.

use firebreak_core::incident::{self, IncidentFields};
use firebreak_core::phases::affected;
use firebreak_core::{Actor, Store};
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

#[path = "shared/cli.rs"]
mod cli;
#[path = "shared/measure.rs"]
mod measure;
#[path = "shared/objects.rs"]
mod objects;

const ROWS: usize = 100_000;
/// Imports of `ROWS` that make the long trail for verify.
const IMPORTS: usize = 10;

type Failure = Box<dyn std::error::Error>;

fn main() -> Result<(), Failure> {
    let cli = cli::release_cli()?;
    let dir = cli::scratch()?;
    let csv_path = dir.path().join("objects.csv");
    std::fs::write(&csv_path, objects::csv(ROWS, 0))?;

    // 1. Import: Firebreak beside the minimal chained insert, alternating, best of three each (a shared machine).
    let mut firebreak = Vec::new();
    let mut baseline = Vec::new();
    for round in 0..3 {
        let db = dir.path().join(format!("firebreak-{round}.db"));
        firebreak.push(import_firebreak(&db, &csv_path)?);
        let db = dir.path().join(format!("baseline-{round}.db"));
        baseline.push(import_baseline(&db, &csv_path, &dir.path().join("firebreak-0.db"))?);
    }
    let best = |runs: &[(f64, u64)]| runs.iter().cloned().fold((f64::MAX, 0), |a, b| if b.0 < a.0 { b } else { a });
    let (fb_s, fb_bytes) = best(&firebreak);
    let (base_s, base_bytes) = best(&baseline);
    let per_row = |bytes: u64| bytes as f64 / ROWS as f64;
    println!(
        "import of {ROWS} affected objects: Firebreak {fb_s:.2} s, {:.0} B per row; minimal chained insert {base_s:.2} s, \
         {:.0} B per row",
        per_row(fb_bytes),
        per_row(base_bytes)
    );
    println!(
        "  ratio: {:.2}× the baseline's time (goal ≤ 1.3×), {:.2} KB per row (goal ≤ 1.3 KB)",
        fb_s / base_s,
        per_row(fb_bytes) / 1000.0
    );

    // 2. Verify a long trail in its own process, beside hashing a dump of the same file.
    let db = dir.path().join("long.db");
    let started = Instant::now();
    let (store, id) = incident_store(&db)?;
    let actor = Actor::new("Bench", None);
    for n in 0..IMPORTS {
        let csv = objects::csv(ROWS, n * ROWS);
        affected::import_csv(&store, &actor, &id, csv.as_bytes())?;
    }
    let entries: i64 = Connection::open(&db)?.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
    println!(
        "seeded a trail of {entries} entries ({:.0} MB) in {:.1} s",
        std::fs::metadata(&db)?.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let mut verify_runs = Vec::new();
    let mut dump_runs = Vec::new();
    for _ in 0..3 {
        verify_runs.push(measure::timed(Command::new(&cli).arg("--db").arg(&db).args(["audit", "verify"]))?);
        dump_runs.push(measure::timed(
            Command::new("sh").arg("-c").arg(format!("sqlite3 '{}' .dump | sha256sum", db.display())),
        )?);
    }
    let best = |runs: &[(f64, u64)]| runs.iter().cloned().fold((f64::MAX, 0), |a, b| (a.0.min(b.0), a.1.max(b.1)));
    let (verify_s, verify_kb) = best(&verify_runs);
    let (dump_s, _) = best(&dump_runs);
    println!(
        "firebreak audit verify, {entries} entries: {verify_s:.2} s, peak RSS {:.0} MB; sqlite3 .dump | sha256sum: {dump_s:.2} s",
        verify_kb as f64 / 1024.0
    );
    println!(
        "  ratio: {:.2}× the dump's time (goal ≤ 1.5×), peak {:.0} MB (goal ≤ 64 MB)",
        verify_s / dump_s,
        verify_kb as f64 / 1024.0
    );
    if std::env::var_os("BENCH_KEEP").is_some() {
        println!("kept {}", dir.keep().display());
    }
    Ok(())
}

fn incident_store(db: &Path) -> Result<(Store, String), Failure> {
    let store = Store::create(db)?;
    let inc = incident::create(
        &store,
        &Actor::new("Bench", None),
        IncidentFields { title: "Benchmark: the audit trail's cost".into(), ..Default::default() },
        false,
    )?;
    Ok((store, inc.id))
}

/// Firebreak's import, the product path: (seconds, bytes the rows added to the database file).
fn import_firebreak(db: &Path, csv: &Path) -> Result<(f64, u64), Failure> {
    let (store, id) = incident_store(db)?;
    let empty = file_bytes(db)?;
    let started = Instant::now();
    affected::import_csv(&store, &Actor::new("Bench", None), &id, std::fs::File::open(csv)?)?;
    let took = started.elapsed().as_secs_f64();
    Ok((took, file_bytes(db)? - empty))
}

/// The least a program can do for the same guarantee: the same table (copied with its indexes from Firebreak's
/// schema), the same canonical JSON values, and per row one audit row holding the row and a SHA-256 chained to the
/// previous one — one transaction, prepared statements, no validation.
fn import_baseline(db: &Path, csv: &Path, schema_from: &Path) -> Result<(f64, u64), Failure> {
    let conn = Connection::open(db)?;
    // Firebreak's storage settings (write-ahead log for a reader beside the writer, full sync, its page cache): the
    // comparison is
    // of the audit design, not of SQLite's journal modes.
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = {};",
        firebreak_core::store::CACHE_KIB
    ))?;
    let source = Connection::open(schema_from)?;
    let mut stmt = source.prepare(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'affected_objects' AND sql IS NOT NULL ORDER BY type DESC",
    )?;
    for sql in stmt.query_map([], |r| r.get::<_, String>(0))? {
        conn.execute_batch(&sql?)?;
    }
    conn.execute_batch(
        "CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, entity TEXT NOT NULL,
                             entity_id TEXT NOT NULL, value TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);",
    )?;
    let empty = file_bytes(db)?;
    let started = Instant::now();
    let columns =
        ["system", "object_type", "object_id", "action", "occurred_at", "evidence", "recovery_action", "status"];
    let tx = conn.unchecked_transaction()?;
    {
        let mut insert_row = tx.prepare(
            "INSERT INTO affected_objects (uuid, incident, system, object_type, object_id, action, occurred_at, evidence, recovery_action, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut insert_audit = tx.prepare(
            "INSERT INTO audit (seq, at, actor, entity, entity_id, value, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let incident = serde_json::to_string("00000000-0000-7000-8000-000000000000")?;
        let mut prev = "0".repeat(64);
        let mut reader = csv::Reader::from_path(csv)?;
        for (n, record) in reader.records().enumerate() {
            let record = record?;
            let uuid = uuid::Uuid::now_v7().to_string();
            let values: Vec<Option<String>> = record
                .iter()
                .map(|v| (!v.is_empty()).then(|| serde_json::to_string(v)).transpose())
                .collect::<Result<_, _>>()?;
            insert_row.execute(params![
                uuid, incident, values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]
            ])?;
            let mut value = format!("{{\"incident\":{incident}");
            for (column, v) in columns.iter().zip(&values) {
                if let Some(v) = v {
                    value.push_str(&format!(",\"{column}\":{v}"));
                }
            }
            value.push('}');
            let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
            let seq = n as i64 + 1;
            let hash =
                format!("{:x}", Sha256::digest(format!("{seq}|{at}|Bench|affected_object|{uuid}|{value}|{prev}")));
            insert_audit.execute(params![seq, at, "Bench", "affected_object", uuid, value, prev, hash])?;
            prev = hash;
        }
    }
    tx.commit()?;
    let took = started.elapsed().as_secs_f64();
    Ok((took, file_bytes(db)? - empty))
}

/// The database's size once everything written is in the main file (Firebreak writes ahead to a WAL file).
fn file_bytes(db: &Path) -> Result<u64, Failure> {
    Connection::open(db)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(std::fs::metadata(db)?.len())
}
